import * as fs from 'fs';
import * as path from 'path';
import { stylizeClip } from '../core/clip';
import type { MachineSpeed } from '../core/cost';
import { StylizeResult } from '../core/stylize';
import type { JobSpec } from '../protocol';
import { animationFormat, frameName, readClip, Timing, writeAnimation } from './clip-files';
import type { Engine, FileHooks } from './engine';
import { machineLimits, watchingTheGpu } from './engine';
import { encodeImage } from './image';
import { decodeStyleImages } from './job-images';
import type { CheckedJob } from './job-check';
import { writeOutputFile } from './output-file';

/*
 * A clip job (core/clip.ts) from files: its frames from a folder or an
 * animated GIF or WebP (clip-files.ts), its output a folder of frames
 * (written as each is done, frame_00001.png, …) or an animation (written at
 * the end with the input's timing, or 10 frames a second from a folder).
 * Checked first by checkJob (clip-check.ts).
 */

/** How long a frame shows when the frames came from a folder. */
const FOLDER_FRAME_MS = 100;

/** Paints a checked clip job; each frame's progress says its frame. Resolves with the clip's output and totals. */
export async function stylizeClipFiles(engine: Engine, job: JobSpec, checked: CheckedJob, hooks: FileHooks = {},
  speed?: MachineSpeed): Promise<Omit<StylizeResult, 'image'> & { output: string }> {
  const { options, maxInputPixels, gpuMemory, memory, ifExists, styleSizes } = checked;
  const { frames, timing } = await readClip(job.content!, { longestSide: options.size, maxInputPixels });
  const { styles, styleMasks } = await decodeStyleImages(job.styles, options, maxInputPixels, styleSizes,
    job.styleMasks);
  const limits = machineLimits(engine, gpuMemory, memory);
  const folder = animationFormat(job.output) ? null : job.output;
  if (folder) fs.mkdirSync(folder, { recursive: true });
  const painted: StylizeResult['image'][] = [];
  const onFrame = async (index: number, result: StylizeResult) => {
    if (!folder) painted.push(result.image);
    else await writeOutputFile(path.join(folder, frameName(index)), await encodeImage(result.image, 'frame.png'),
      ifExists === 'replace' ? 'replace' : 'refuse');
  };
  const request = { frames, styles, ...styleMasks ? { styleMasks } : {}, options, limits, speed,
    temporalWeight: job.clip!.temporalWeight };
  // A lost GPU ends the clip at once, as it ends a picture (gpu-loss.ts); the frames written so far stay.
  const summaries = await watchingTheGpu((signal) => stylizeClip(engine.vgg, request,
    { ...hooks, signal, onScaleDone: undefined, onFrame }), hooks.signal);
  const played: Timing = timing ?? { delays: frames.map(() => FOLDER_FRAME_MS), loop: 0 };
  const output = folder ?? await writeAnimation(painted, job.output, played, ifExists);
  const last = summaries[summaries.length - 1];
  return {
    ...last, output,
    steps: summaries.reduce((sum, s) => sum + s.steps, 0),
    elapsedMs: summaries.reduce((sum, s) => sum + s.elapsedMs, 0),
  };
}
