import * as fs from 'fs';
import * as path from 'path';

/**
 * When the target exists: refuse (EEXIST), replace it, or take the first free numbered name (`a-1.png`, `a-2.png`, …).
 */
export type IfExists = 'refuse' | 'replace' | 'number';

let sequence = 0;

/** `a.png` → `a-1.png`: the extension's free-name rule, applied at the moment of creation. */
export function numberedName(target: string, n: number): string {
  if (n === 0) return target;
  const ext = path.extname(target);
  return `${target.slice(0, target.length - ext.length)}-${n}${ext}`;
}

/**
 * Makes `temp` appear as the target without replacing anything: a hard link fails with EEXIST when the name is taken.
 */
async function createExclusive(temp: string, target: string): Promise<void> {
  try {
    await fs.promises.link(temp, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // File systems without hard links (FAT, some network shares): an O_EXCL copy is still exclusive, if not atomic.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    await fs.promises.copyFile(temp, target, fs.constants.COPYFILE_EXCL);
  }
  await fs.promises.rm(temp, { force: true });
}

/**
 * Writes a file so that readers see either nothing or the whole of it, and
 * nothing existing is lost: a temp file beside the target (its name carries
 * our pid, so a later run can remove it if we are killed), fsync, then an
 * exclusive create (or, with "replace", a rename over the target). Returns
 * the path written (with "number", possibly `a-1.png`). The temp file never
 * outlives a failure.
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string, ifExists: IfExists = 'replace'): Promise<string> {
  const temp = path.join(path.dirname(target), `${atomicTempPrefix(process.pid)}${Date.now()}-${sequence++}.tmp`);
  try {
    const handle = await fs.promises.open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (ifExists === 'replace') {
      await fs.promises.rename(temp, target);
      return target;
    }
    for (let n = 0; ; n++) {
      const name = numberedName(target, n);
      try {
        await createExclusive(temp, name);
        return name;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || ifExists === 'refuse' || n >= 10000) throw e;
      }
    }
  } finally {
    await fs.promises.rm(temp, { force: true });
  }
}

/**
 * How the temp files of process `pid` begin (they end in `.tmp`). Short and
 * the same for every target: a temp named after the target would be longer
 * than it, so a valid name near the file system's limit would fail at the
 * last step, after the work.
 */
export function atomicTempPrefix(pid: number): string {
  return `.neural-style.${pid}.`;
}

/**
 * A temp file's name: its writer's pid, then a time and sequence, or "probe" and padding (output-file.ts's up-front
 * check).
 */
const TEMP_NAME = /^\.neural-style\.(\d+)\.(\d+-\d+|probe-*)\.tmp$/;

/** Whether process `pid` still runs (EPERM: it does, as another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the files in `dir` whose names pass `test`; returns their names. A missing folder removes nothing, and a
 * file we may not remove (another process may hold it) is left for a later try.
 */
export function removeFilesWhere(dir: string, test: (name: string) => boolean): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => {
    if (!test(name)) return false;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
      return true;
    } catch {
      return false;
    }
  });
}

/** Removes the temp files in `dir` whose writer's pid passes `test`; returns their names. */
function removeTemps(dir: string, test: (pid: number) => boolean): string[] {
  return removeFilesWhere(dir, (name) => {
    const pid = Number(TEMP_NAME.exec(name)?.[1]);
    return pid > 0 && test(pid);
  });
}

/**
 * Removes the temp files that writers killed mid-write left beside `file`:
 * those whose pid (in the name) no longer runs. Returns their names. The temp
 * files of live processes, ours included, are left alone.
 */
export function removeStaleTemps(file: string): string[] {
  return removeTemps(path.dirname(path.resolve(file)), (pid) => pid !== process.pid && !isRunning(pid));
}

/** Removes the temp files that process `pid` (one just killed) left beside `file`; returns their names. */
export function removeTempsOf(file: string, pid: number): string[] {
  return removeTemps(path.dirname(path.resolve(file)), (p) => p === pid);
}
