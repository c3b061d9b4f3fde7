import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ScratchFile } from '../core/scratch-file';

/*
 * Float32 values in a temporary file (core/scratch-file.ts): a tiled scale's
 * L-BFGS history, its optimiser's vectors and the activations it keeps
 * between stages, so that a print's memory is the network's, not its
 * image-sized vectors'. The file is removed as soon as it is open where the
 * system allows (it then goes when the process does, even one killed), else
 * on close. Reads hit the page cache while the system has memory to spare,
 * which the system takes back under pressure.
 */

/** Writes or reads all of `bytes` at `position`: a single call may move fewer. */
type Transfer = (fd: number, bytes: Uint8Array, offset: number, length: number, position: number) => number;

function transfer(op: Transfer, fd: number, bytes: Uint8Array, position: number, file: string): void {
  for (let done = 0; done < bytes.length;) {
    const moved = op(fd, bytes, done, bytes.length - done, position + done);
    if (moved <= 0) throw new Error(`The scratch file ${file} ended at byte ${position + done}.`);
    done += moved;
  }
}

/** A ScratchFile of `values` values in `dir` (default: the system's temporary folder). */
export function openScratchFile(values: number, dir = os.tmpdir()): ScratchFile {
  const folder = fs.mkdtempSync(path.join(dir, 'neural-style-'));
  const file = path.join(folder, 'scratch.f32');
  const fd = fs.openSync(file, 'w+');
  let removed = false;
  let closed = false;
  const remove = () => {
    if (removed) return;
    fs.rmSync(folder, { recursive: true, force: true });
    removed = true;
  };
  fs.ftruncateSync(fd, 4 * values); // sparse: unwritten values read as zero, and take no disk
  try {
    remove(); // POSIX keeps an open file's data until it is closed
  } catch {
    // Windows does not remove an open file: on close, then
  }
  const view = (data: Float32Array) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const inside = (offset: number, data: Float32Array) => {
    if (offset < 0 || offset + data.length > values) {
      throw new Error(`Scratch file: values ${offset}…${offset + data.length} outside its ${values}.`);
    }
  };
  return {
    write: (offset, data) => {
      inside(offset, data);
      transfer(fs.writeSync, fd, view(data), 4 * offset, file);
    },
    read: (offset, into) => {
      inside(offset, into);
      transfer(fs.readSync, fd, view(into), 4 * offset, file);
    },
    close: () => {
      if (closed) return; // a second close would close whatever file has the number now
      closed = true;
      fs.closeSync(fd);
      remove();
    },
  };
}
