import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { ClipRequest, stylizeClip } from '../core/clip';
import type { MachineSpeed } from '../core/cost';
import { fitLongestSide, RgbImage } from '../core/pixels';
import { StylizeResult } from '../core/stylize';
import { shown } from '../core/text';
import type { JobSpec } from '../protocol';
import { formatResultParameters } from '../result-parameters';
import { readCheckpoint } from './checkpoint';
import { clipFrame, framesDone } from './clip-resume';
import { clipFramesFolder, frameName, readClip, Timing, writeAnimation } from './clip-files';
import type { Engine, FileHooks } from './engine';
import { machineLimits, watchingTheGpu } from './engine';
import { encodeImage } from './image';
import { decodeStyleImages } from './job-images';
import type { CheckedJob } from './job-check';
import { writeOutputFile } from './output-file';

/*
 * A clip job (core/clip.ts) from files: its frames from a folder, an
 * animated GIF or WebP, or a video (clip-files.ts). Each painted frame is
 * written at once (frame_00001.png, …) into the output folder, or into a
 * frames folder beside an animation, which is written from them at the end
 * (with the input's timing, or 10 frames a second from a folder). Each frame
 * carries the job's parameters: an interrupted run keeps its frames, and a
 * run with clip.resume goes on after the last one of the job (clip-resume.ts).
 * Checked first by checkJob (clip-check.ts).
 */

/** How long a frame shows when the frames came from a folder. */
const FOLDER_FRAME_MS = 100;

type ClipResult = Omit<StylizeResult, 'image'> & { output: string };

/** Paints a checked clip job; each frame's progress says its frame. Resolves with the clip's output and totals. */
export async function stylizeClipFiles(engine: Engine, job: JobSpec, checked: CheckedJob, hooks: FileHooks = {},
  speed?: MachineSpeed): Promise<ClipResult> {
  const { options, maxInputPixels, gpuMemory, memory, ifExists, styleSizes } = checked;
  const { frames, timing } = await readClip(job.content!, { longestSide: options.size, maxInputPixels });
  const { styles, styleMasks } = await decodeStyleImages(job.styles, options, maxInputPixels, styleSizes,
    job.styleMasks);
  const folder = clipFramesFolder(job.output);
  const parameters = (frame: number, steps: number, backend: string) => formatResultParameters({
    content: path.basename(job.content!), styles: job.styles.map((s) => path.basename(s)),
    ...job.styleMasks ? { styleMasks: job.styleMasks.map((m) => m && path.basename(m)) } : {},
    backend, options, steps, clip: clipFrame(job, frame, frames.length),
  });
  const resume = job.clip!.resume ? await framesDone(folder, job, options, frames.length) : undefined;
  if (job.clip!.resume && !resume?.done) hooks.onStartOver?.(`${shown(folder)} has no frames of this clip`);
  fs.mkdirSync(folder, { recursive: true });
  const onFrame = async (index: number, result: StylizeResult) => {
    const file = path.join(folder, frameName(index));
    const png = await encodeImage(result.image, file, parameters(index + 1, result.steps, result.backend));
    // A resumed run paints over what it did not take (a frame after a gap); a new one replaces only when allowed.
    await writeOutputFile(file, png, resume || ifExists === 'replace' ? 'replace' : 'refuse');
    hooks.onFrameDone?.({ frame: index + 1, frames: frames.length, file, preview: await previewOf(result.image,
      options.previewSize) });
  };
  const request: ClipRequest = { frames, styles, ...styleMasks ? { styleMasks } : {}, options, speed,
    limits: machineLimits(engine, gpuMemory, memory), temporalWeight: job.clip!.temporalWeight,
    ...resume?.done ? { resume } : {} };
  // A lost GPU ends the clip at once, as it ends a picture (gpu-loss.ts); the frames written so far stay.
  const summaries = await watchingTheGpu((signal) => stylizeClip(engine.vgg, request,
    { ...hooks, signal, onScaleDone: undefined, onFrame }), hooks.signal);
  const output = folder === job.output ? folder
    : await writeAnimationFrom(folder, frames.length, job.output, timing, ifExists);
  return totals(summaries, output, { backend: engine.backend.name, options });
}

/** A frame at the preview's size (its longest side at most `side`). */
async function previewOf(image: RgbImage, side: number): Promise<RgbImage> {
  const { width, height } = fitLongestSide(image.width, image.height, Math.min(side, Math.max(image.width,
    image.height)));
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  const data = await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw })
    .resize(width, height).raw().toBuffer();
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Writes the animation from the frames in `folder`, then removes them and the folder (it held only those). */
async function writeAnimationFrom(folder: string, count: number, output: string, timing: Timing | null,
  ifExists: CheckedJob['ifExists']): Promise<string> {
  const files = Array.from({ length: count }, (_, i) => path.join(folder, frameName(i)));
  const painted = await Promise.all(files.map((file) => readCheckpoint(file)));
  const played: Timing = timing ?? { delays: painted.map(() => FOLDER_FRAME_MS), loop: 0 };
  const written = await writeAnimation(painted, output, played, ifExists);
  for (const file of files) fs.rmSync(file, { force: true });
  try {
    fs.rmdirSync(folder);
  } catch {
    // Something else was put in it: it stays, with that.
  }
  return written;
}

/**
 * The clip's totals: the last frame's losses and backend, the steps and time of the frames this run painted (none
 * where an interrupted run had painted them all, and only its animation was left to write).
 */
function totals(summaries: Omit<StylizeResult, 'image'>[], output: string,
  none: Pick<StylizeResult, 'backend' | 'options'>): ClipResult {
  if (summaries.length === 0) {
    return { ...none, output, steps: 0, elapsedMs: 0, losses: { content: 0, style: 0, tv: 0, total: 0 } };
  }
  const last = summaries[summaries.length - 1];
  return {
    ...last, output,
    steps: summaries.reduce((sum, s) => sum + s.steps, 0),
    elapsedMs: summaries.reduce((sum, s) => sum + s.elapsedMs, 0),
  };
}
