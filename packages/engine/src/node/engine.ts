import * as tf from '@tensorflow/tfjs';
import * as path from 'path';
import type { MachineSpeed } from '../core/cost';
import { gpuLimits, MemoryLimits } from '../core/memory-limits';
import { hostLimits } from './host-limits';
import { RunOptions } from '../core/options';
import { endsIteration, type JobSpec } from '../protocol';
import type { Progress } from '../core/progress';
import type { RgbImage } from '../core/pixels';
import type { ScaleCheckpoint } from '../core/resume';
import { stylize, StylizeHooks, StylizeRequest, StylizeResult } from '../core/stylize';
import { checkMasks } from '../core/regions';
import { checkStyleMasks } from '../core/style-masks';
import { shown } from '../core/text';
import { validateRunOptions } from '../core/validate';
import { createVgg19, FeatureExtractor } from '../core/vgg19';
import { decodeVgg19, verifyWeightFiles } from '../core/weights';
import { BackendReport, chooseBackend } from './backend';
import { readCheckpointFile } from './checkpoint';
import { watchGpu } from './gpu-loss';
import { encodeImage } from './image';
import { decodeJobImages } from './job-images';
import { CheckedJob, checkJob } from './job-check';
import { writeOutputFile } from './output-file';
import { formatResultParameters, lossPointOf, type LossPoint } from '../result-parameters';
import { DownloadProgress, loadWeightFiles } from './weights-source';

/** How loadEngine loads: the backend, the weights, and what it tells while it does. */
export interface LoadEngineOptions {
  backend?: RunOptions['backend'];
  /** A weights folder or an http(s) URL of a model.json; default: the bundled VGG19. */
  weights?: string;
  onDownload?: (p: DownloadProgress) => void;
  /** Something the user should know that does not stop the run (weights without SHA256SUMS load unverified). */
  onWarning?: (message: string) => void;
  /** Aborting it stops a weights download: loadEngine rejects with a CancelledError. */
  signal?: AbortSignal;
}

/** A loaded engine: the backend is set and the VGG19 weights are on it. */
export interface Engine {
  readonly backend: BackendReport;
  readonly vgg: FeatureExtractor;
  dispose(): void;
}

export async function loadEngine(config: LoadEngineOptions = {}): Promise<Engine> {
  const { backend: choice } = validateRunOptions({ backend: config.backend });
  // The weights first: a wrong --weights fails before the backend spends a second starting.
  const { onDownload: onProgress, onWarning, signal } = config;
  const files = await loadWeightFiles(config.weights, { onProgress, onWarning, signal });
  await verifyWeightFiles(files);
  const backend = await chooseBackend(choice);
  if (files.unverified) {
    onWarning?.(`${files.unverified}: loaded unverified (only their sizes and shapes were checked).`);
  }
  const vgg = createVgg19(decodeVgg19(files));
  return { backend, vgg, dispose: () => vgg.dispose() };
}

/**
 * What a run on this machine may use: its memory and temporary files
 * (hostLimits; the plan refuses a run whose estimated peak or files would not
 * fit), and on WebGPU `gpuMemory` GB of the GPU, in buffers as large as its
 * adapter allows.
 */
export function machineLimits(engine: Engine, gpuMemory: number, memory = 0): MemoryLimits {
  const { adapter } = engine.backend;
  return { ...hostLimits(memory), ...(adapter ? { gpu: gpuLimits(gpuMemory, adapter) } : {}) };
}

/**
 * Stylizes image files: checks the job (inputs, output path) first, then
 * stylizeCheckedFiles. A cancelled or failed run writes nothing. `output` is
 * the path written.
 */
export async function stylizeFiles(engine: Engine, job: JobSpec,
  hooks: FileHooks = {}): Promise<StylizeResult & { output: string }> {
  return stylizeCheckedFiles(engine, job, await checkJob(job), hooks); // a bad path or input fails before any work
}

/** What a run of files tells as it goes: a finished scale's checkpoint comes with the loss trace so far. */
export interface FileHooks extends Omit<StylizeHooks, 'onScaleDone'> {
  onScaleDone?: (checkpoint: ScaleCheckpoint, losses: readonly LossPoint[]) => void | Promise<void>;
  /** A clip's frame (1-based) of `frames` is written to `file`; `preview`: it at the preview's size (clip-job.ts). */
  onFrameDone?: (done: { frame: number; frames: number; file: string; preview: RgbImage }) => void;
}

