import { checkStyleShape, planStylization, Size } from '../core/plan';
import { StylizeOptions } from '../core/options';
import { checkStyleCount, validateOptions, validateRunOptions } from '../core/validate';
import { shown } from '../core/text';
import type { JobSpec } from '../protocol';
import { checkResumeFile } from './checkpoint';
import { imageSize } from './image';
import { checkOutputPath, IfExists } from './output-file';

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
 * header) and the output path. No tfjs here: the CLI runs it before it starts
 * the engine. Throws a NeuralStyleError naming the bad value.
 */
export async function checkJob(job: JobSpec): Promise<CheckedJob> {
  checkStyleCount(job.styles.length);
  const options = validateOptions(job.options);
  const { maxInputPixels, gpuMemory, memory } = validateRunOptions({
    maxInputPixels: job.maxInputPixels, gpuMemory: job.gpuMemory, memory: job.memory,
  });
  const content = await imageSize(job.content, maxInputPixels);
  const styleSizes: Size[] = [];
  for (const style of job.styles) { // in order: the first bad file is the one named
    styleSizes.push(await imageSize(style, maxInputPixels));
    checkStyleShape(options, styleSizes[styleSizes.length - 1], options.size, shown(style));
  }
  // The backend, and so its memory, is not known yet: plan without a memory limit to check sizes and weights now.
  planStylization(options, content, styleSizes, 'cpu', { hostBytes: Number.POSITIVE_INFINITY });
  if (job.resume) checkResumeFile(job.resume.image, job.checkpoints);
  const ifExists = job.ifExists ?? 'refuse';
  checkOutputPath(job.output, { inputs: [job.content, ...job.styles], ifExists });
  return { options, maxInputPixels, gpuMemory, memory, ifExists, styleSizes };
}
