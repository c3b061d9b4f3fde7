import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { NeuralStyleError } from '../core/errors';
import type { RgbImage } from '../core/pixels';
import type { ScaleCheckpoint } from '../core/resume';
import { checkpointName } from '../file-names';
import { writeFileAtomic } from './atomic';

export { checkpointName };

/*
 * Checkpoints on disk: the image a scale ended with, written where the host
 * asked (its own folder), named after the job and the scale, so that a run of
 * the job after a reload or a crash starts at the next scale (core/resume.ts).
 */

/** Writes `checkpoint` into `dir` atomically (a reader sees the whole PNG or none); returns its path. */
export async function writeCheckpoint(dir: string, id: string, checkpoint: ScaleCheckpoint): Promise<string> {
  const { width, height, data } = checkpoint.image;
  // Fast over small: a checkpoint lives until its job ends.
  const png = await sharp(Buffer.from(data), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 }).toBuffer();
  await fs.promises.mkdir(dir, { recursive: true });
  return writeFileAtomic(path.join(dir, checkpointName(id, checkpoint.scale)), png, 'replace');
}

/** A checkpoint's pixels, exactly as written (no resize, no orientation). */
export async function readCheckpoint(file: string): Promise<RgbImage> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Refuses a resume whose image is not a PNG inside the job's checkpoints folder (the host names only its own). */
export function checkResumeFile(image: string, checkpoints: string | undefined): void {
  const inside = checkpoints !== undefined && path.isAbsolute(image)
    && path.relative(path.resolve(checkpoints), path.resolve(image)).match(/^(?!\.\.)[^/\\]+$/) !== null;
  if (!inside || path.extname(image).toLowerCase() !== '.png') {
    throw new NeuralStyleError(`resume.image ${JSON.stringify(image)} is not a PNG in the job's checkpoints folder `
      + `${JSON.stringify(checkpoints ?? '')}.`);
  }
}
