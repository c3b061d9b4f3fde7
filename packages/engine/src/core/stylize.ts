import * as tf from '@tensorflow/tfjs';
import { NeuralStyleError } from './errors';
import { estimateRun, MachineSpeed, RunEstimate } from './cost';
import { keepContentColors, matchColourStatistics } from './image/colour';
import { MEAN_BGR, toRgbImage, toVggImage } from './image/convert';
import { HostImage, hostImage, RgbImage } from './image/host-image';
import { uniformNoise } from './image/noise';
import { resizeHost, upscaleWithContentDetail } from './image/resize';
import { fileStore, MEMORY_STORE } from './image/stored-image';
import { fileImageSpace, hostImageSpace, ImageSpace, tensorImageSpace } from './image-space';
import { LoopHooks, optimizeScale, RunClock, throwIfCancelled } from './loop';
import { MemoryLimits } from './memory-limits';
import { Objective, ObjectiveInputs } from './objective';
import { createTiledObjective } from './tiling/tiled-objective';
import { tileShapes } from './tiling/tile-shapes';
import { createWholeImageObjective } from './whole-objective';
import { releaseFreeGpuBuffers } from './ops/gpu-pool';
import { StylizeOptions } from './options';
import { Plan, planStylization, ScalePlan } from './plan';
import { checkMasks, checkRegionOptions, MaskImage, masksAt, recolourByRegion, styleRegion } from './regions';
import { ResumePoint, resumeProblem, ScaleCheckpoint } from './resume';
import { fitLongestSide } from './pixels';
import { LossTerms, Progress } from './progress';
import { validateOptions } from './validate';
import { FeatureExtractor } from './vgg19';

export type { LossTerms, MachineSpeed, MaskImage, Progress, ResumePoint, RunEstimate, ScaleCheckpoint };

export interface StylizeRequest {
  content: RgbImage;
  /** One or more style images; blended by options.styleBlendWeights, or each in its region (masks). */
  styles: RgbImage[];
  /** A region per style (regions.ts): grey masks the content's size, white where each style goes. */
  masks?: MaskImage[];
  options?: Partial<StylizeOptions>;
  /** What the run may use; default DEFAULT_LIMITS. */
  limits?: MemoryLimits;
  /** This machine's speed on the backend, as earlier runs measured it (StylizeResult.speed): the estimate's. */
  speed?: MachineSpeed;
  /** Take over where an earlier run of the same request stopped (its checkpoint): start at a later scale. */
  resume?: ResumePoint;
}

export interface StylizeHooks extends LoopHooks {
  /** Once planned, before the first step: what the run will do and take. */
  onPlan?: (estimate: RunEstimate) => void;
  /** Each scale but the last, once it has finished: its image, from which a later run may resume. Awaited. */
  onScaleDone?: (checkpoint: ScaleCheckpoint) => void | Promise<void>;
  /** The request's resume did not fit its plan (why): the run starts at its first scale instead. */
  onStartOver?: (why: string) => void;
}

export interface StylizeResult {
  image: RgbImage;
  losses: LossTerms;
  steps: number;
  elapsedMs: number;
  backend: string;
  options: StylizeOptions;
  /** The speed this run measured, for the next runs' estimates (none when no scale ran two iterations). */
  speed?: MachineSpeed;
}

/**
 * Paints `content` in the style of `styles` (Gatys et al. 2015): plan the
 * scales, then per scale build its objective and optimise, coarse to fine.
 * Runs on the current tfjs backend; frees every tensor it made, also when
 * cancelled or failing.
 */
export async function stylize(vgg: FeatureExtractor, request: StylizeRequest,
  hooks: StylizeHooks = {}): Promise<StylizeResult> {
  const o = validateOptions(request.options);
  if (request.styles.length === 0) throw new NeuralStyleError('At least one style image is needed.');
  if (request.masks) {
    checkMasks(request.masks, request.styles.length, request.content);
    checkRegionOptions(o);
  }
  const backend = tf.getBackend();
  const plan = planStylization(o, request.content, request.styles, backend, request.limits);
  checkSlicedPlan(plan);
  const resume = resumeOf(plan, request.resume, hooks);
  const resumed = resume && { scales: resume.fromScale - 1, steps: resume.steps };
  const clock = new RunClock(plan, backend, request.speed, resumed);
  hooks.onPlan?.(estimateRun(plan, backend, request.speed));
  vgg.prepare(plan.layers, o.pooling);
  const styles = request.styles.map(toVggImage);
  let x: HostImage | null = resume ? toVggImage(resume.image) : null;
  let terms: LossTerms = { content: 0, style: 0, tv: 0, total: 0 };
  for (const scale of plan.scales.slice(resume ? resume.fromScale - 1 : 0)) {
    throwIfCancelled(hooks.signal);
    clock.beginScale();
    const content = vggImageAt(request.content, scale.height, scale.width);
    const masks = request.masks && masksAt(request.masks, scale.height, scale.width);
    const regions = masks?.map((mask) => styleRegion(mask, o.styleLayers));
    const previous = x;
    // Made when the scale starts, and not kept once clipped: at a print's size it is as large as the image.
    const start = () => previous ? upscaleWithContentDetail(previous, content)
      : initialImage(plan, content, styles, masks);
    x = null;
    ({ image: x, terms } = await runScale(vgg, plan, scale, { content, styles, regions, start }, clock, hooks));
    if (scale.index < plan.scales.length - 1 && hooks.onScaleDone) {
      const checkpoint = { scale: scale.index + 1, scales: plan.scales.length, steps: clock.steps };
      await hooks.onScaleDone({ ...checkpoint, image: toRgbImage(x) });
    }
  }
  const result = o.preserveColors
    ? keepContentColors(x!, vggImageAt(request.content, plan.final.height, plan.final.width), MEAN_BGR) : x!;
  const { steps, elapsedMs, speed } = clock;
  const measured = speed ? { speed } : {};
  return { image: toRgbImage(result), losses: terms, steps, elapsedMs, backend, options: o, ...measured };
}

