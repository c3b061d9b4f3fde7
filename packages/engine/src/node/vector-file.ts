import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { VectorFile } from '../core/optim/curvature-pairs';

/*
 * Float32 vectors in a temporary file: the L-BFGS history of a tiled scale
 * (core/optim/curvature-pairs.ts), so that the process's memory does not grow
 * by a pair of image-sized vectors an iteration. The file is removed as soon
 * as it is open where the system allows (it then goes when the process does,
 * even one killed), else on close. Reads hit the page cache while the system
 * has memory to spare, which the system takes back under pressure.
 */

/** Writes or reads all of `bytes` at `position`: a single call may move fewer. */
type Transfer = (fd: number, bytes: Uint8Array, offset: number, length: number, position: number) => number;

function transfer(op: Transfer, fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length;) {
    const moved = op(fd, bytes, done, bytes.length - done, position + done);
    if (moved <= 0) throw new Error(`The L-BFGS history file ended at byte ${position + done}.`);
    done += moved;
  }
}

/** A VectorFile of `slots` slots of `length` values in `dir` (default: the system's temporary folder). */
export function openVectorFile(length: number, _slots: number, dir = os.tmpdir()): VectorFile {
  const folder = fs.mkdtempSync(path.join(dir, 'neural-style-'));
  const file = path.join(folder, 'lbfgs-history.f32');
  const fd = fs.openSync(file, 'w+');
  let removed = false;
  const remove = () => {
    if (removed) return;
    fs.rmSync(folder, { recursive: true, force: true });
    removed = true;
  };
  try {
    remove(); // POSIX keeps an open file's data until it is closed
  } catch {
    // Windows does not remove an open file: on close, then
  }
  const bytes = 4 * length;
  const view = (data: Float32Array) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return {
    write: (slot, data) => transfer(fs.writeSync, fd, view(data), slot * bytes),
    read: (slot, into) => transfer(fs.readSync, fd, view(into), slot * bytes),
    close: () => {
      fs.closeSync(fd);
      remove();
    },
  };
}
