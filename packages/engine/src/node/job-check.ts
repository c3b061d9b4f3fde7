import { checkStyleShape, planStylization, Size } from '../core/plan';
import { StylizeOptions } from '../core/options';
import { checkStyleCount, validateOptions, validateRunOptions } from '../core/validate';
import { shown } from '../core/text';
import { checkMaskCount, checkMaskSize, checkRegionOptions } from '../core/regions';
import { checkStyleMaskCount, checkStyleMaskSize } from '../core/style-masks';
import { checkTextureSize, textureOptions } from '../core/texture';
import type { JobSpec } from '../protocol';
import { NeuralStyleError } from '../core/errors';
import { checkResumeFile } from './checkpoint';
import { checkClipJob } from './clip-check';
import { hostLimits } from './host-limits';
import { imageSize } from './image';
import { checkOutputPath, IfExists } from './output-file';

/** Backends that compute in the process's own memory, which the memory budget covers. */
const CPU_BACKENDS = new Set(['wasm', 'cpu']);

/** A job whose options are merged over the defaults and whose files have passed every check that needs no weights. */
export interface CheckedJob {
  options: StylizeOptions;
  maxInputPixels: number;
  gpuMemory: number;
  /** GB the run may use (RUN_OPTION_SPECS.memory; 0: the machine's free memory). */
  memory: number;
  ifExists: IfExists;
  /** The style images' sizes, from their headers (oriented). */
  styleSizes: Size[];
}

/**
 * Everything about a job that can be known before the weights load, in
 * milliseconds: the options, each input's header (exists, is an image, within
 * the pixel limit), the output's size for the network (from the content's
 * header) and the output path, and with `backend` named wasm or cpu, the
 * memory budget. No tfjs here: the CLI runs it before it starts the engine.
 * Throws a NeuralStyleError naming the bad value.
 */
export async function checkJob(job: JobSpec, backend?: string): Promise<CheckedJob> {
  checkStyleCount(job.styles.length);
  if (job.texture) checkTextureSize(job.texture);
  const options = job.texture ? textureOptions(job.options, job.texture) : validateOptions(job.options);
  const { maxInputPixels, gpuMemory, memory } = validateRunOptions({
    maxInputPixels: job.maxInputPixels, gpuMemory: job.gpuMemory, memory: job.memory,
  });
  const ifExists = job.ifExists ?? 'refuse';
  const content = job.clip ? await checkClipJob(job, maxInputPixels, ifExists) : await contentSize(job, maxInputPixels);
  const styleSizes: Size[] = [];
  for (const style of job.styles) { // in order: the first bad file is the one named
    styleSizes.push(await imageSize(style, maxInputPixels));
    checkStyleShape(options, styleSizes[styleSizes.length - 1], options.size, shown(style));
  }
  if (job.masks) await checkMaskFiles(job, content, options, maxInputPixels);
  if (job.styleMasks) await checkStyleMaskFiles(job, styleSizes, maxInputPixels);
  // With a CPU backend named, the run's memory is the machine's: its budget is checked now. Otherwise the backend, and
  // so its memory, is not known yet: plan without a memory limit to check sizes and weights.
  const known = backend !== undefined && CPU_BACKENDS.has(backend);
  planStylization(options, content, styleSizes, known ? backend : 'cpu',
    known ? hostLimits(memory) : { hostBytes: Number.POSITIVE_INFINITY });
  if (job.resume) checkResumeFile(job.resume.image, job.checkpoints);
  const styleMasks = (job.styleMasks ?? []).filter((m): m is string => m !== null);
  if (!job.clip) {
    checkOutputPath(job.output, {
      inputs: [...(job.content ? [job.content] : []), ...job.styles, ...job.masks ?? [], ...styleMasks], ifExists,
    });
  }
  return { options, maxInputPixels, gpuMemory, memory, ifExists, styleSizes };
}

/** The size the output is planned from: the photo's header, or the texture's. A job has one or the other. */
async function contentSize(job: JobSpec, maxInputPixels: number): Promise<Size> {
  if (job.content !== undefined && job.texture) {
    throw new NeuralStyleError('A job has a content image or a texture size, not both.');
  }
  if (job.texture) return job.texture;
  if (job.content === undefined) throw new NeuralStyleError('Give a content image, or a texture size for a texture.');
  return imageSize(job.content, maxInputPixels);
}

/**
 * Region masks (core/regions.ts) from their headers: one per style, each the photo's size, and a photo to mask. That
 * a mask is not black everywhere is the core's check, on its pixels.
 */
async function checkMaskFiles(job: JobSpec, photo: Size, options: StylizeOptions,
  maxInputPixels: number): Promise<void> {
  const masks = job.masks!;
  if (job.texture) throw new NeuralStyleError('A texture has no photo for masks to divide: leave out the masks.');
  checkMaskCount(masks.length, job.styles.length);
  checkRegionOptions(options);
  for (const mask of masks) {
    checkMaskSize(shown(mask), await imageSize(mask, maxInputPixels), photo, shown(job.content!));
  }
}

/**
 * Style masks (core/style-masks.ts) from their headers: one entry a style (null: its whole painting), each mask its
 * painting's size. That a mask is not black everywhere is the core's check, on its pixels.
 */
async function checkStyleMaskFiles(job: JobSpec, styleSizes: readonly Size[], maxInputPixels: number): Promise<void> {
  const masks = job.styleMasks!;
  checkStyleMaskCount(masks.length, job.styles.length);
  for (const [i, mask] of masks.entries()) {
    if (mask === null) continue;
    checkStyleMaskSize(shown(mask), await imageSize(mask, maxInputPixels), styleSizes[i], shown(job.styles[i]));
  }
}