/**
 * Stylizes the image files of a job checkJob passed (the engine process checks
 * before the weights load): decodes and resizes the images with sharp, runs
 * the core, and writes the result with an exclusive create (job.ifExists).
 * `speed`: this machine's on the engine's backend, as earlier runs measured it (the estimate's).
 */
export async function stylizeCheckedFiles(engine: Engine, job: JobSpec, checked: CheckedJob,
  hooks: FileHooks = {}, speed?: MachineSpeed): Promise<StylizeResult & { output: string }> {
  const { options, maxInputPixels, gpuMemory, memory, ifExists, styleSizes } = checked;
  const { content, styles, masks, styleMasks } = await decodeJobImages(job.content ?? job.texture!, job.styles,
    options, maxInputPixels, styleSizes, job.masks, job.styleMasks);
  // Named by their files.
  if (masks) checkMasks(masks, styles.length, content, job.masks!.map((m) => shown(m)));
  if (styleMasks) checkStyleMasks(styleMasks, styles, job.styleMasks!.map((m) => m && shown(m)));
  const { resume, losses } = await resumeOf(job, hooks);
  const limits = machineLimits(engine, gpuMemory, memory);
  const request = { content, styles, ...masks ? { masks } : {}, ...styleMasks ? { styleMasks } : {}, options, limits,
    speed, resume };
  // The loss at each iteration's end, kept in the picture so a panel opened on it later can draw its chart; a resumed
  // run's begins with its checkpoint's.
  let trace: LossPoint[] = [...losses];
  const onProgress = (p: Progress) => {
    if (endsIteration(p)) trace.push(lossPointOf(p));
    hooks.onProgress?.(p);
  };
  const onStartOver = (why: string) => {
    trace = [];
    hooks.onStartOver?.(why);
  };
  const onScaleDone = hooks.onScaleDone && ((checkpoint: ScaleCheckpoint) => hooks.onScaleDone!(checkpoint, trace));
  const run = (signal: AbortSignal) => stylize(engine.vgg, request,
    { ...hooks, onProgress, onStartOver, onScaleDone, signal });
  const result = await watchingTheGpu(run, hooks.signal);
  const parameters = formatResultParameters({
    ...(job.content !== undefined ? { content: path.basename(job.content) } : { texture: job.texture! }),
    styles: job.styles.map((s) => path.basename(s)),
    ...job.masks ? { masks: job.masks.map((m) => path.basename(m)) } : {},
    ...job.styleMasks ? { styleMasks: job.styleMasks.map((m) => m && path.basename(m)) } : {},
    backend: engine.backend.name, options, steps: result.steps, losses: trace,
  });
  const output = await writeOutputFile(job.output, await encodeImage(result.image, job.output, parameters), ifExists);
  return { ...result, output };
}

/**
 * The job's resume with its checkpoint's pixels, and the loss trace up to it; none when it cannot be read (the hooks
 * hear why: a start over).
 */
async function resumeOf(job: JobSpec, hooks: FileHooks): Promise<{ resume?: StylizeRequest['resume']; losses: LossPoint[] }> {
  if (!job.resume) return { losses: [] };
  const { fromScale, image, steps } = job.resume;
  try {
    const checkpoint = await readCheckpointFile(image, steps);
    return { resume: { fromScale, steps, image: checkpoint.image }, losses: checkpoint.losses };
  } catch (e) {
    hooks.onStartOver?.(`the checkpoint ${image} cannot be read (${(e as Error).message})`);
    return { losses: [] };
  }
}

/**
 * Runs `run`, ended at once with EGPULOST when the GPU is lost or fails under it (gpu-loss.ts); the run is then
 * told to stop.
 */
export async function watchingTheGpu<T>(run: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const gpu = watchGpu();
  const stop = new AbortController();
  const running = run(signal ? AbortSignal.any([signal, stop.signal]) : stop.signal);
  try {
    return await Promise.race([running, gpu.failed]);
  } catch (error) {
    stop.abort();
    running.catch(() => {}); // it may never settle on a lost device; if it does, its error is this one's echo
    throw error;
  } finally {
    gpu.stop();
  }
}

export { tf };
export { stylizeClipFiles } from './clip-job';
