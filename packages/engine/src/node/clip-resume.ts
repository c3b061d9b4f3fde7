import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_TEMPORAL_WEIGHT } from '../core/clip';
import { NeuralStyleError } from '../core/errors';
import type { StylizeOptions } from '../core/options';
import { RgbImage } from '../core/pixels';
import { shown } from '../core/text';
import type { JobSpec } from '../protocol';
import { ClipFrame, PARAMETERS_KEYWORD, parseResultParameters } from '../result-parameters';
import { readCheckpoint } from './checkpoint';
import { frameName } from './clip-files';
import { readPngText } from './png-text';

/*
 * Where an interrupted clip job (clip-job.ts) goes on: the frames it wrote
 * say whose they are in their parameters chunk, and only this job's are
 * gone on from. Its last frame is read back exactly as it was written, so
 * the clip goes on as if it had never stopped.
 */

/** What frame `frame` of `frames` of this job records of the clip. */
export function clipFrame(job: JobSpec, frame: number, frames: number): ClipFrame {
  return { frame, frames, temporalWeight: job.clip!.temporalWeight ?? DEFAULT_TEMPORAL_WEIGHT };
}

/**
 * The frames an earlier run of this job left in `folder`: how many in a row from the first carry its parameters
 * (the same photo, styles, options and frame count: the backend may differ), and the last one's pixels. A frame of
 * another job is refused, not painted over.
 */
export async function framesDone(folder: string, job: JobSpec, options: StylizeOptions,
  count: number): Promise<{ done: number; last: RgbImage }> {
  let last: RgbImage | null = null;
  let done = 0;
  for (; done < count; done++) {
    const file = path.join(folder, frameName(done));
    const png = await fs.promises.readFile(file).catch(() => null);
    if (!png) break;
    const problem = frameProblem(png, job, options, clipFrame(job, done + 1, count));
    if (problem) {
      throw new NeuralStyleError(`Cannot go on from ${shown(file)}: ${problem}. Choose another output, or paint the `
        + 'clip again over it (CLI: --overwrite without --resume).', 'EEXIST');
    }
    last = await readCheckpoint(png);
  }
  return { done, last: last ?? { width: 0, height: 0, data: new Uint8Array(0) } };
}

/** Why a frame's file is not frame `expected` of this job (`options`: its options, checked), or null. */
function frameProblem(png: Buffer, job: JobSpec, options: StylizeOptions, expected: ClipFrame): string | null {
  const text = readPngText(png)[PARAMETERS_KEYWORD];
  if (text === undefined) return 'it is not a frame painted by neural-style';
  const made = parseResultParameters(text);
  const names = (files?: readonly (string | null)[]) => JSON.stringify(files?.map((f) => f && path.basename(f)));
  if (made.content !== path.basename(job.content!) || names(made.styles) !== names(job.styles)
    || names(made.styleMasks) !== names(job.styleMasks)) {
    return `it was painted from ${made.content} in the style of ${made.styles.join(', ')}`;
  }
  if (sortedJson(made.options) !== sortedJson(options)) return 'it was painted with other options';
  if (sortedJson(made.clip) !== sortedJson(expected)) {
    return made.clip ? `it is frame ${made.clip.frame} of ${made.clip.frames}, painted with temporal weight `
      + `${made.clip.temporalWeight}` : 'it is a still picture, not a frame';
  }
  return null;
}

/** A record's JSON with its keys in order: two equal records give the same text. */
const sortedJson = (value: object | undefined): string =>
  JSON.stringify(value && Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))));

