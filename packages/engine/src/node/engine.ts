import * as tf from '@tensorflow/tfjs';
import * as os from 'os';
import { MemoryLimits } from '../core/memory-limits';
import { RunOptions } from '../core/options';
import type { JobSpec } from '../protocol';
import { stylize, StylizeHooks, StylizeResult } from '../core/stylize';
import { validateOptions, validateRunOptions } from '../core/validate';
import { styleLongestSide } from '../core/plan';
import { createVgg19, FeatureExtractor } from '../core/vgg19';
import { decodeVgg19, verifyWeightFiles } from '../core/weights';
import { BackendReport, chooseBackend } from './backend';
import { decodeImageFile, outputFormat, writeImageFile } from './image';
import { DownloadProgress, loadWeightFiles } from './weights-source';

export interface EngineConfig {
  backend?: RunOptions['backend'];
  /** A weights folder or an http(s) URL of a model.json; default: the bundled VGG19. */
  weights?: string;
  onDownload?: (p: DownloadProgress) => void;
}

/** A loaded engine: the backend is set and the VGG19 weights are on it. */
export interface Engine {
  readonly backend: BackendReport;
  readonly vgg: FeatureExtractor;
  dispose(): void;
}

export async function loadEngine(config: EngineConfig = {}): Promise<Engine> {
  const { backend: choice } = validateRunOptions({ backend: config.backend });
  const backend = await chooseBackend(choice);
  const files = await loadWeightFiles(config.weights, config.onDownload);
  await verifyWeightFiles(files);
  const vgg = createVgg19(decodeVgg19(files));
  return { backend, vgg, dispose: () => vgg.dispose() };
}

/**
 * Stylizes image files: decodes and resizes them with sharp, runs the core, and
 * writes the result atomically. A cancelled or failed run writes nothing.
 */
/** What a run on this machine may use: three quarters of its memory (the rest for the system and the backend's own heap). */
export function machineLimits(): MemoryLimits {
  return { hostBytes: 0.75 * os.totalmem() };
}

export async function stylizeFiles(engine: Engine, job: JobSpec, hooks: StylizeHooks = {}): Promise<StylizeResult & { output: string }> {
  const options = validateOptions(job.options);
  const { maxInputPixels } = validateRunOptions({ maxInputPixels: job.maxInputPixels });
  outputFormat(job.output); // fail on a bad extension before any work
  const content = await decodeImageFile(job.content, { longestSide: options.size, maxInputPixels });
  const styleSide = styleLongestSide(options, options.size);
  const styles = await Promise.all(job.styles.map((s) => decodeImageFile(s, { longestSide: styleSide, maxInputPixels })));
  const result = await stylize(engine.vgg, { content, styles, options, limits: machineLimits() }, hooks);
  const parameters = {
    software: 'neural-style', content: job.content, styles: job.styles, backend: engine.backend.name, ...options,
    steps: result.steps, seconds: Math.round(result.elapsedMs / 100) / 10,
  };
  await writeImageFile(result.image, job.output, [job.content, ...job.styles], parameters);
  return { ...result, output: job.output };
}

export { tf };
