import * as fs from 'fs';
import * as path from 'path';
import { NeuralStyleError } from '../core/errors';
import { shown } from '../core/text';
import { windowsNameProblem } from '../file-names';
import { formatOfExtension, OUTPUT_EXTENSIONS, OutputFormat } from '../output-formats';
import { atomicTempPrefix, IfExists, numberedName, removeStaleTemps, writeFileAtomic } from './atomic';

/*
 * The output file, from the first check to the last byte. Checked before any
 * work, so that a bad path fails in milliseconds rather than after the run;
 * written by writeFileAtomic (a temp file, then an exclusive create), so that
 * nothing is lost. Every failure is one sentence naming the user's path and
 * what to do.
 */

export type { IfExists };
export { removeStaleTemps, removeTempsOf } from './atomic';

export interface OutputCheck {
  /** The input images: the output may never be one of them, by any name (symlink, hard link). */
  inputs: readonly string[];
  /** What to do when the output exists: refuse (the default), replace it, or number the name (-1, -2, …). */
  ifExists?: IfExists;
  /** The output is an animation (a clip's GIF or WebP, clip-files.ts), not a picture of outputFormat's. */
  animation?: boolean;
}

/** The format the output's extension asks for, or a named error. */
export function outputFormat(file: string): OutputFormat {
  const ext = path.extname(file).toLowerCase();
  const format = formatOfExtension(ext);
  if (!format) {
    throw new NeuralStyleError(`Cannot write ${shown(file)}: unknown output format "${shown(ext, 20) || '(none)'}". `
      + `Use one of: ${OUTPUT_EXTENSIONS.join(', ')}.`, 'EINVAL');
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
    if (code === 'ENOENT') {
      throw new NeuralStyleError(`Cannot write ${shown(file)}: folder ${shown(dir)} does not exist. Create it first, `
        + 'or choose another folder.', 'ENOENT');
    }
    throw explainWriteError(e, file);
  }
  if (!stat.isDirectory()) {
    throw new NeuralStyleError(`Cannot write ${shown(file)}: ${shown(dir)} is a file, not a folder. Choose an output `
      + 'inside a folder.', 'ENOTDIR');
  }
}

/**
 * Refuses an output that is one of the inputs: the same path, or the same file by a symlink or a hard link (device
 * and inode).
 */
function checkNotAnInput(file: string, target: fs.Stats | null, inputs: readonly string[]): void {
  const resolved = path.resolve(file);
  for (const input of inputs) {
    const stat = statOrNull(input);
    const same = target && stat ? stat.dev === target.dev && stat.ino === target.ino : path.resolve(input) === resolved;
    if (same) {
      throw new NeuralStyleError(`Refusing to write ${shown(file)}: it is the input image `
        + `${shown(input)}${path.resolve(input) === resolved ? '' : ' (by another name: a link)'}. Choose another `
        + 'output path.', 'EINVAL');
    }
  }
}

/**
 * Creates and removes a temp file beside the output, its name as long in
 * bytes as `name`: the honest test that the folder takes a new file (root
 * ignores mode bits) and that its file system takes a name that long.
 */
