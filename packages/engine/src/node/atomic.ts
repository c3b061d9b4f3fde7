import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes a file so that readers see either nothing or the whole of it: a temp
 * file in the same folder, fsync, then rename over the target.
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const temp = path.join(path.dirname(target), `${atomicTempPrefix(target, process.pid)}${Date.now()}.tmp`);
  try {
    const handle = await fs.promises.open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, target);
  } catch (e) {
    await fs.promises.rm(temp, { force: true });
    throw e;
  }
}

/** How the temp files of process `pid` writing `target` begin (they end in `.tmp`): for cleaning up after a killed writer. */
export function atomicTempPrefix(target: string, pid: number): string {
  return `.${path.basename(target)}.${pid}.`;
}
