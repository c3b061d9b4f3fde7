import * as fs from 'fs';
import * as path from 'path';
import { NeuralStyleError } from '../core/errors';
import { shown } from '../core/validate';
import { windowsNameProblem } from '../file-names';
import { formatOfExtension, OUTPUT_EXTENSIONS, OutputFormat } from '../output-formats';
import { atomicTempPrefix, IfExists, writeFileAtomic } from './atomic';

/*
 * The output file, from the first check to the last byte. Checked before any
 * work, so that a bad path fails in milliseconds rather than after the run;
 * written by writeFileAtomic (a temp file, then an exclusive create), so that
 * nothing is lost. Every failure is one sentence naming the user's path and
 * what to do.
 */

export type { IfExists };

export interface OutputCheck {
  /** The input images: the output may never be one of them, by any name (symlink, hard link). */
  inputs: readonly string[];
  /** What to do when the output exists: refuse (the default), replace it, or number the name (-1, -2, …). */
  ifExists?: IfExists;
}

/** The format the output's extension asks for, or a named error. */
export function outputFormat(file: string): OutputFormat {
  const ext = path.extname(file).toLowerCase();
  const format = formatOfExtension(ext);
  if (!format) {
    throw new NeuralStyleError(`Cannot write ${shown(file)}: unknown output format "${shown(ext, 20) || '(none)'}". Use one of: ${OUTPUT_EXTENSIONS.join(', ')}.`, 'EINVAL');
  }
  return format;
}

const statOrNull = (file: string): fs.Stats | null => {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
};

/** On Windows, a name it refuses or takes for a device (NUL, con.png, a trailing dot, ':') is refused here, by name. */
export function checkOutputName(file: string, platform: NodeJS.Platform = process.platform): void {
  const problem = platform === 'win32' ? windowsNameProblem(path.win32.basename(file)) : null;
  if (problem) throw new NeuralStyleError(`Cannot write ${shown(file)}: ${problem}. Choose another name.`, 'EINVAL');
}

/** The output's folder must exist and be a folder; says which part of the path is wrong. */
function checkFolder(file: string, dir: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NeuralStyleError(`Cannot write ${shown(file)}: folder ${shown(dir)} does not exist. Create it first, or choose another folder.`, 'ENOENT');
    throw explainWriteError(e, file);
  }
  if (!stat.isDirectory()) throw new NeuralStyleError(`Cannot write ${shown(file)}: ${shown(dir)} is a file, not a folder. Choose an output inside a folder.`, 'ENOTDIR');
}

/** Refuses an output that is one of the inputs: the same path, or the same file by a symlink or a hard link (device and inode). */
function checkNotAnInput(file: string, target: fs.Stats | null, inputs: readonly string[]): void {
  const resolved = path.resolve(file);
  for (const input of inputs) {
    const stat = statOrNull(input);
    const same = target && stat ? stat.dev === target.dev && stat.ino === target.ino : path.resolve(input) === resolved;
    if (same) {
      throw new NeuralStyleError(`Refusing to write ${shown(file)}: it is the input image ${shown(input)}${path.resolve(input) === resolved ? '' : ' (by another name: a link)'}. Choose another output path.`, 'EINVAL');
    }
  }
}

/** Whether process `pid` still runs (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files that writers of `file` left when they were killed
 * mid-write: those beside it whose pid (in the name) no longer runs. Returns
 * their names. The temp files of live processes, ours included, are left alone.
 */
export function removeStaleTemps(file: string): string[] {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  const prefix = atomicTempPrefix(target, 0).slice(0, -2); // ".<name>."
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)\.(\d+(-\d+)?|probe)\.tmp$/.exec(name.slice(prefix.length))?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // Not ours to remove after all (permissions): leave it.
    }
  }
  return removed;
}

/** Removes the temp files process `pid` (one we have just killed) left beside `file`; returns their names. */
export function removeTempsOf(file: string, pid: number): string[] {
  const target = path.resolve(file);
  const prefix = atomicTempPrefix(target, pid);
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(target)).filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'));
  } catch {
    return [];
  }
  for (const name of names) fs.rmSync(path.join(path.dirname(target), name), { force: true });
  return names;
}

