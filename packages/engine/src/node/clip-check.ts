import * as fs from 'fs';
import * as path from 'path';
import { NeuralStyleError } from '../core/errors';
import { Size } from '../core/plan';
import { shown } from '../core/text';
import type { JobSpec } from '../protocol';
import { animationFormat, clipFramesFolder, frameFiles, frameName, isClip } from './clip-files';
import { isVideoFile, probeVideo, requireFfmpeg } from './ffmpeg';
import { imageSize } from './image';
import { checkOutputPath, IfExists } from './output-file';

/* What checkJob knows of a clip job (clip-job.ts) before any work. No tfjs here, as in job-check.ts. */

/**
 * The clip's part of checkJob: no texture, masks or a still's resume with it (not yet), a clip to read, an output to
 * write (or its frames to go on from, clip.resume);
 * returns the first frame's size, which the output is planned from.
 */
export async function checkClipJob(job: JobSpec, maxInputPixels: number, ifExists: IfExists): Promise<Size> {
  if (job.texture || job.masks || job.resume || job.checkpoints) {
    throw new NeuralStyleError('A clip is painted without a texture size, masks, checkpoints or a resume (not yet).');
  }
  const weight = job.clip!.temporalWeight;
  if (weight !== undefined && !(Number.isFinite(weight) && weight >= 0)) {
    throw new NeuralStyleError(`Invalid temporal weight ${weight}: give a number from 0 up (0: frames only start from `
      + 'the last).');
  }
  const source = job.content;
  if (source === undefined || !(await isClip(source))) {
    throw new NeuralStyleError(`${shown(source ?? '')} is not a clip: give a folder of frames, an animated GIF, `
      + 'WebP or PNG, or a video (with ffmpeg).', 'EIMAGE');
  }
  checkClipOutput(job.output, [source, ...job.styles], ifExists, job.clip!.resume === true);
  if (isVideoFile(source)) {
    const { width, height } = await probeVideo(source, requireFfmpeg(`Reading ${shown(source)}`));
    if (width * height > maxInputPixels) {
      throw new NeuralStyleError(`${shown(source)} is too large: its frames have more pixels than the limit of the `
        + 'maxInputPixels option.', 'ETOOBIG');
    }
    return { width, height };
  }
  const stat = fs.statSync(source);
  if (!stat.isDirectory()) return imageSize(source, maxInputPixels);
  const [first] = frameFiles(source);
  if (!first) throw new NeuralStyleError(`${shown(source)} has no frames.`, 'EIMAGE');
  return imageSize(first, maxInputPixels);
}

/**
 * An animation's file (as any output), or a folder for the frames: new, or without frames unless the run goes on from
 * them (`resume`) or they may go. An animation's frames folder beside it is checked as the folder.
 */
function checkClipOutput(output: string, inputs: string[], ifExists: IfExists, resume: boolean): void {
  const format = animationFormat(output);
  if (format) {
    if (format === 'mp4') requireFfmpeg(`Writing ${shown(output)}`);
    checkOutputPath(output, { inputs, ifExists, animation: true });
    checkFramesLeft(clipFramesFolder(output), ifExists, resume, 'holds the frames of an interrupted run of this clip');
    return;
  }
  if (path.extname(output) !== '' && !fs.existsSync(output)) {
    throw new NeuralStyleError(`${shown(output)}: a clip is written as a .gif, .webp, .png or .mp4 animation, or into a `
      + 'folder (a name without an extension).', 'EOUTPUT');
  }
  const stat = fs.statSync(output, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) throw new NeuralStyleError(`${shown(output)} is a file, not a folder.`, 'EOUTPUT');
  checkFramesLeft(output, ifExists, resume, 'already has frames');
  if (!fs.existsSync(path.dirname(path.resolve(output)))) {
    throw new NeuralStyleError(`Cannot write ${shown(output)}: its folder does not exist.`, 'ENOENT');
  }
}

/** Frames in `folder` are gone on from (resume), or replaced where they may be; else the run is refused. */
function checkFramesLeft(folder: string, ifExists: IfExists, resume: boolean, what: string): void {
  if (resume || ifExists === 'replace' || !fs.existsSync(path.join(folder, frameName(0)))) return;
  throw new NeuralStyleError(`${shown(folder)} ${what}. Go on from them (CLI: --resume), choose another output, or `
    + 'allow replacing them (CLI: --overwrite).', 'EEXIST');
}