function probeWritable(file: string, name: string): void {
  const start = `${atomicTempPrefix(process.pid)}probe`;
  const padding = '-'.repeat(Math.max(0, Buffer.byteLength(name) - start.length - 4));
  const temp = path.join(path.dirname(path.resolve(file)), `${start}${padding}.tmp`);
  try {
    fs.closeSync(fs.openSync(temp, 'wx'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw explainWriteError(e, file, name);
  }
  fs.rmSync(temp, { force: true });
}

/**
 * Everything about the output that can be known before the work: its
 * format, its folder, that it is no input, that an existing file may be
 * replaced, and that the folder takes a new file. Also removes the debris
 * of killed writers beside it. Throws a NeuralStyleError naming the path.
 */
export function checkOutputPath(file: string, { inputs, ifExists = 'refuse', animation = false }: OutputCheck): void {
  if (typeof file !== 'string' || file.length === 0) throw new NeuralStyleError('Give an output file name.', 'EINVAL');
  checkOutputName(file);
  if (!animation) outputFormat(file);
  const target = path.resolve(file);
  checkFolder(file, path.dirname(target));
  const stat = statOrNull(target);
  if (stat?.isDirectory()) {
    throw new NeuralStyleError(`Cannot write ${shown(file)}: it is a folder. Give a file name, such as `
      + `${shown(path.join(file, 'out.png'))}.`, 'EISDIR');
  }
  checkNotAnInput(file, stat, inputs);
  // lstat: a dangling symlink is a taken name too (the exclusive create would fail on it at the end).
  const taken = stat !== null || (() => { try { fs.lstatSync(target); return true; } catch { return false; } })();
  if (taken && ifExists === 'refuse') throw existsError(file);
  removeStaleTemps(target);
  // The longest name the write may create: a taken name with "number" becomes name-1.
  probeWritable(file, path.basename(taken && ifExists === 'number' ? numberedName(target, 1) : target));
}

function existsError(file: string): NeuralStyleError {
  return new NeuralStyleError(`${shown(file)} already exists. Choose another output path, or allow replacing it `
    + '(CLI: --overwrite).', 'EEXIST');
}

/**
 * A write failure as one sentence naming the user's path and what to do; `name`: the file name that was being
 * created.
 */
export function explainWriteError(error: unknown, file: string, name = path.basename(file)): NeuralStyleError {
  if (error instanceof NeuralStyleError) return error;
  const e = error as NodeJS.ErrnoException;
  const where = shown(file);
  const dir = shown(path.dirname(path.resolve(file)));
  switch (e.code) {
    case 'EEXIST': return existsError(file);
    case 'EROFS': return new NeuralStyleError(`Cannot write ${where}: ${dir} is on a read-only file system. Choose `
      + 'an output in a writable folder.', 'EROFS');
    case 'EACCES':
    case 'EPERM': return new NeuralStyleError(`Cannot write ${where}: no permission to create files in ${dir}. `
      + 'Choose a folder you can write to.', 'EACCES');
    case 'ENOSPC':
    case 'EDQUOT': return new NeuralStyleError(`Cannot write ${where}: the disk is full (or your quota is used up). `
      + 'Free some space or choose another disk; nothing was written.', 'ENOSPC');
    case 'EISDIR': return new NeuralStyleError(`Cannot write ${where}: it is a folder. Give a file name.`, 'EISDIR');
    case 'ENOTDIR': return new NeuralStyleError(`Cannot write ${where}: a part of its path is a file, not a `
      + 'folder.', 'ENOTDIR');
    case 'ENOENT': return new NeuralStyleError(`Cannot write ${where}: folder ${dir} does not exist. Create it `
      + 'first, or choose another folder.', 'ENOENT');
    case 'ENAMETOOLONG': return nameTooLong(file, name);
    default: return new NeuralStyleError(`Cannot write ${where} (${e.code ?? 'error'}: `
      + `${String(e.message ?? e).split('\n')[0].slice(0, 200)}).`, e.code ?? 'EIO');
  }
}

/**
 * ENAMETOOLONG, said truly: a name is limited by its file system (255 bytes
 * on most, fewer on some), a whole path by the system (1024 bytes on macOS,
 * 4096 on Linux); a name within 255 bytes in a long path blames the path.
 */
function nameTooLong(file: string, name: string): NeuralStyleError {
  const pathBytes = Buffer.byteLength(path.resolve(file));
  const nameBytes = Buffer.byteLength(name);
  const why = nameBytes <= 255 && pathBytes >= 1024 ? `the path is too long (${pathBytes} bytes)`
    : `the file name is ${nameBytes} bytes, more than this folder's file system takes (most take 255)`;
  return new NeuralStyleError(`Cannot write ${shown(file)}: ${why}. Choose a shorter one.`, 'ENAMETOOLONG');
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