/** Creates and removes a temp file beside the output: the honest test that the folder takes a new file (root ignores mode bits). */
function probeWritable(file: string): void {
  const temp = path.join(path.dirname(path.resolve(file)), `${atomicTempPrefix(path.resolve(file), process.pid)}probe.tmp`);
  try {
    fs.closeSync(fs.openSync(temp, 'wx'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw explainWriteError(e, file);
  }
  fs.rmSync(temp, { force: true });
}

/**
 * Everything about the output that can be known before the work: its
 * format, its folder, that it is no input, that an existing file may be
 * replaced, and that the folder takes a new file. Also removes the debris
 * of killed writers beside it. Throws a NeuralStyleError naming the path.
 */
export function checkOutputPath(file: string, { inputs, ifExists = 'refuse' }: OutputCheck): void {
  if (typeof file !== 'string' || file.length === 0) throw new NeuralStyleError('Give an output file name.', 'EINVAL');
  checkOutputName(file);
  outputFormat(file);
  const target = path.resolve(file);
  checkFolder(file, path.dirname(target));
  const stat = statOrNull(target);
  if (stat?.isDirectory()) throw new NeuralStyleError(`Cannot write ${shown(file)}: it is a folder. Give a file name, such as ${shown(path.join(file, 'out.png'))}.`, 'EISDIR');
  checkNotAnInput(file, stat, inputs);
  // lstat: a dangling symlink is a taken name too (the exclusive create would fail on it at the end).
  const taken = stat !== null || (() => { try { fs.lstatSync(target); return true; } catch { return false; } })();
  if (taken && ifExists === 'refuse') throw existsError(file);
  removeStaleTemps(target);
  probeWritable(file);
}

function existsError(file: string): NeuralStyleError {
  return new NeuralStyleError(`${shown(file)} already exists. Choose another output path, or allow replacing it (CLI: --overwrite).`, 'EEXIST');
}

/** A write failure as one sentence naming the user's path and what to do. */
export function explainWriteError(error: unknown, file: string): NeuralStyleError {
  if (error instanceof NeuralStyleError) return error;
  const e = error as NodeJS.ErrnoException;
  const where = shown(file);
  const dir = shown(path.dirname(path.resolve(file)));
  switch (e.code) {
    case 'EEXIST': return existsError(file);
    case 'EROFS': return new NeuralStyleError(`Cannot write ${where}: ${dir} is on a read-only file system. Choose an output in a writable folder.`, 'EROFS');
    case 'EACCES':
    case 'EPERM': return new NeuralStyleError(`Cannot write ${where}: no permission to create files in ${dir}. Choose a folder you can write to.`, 'EACCES');
    case 'ENOSPC':
    case 'EDQUOT': return new NeuralStyleError(`Cannot write ${where}: the disk is full (or your quota is used up). Free some space or choose another disk; nothing was written.`, 'ENOSPC');
    case 'EISDIR': return new NeuralStyleError(`Cannot write ${where}: it is a folder. Give a file name.`, 'EISDIR');
    case 'ENOTDIR': return new NeuralStyleError(`Cannot write ${where}: a part of its path is a file, not a folder.`, 'ENOTDIR');
    case 'ENOENT': return new NeuralStyleError(`Cannot write ${where}: folder ${dir} does not exist. Create it first, or choose another folder.`, 'ENOENT');
    case 'ENAMETOOLONG': return new NeuralStyleError(`Cannot write ${where}: the path is too long. Choose a shorter one.`, 'ENAMETOOLONG');
    default: return new NeuralStyleError(`Cannot write ${where} (${e.code ?? 'error'}: ${String(e.message ?? e).split('\n')[0].slice(0, 200)}).`, e.code ?? 'EIO');
  }
}

/**
 * Writes the output (see writeFileAtomic) and returns the path written: with
 * "number" a taken name gets -1, -2, … at the moment of creation, so a file
 * made by someone else meanwhile is never replaced.
 */
export async function writeOutputFile(file: string, data: Uint8Array, ifExists: IfExists = 'refuse'): Promise<string> {
  try {
    return await writeFileAtomic(file, data, ifExists);
  } catch (e) {
    throw explainWriteError(e, file);
  }
}
