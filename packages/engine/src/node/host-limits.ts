import * as fs from 'fs';
import * as os from 'os';
import type { MemoryLimits } from '../core/memory-limits';
import { openScratchFile } from './scratch-file';

/*
 * What a run may use of this machine's ordinary memory and disk: its memory
 * budget (`memory` GB; 0: what the machine has free now) and temporary files
 * for what a tiled scale keeps image-sized, with the space free where they go.
 * No tfjs here: a job on a CPU backend is checked against it before the
 * weights load.
 */
export function hostLimits(memory = 0): MemoryLimits {
  const hostBytes = memory > 0 ? memory * 1e9 : os.freemem();
  return { hostBytes, scratchFiles: (values) => openScratchFile(values), scratchSpace: scratchSpace() };
}

/** The temporary folder and its free space (unknown where the system does not say: no check then). */
function scratchSpace(): { folder: string; freeBytes: number } | undefined {
  const folder = os.tmpdir();
  try {
    const stats = fs.statfsSync(folder);
    return { folder, freeBytes: stats.bavail * stats.bsize };
  } catch {
    return undefined;
  }
}