/**
 * The sliced-Wasserstein loss ranks every position of a layer at once: it runs on scales the backend holds whole
 * (sliced-wasserstein.ts). A tiled scale would need its projections gathered from every tile before any tile's
 * gradient, which the tiled objective does not do yet.
 */
function checkSlicedPlan(plan: Plan): void {
  if (plan.options.styleLoss !== 'sliced-wasserstein') return;
  const tiled = plan.scales.find((scale) => scale.tileSize !== null);
  if (!tiled) return;
  throw new NeuralStyleError(`styleLoss sliced-wasserstein paints pictures the backend holds whole, and a `
    + `${tiled.width}×${tiled.height} scale is painted in tiles here. Lower size, or use styleLoss gram.`);
}

/** The request's resume when it fits the plan; else none, and the hooks hear why the run starts over. */
function resumeOf(plan: Plan, resume: ResumePoint | undefined, hooks: StylizeHooks): ResumePoint | undefined {
  if (!resume) return undefined;
  const problem = resumeProblem(plan, resume);
  if (problem === null) return resume;
  hooks.onStartOver?.(problem);
  return undefined;
}

interface ScaleInputs extends ObjectiveInputs { start: () => HostImage }


/**
 * The photo in the network's units at height × width, without a second full-size copy (the photo is converted per
 * scale rather than kept converted: at a print's size that copy is as large as the image).
 */
function vggImageAt(photo: RgbImage, height: number, width: number): HostImage {
  const full = toVggImage(photo);
  return full.height === height && full.width === width ? full : resizeHost(full, height, width);
}

/**
 * One scale: its objective and image space (whole on the backend, or tiled in ordinary memory), the optimisation, the
 * result in ordinary memory.
 */
async function runScale(vgg: FeatureExtractor, plan: Plan, scale: ScalePlan, inputs: ScaleInputs, clock: RunClock,
  hooks: LoopHooks): Promise<{ image: HostImage; terms: LossTerms }> {
  const o = plan.options;
  // Adam adapts its step per coordinate, which undoes what the pyramid is for: pixels.
  const pyramid = o.parameterization === 'pyramid' && o.optimizer === 'lbfgs';
  if (scale.tileSize !== null) {
    const files = plan.limits.scratchFiles;
    const objective = await createTiledObjective(vgg, inputs, plan, scale, tileShapes(scale.tileSize),
      files ? fileStore(files) : MEMORY_STORE);
    const inSpace = <V>(space: ImageSpace<V, HostImage>) => optimizeIn(space, objective, plan, scale, inputs, clock,
      hooks);
    return files ? inSpace(fileImageSpace(pyramid, o.seamless, files)) : inSpace(hostImageSpace(pyramid, o.seamless));
  }
  const space = tensorImageSpace(pyramid, o.seamless);
  return optimizeIn(space, await createWholeImageObjective(vgg, inputs, plan, scale), plan, scale,
    inputs, clock, hooks);
}

/** Optimises one scale in `space`; frees the objective and the space's own tensors, however it ends. */
async function optimizeIn<V, I>(space: ImageSpace<V, I>, objective: Objective<I>, plan: Plan, scale: ScalePlan,
  inputs: ScaleInputs, clock: RunClock, hooks: LoopHooks): Promise<{ image: HostImage; terms: LossTerms }> {
  try {
    const start = clipped(space, inputs.start());
    const preview = async (image: I) => previewOf(await space.download(image), inputs.content, plan.options);
    const result = await optimizeScale({ plan, scale, objective, space, start, clock, backend: tf.getBackend(),
      preview }, hooks);
    let image: HostImage;
    try {
      image = await space.download(result.image);
    } finally {
      space.disposeImage(result.image);
    }
    return { image, terms: result.terms };
  } finally {
    objective.dispose();
    space.dispose();
    releaseFreeGpuBuffers();
  }
}

function clipped<V, I>(space: ImageSpace<V, I>, image: HostImage): I {
  const uploaded = space.upload(image);
  const start = space.clip(uploaded);
  space.disposeImage(uploaded);
  return start;
}

function initialImage(plan: Plan, content: HostImage, styles: HostImage[], masks?: HostImage[]): HostImage {
  const o = plan.options;
  if (o.init === 'content-in-style-colors') {
    return masks ? recolourByRegion(content, styles, masks) : matchColourStatistics(content, styles, plan.styleBlend);
  }
  if (o.init === 'content') return hostImage(content.height, content.width, 3, content.data.slice());
  const noise = uniformNoise(content.height, content.width, 3, o.seed);
  if (o.init === 'blend') {
    for (let i = 0; i < noise.data.length; i++) {
      noise.data[i] = noise.data[i] * o.noiseRatio + content.data[i] * (1 - o.noiseRatio);
    }
  }
  return noise;
}

function previewOf(image: HostImage, content: HostImage, o: StylizeOptions): RgbImage {
  const dims = fitLongestSide(image.width, image.height, Math.min(o.previewSize, Math.max(image.width, image.height)));
  const small = resizeHost(image, dims.height, dims.width);
  return toRgbImage(o.preserveColors
    ? keepContentColors(small, resizeHost(content, dims.height, dims.width), MEAN_BGR) : small);
}
