import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { NeuralStyleError } from '../core/errors';
import type { RgbImage } from '../core/pixels';
import type { ScaleCheckpoint } from '../core/resume';
import { checkpointName } from '../file-names';
import { CHECKPOINT_TRACE_KEYWORD, type LossPoint, lossTrace, parseCheckpointTrace } from '../result-parameters';
import { writeFileAtomic } from './atomic';
import { readPngText, withPngText } from './png-text';

export { checkpointName, CHECKPOINT_TRACE_KEYWORD };

/*
 * Checkpoints on disk: the image a scale ended with, written where the host
 * asked (its own folder), named after the job and the scale, so that a run of
 * the job after a reload or a crash starts at the next scale (core/resume.ts).
 */

/**
 * Writes `checkpoint` into `dir` atomically (a reader sees the whole PNG or none), with the loss trace so far
 * (`losses`, thinned as a picture's); returns its path.
 */
export async function writeCheckpoint(dir: string, id: string, checkpoint: ScaleCheckpoint,
  losses: readonly LossPoint[] = []): Promise<string> {
  const { width, height, data } = checkpoint.image;
  // Fast over small: a checkpoint lives until its job ends.
  const png = await sharp(Buffer.from(data), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 }).toBuffer();
  const trace = lossTrace(losses);
  const file = trace.length ? withPngText(png, CHECKPOINT_TRACE_KEYWORD, JSON.stringify(trace)) : png;
  await fs.promises.mkdir(dir, { recursive: true });
  return writeFileAtomic(path.join(dir, checkpointName(id, checkpoint.scale)), file, 'replace');
}

/** A checkpoint's pixels, exactly as written (no resize, no orientation). */
export async function readCheckpoint(file: string | Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** A checkpoint of `steps` steps: its pixels and its loss trace (checkpointTrace). */
export async function readCheckpointFile(file: string,
  steps: number): Promise<{ image: RgbImage; losses: LossPoint[] }> {
  const png = await fs.promises.readFile(file);
  return { image: await readCheckpoint(png), losses: checkpointTrace(png, steps) };
}

/**
 * The loss trace a checkpoint of `steps` steps carries, checked (none in one written without it); throws saying what
 * is wrong with one that is not a trace of those steps.
 */
export function checkpointTrace(png: Buffer, steps: number): LossPoint[] {
  return parseCheckpointTrace(readPngText(png)[CHECKPOINT_TRACE_KEYWORD], steps);
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
