import * as tf from '@tensorflow/tfjs';
import { NeuralStyleError } from './errors';
import { estimateRun, MachineSpeed, RunEstimate } from './cost';
import { keepContentColors, matchColourStatistics } from './image/colour';
import { MEAN_BGR, toRgbImage, toVggImage } from './image/convert';
import { HostImage, hostImage, RgbImage } from './image/host-image';
import { uniformNoise } from './image/noise';
import { resizeHost, upscaleWithContentDetail } from './image/resize';
import { fileStore, MEMORY_STORE, StoredImage } from './image/stored-image';
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
import type { StyleTargetCache } from './style-cache';
import { checkStyleMasks, styleMaskImages, StyleMasks } from './style-masks';
import { TemporalTarget } from './temporal';
import { fitLongestSide } from './pixels';
import { LossTerms, Progress } from './progress';
import { validateOptions } from './validate';
import { FeatureExtractor } from './vgg19';

export type { LossTerms, MachineSpeed, MaskImage, Progress, ResumePoint, RunEstimate, ScaleCheckpoint, StyleMasks };

export interface StylizeRequest {
  content: RgbImage;
  /** One or more style images; blended by options.styleBlendWeights, or each in its region (masks). */
  styles: RgbImage[];
  /** A region per style (regions.ts): grey masks the content's size, white where each style goes. */
  masks?: MaskImage[];
  /** Per style, the part of its painting its style is taken from (style-masks.ts): a mask its size, or null. */
  styleMasks?: StyleMasks;
  /** The first scale's start in place of options.init, at any size: a clip's frame starts from the last, warped. */
  start?: RgbImage;
  /** A clip's frame (temporal.ts): the previous frame's result warped to this one, and where the flow holds. */
  temporal?: ClipTemporal;
  options?: Partial<StylizeOptions>;
  /** What the run may use; default DEFAULT_LIMITS. */
  limits?: MemoryLimits;
  /** This machine's speed on the backend, as earlier runs measured it (StylizeResult.speed): the estimate's. */
  speed?: MachineSpeed;
  /** Take over where an earlier run of the same request stopped (its checkpoint): start at a later scale. */
  resume?: ResumePoint;
  /** A clip's style targets, kept from one frame to the next (style-cache.ts; the clip disposes it). */
  styleCache?: StyleTargetCache;
}

/** A clip frame's temporal target at the output's size: the warped previous result, c a pixel (0..1), the weight. */
export interface ClipTemporal { image: RgbImage; weights: Float32Array; weight: number }

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
  if (request.styleMasks) checkStyleMasks(request.styleMasks, request.styles);
  const backend = tf.getBackend();
  const plan = planStylization(o, request.content, request.styles, backend, request.limits);
  if (request.temporal) checkTemporal(request.temporal, plan.final);
  const resume = resumeOf(plan, request.resume, hooks);
  const resumed = resume && { scales: resume.fromScale - 1, steps: resume.steps };
  const clock = new RunClock(plan, backend, request.speed, resumed);
  hooks.onPlan?.(estimateRun(plan, backend, request.speed));
  vgg.prepare(plan.layers, o.pooling);
  let x: HostImage | null = resume ? toVggImage(resume.image) : null;
  let terms: LossTerms = { content: 0, style: 0, tv: 0, total: 0 };
  for (const scale of plan.scales.slice(resume ? resume.fromScale - 1 : 0)) {
    throwIfCancelled(hooks.signal);
    clock.beginScale();
    const { content: photo, styles, masks, styleMasks, start, temporal, styleCache } = request;
    const source: ScaleSource = { photo, styles, masks, styleMasks, start, temporal, styleCache, previous: x };
    x = null; // the scale takes the previous image over, and lets it go once its start is made
    ({ image: x, terms } = await runScale(vgg, plan, scale, source, clock, hooks));
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

/** The request's resume when it fits the plan; else none, and the hooks hear why the run starts over. */
function resumeOf(plan: Plan, resume: ResumePoint | undefined, hooks: StylizeHooks): ResumePoint | undefined {
  if (!resume) return undefined;
  const problem = resumeProblem(plan, resume);
  if (problem === null) return resume;
  hooks.onStartOver?.(problem);
  return undefined;
}

/**
 * What a scale is made from. `previous` (the coarser scale's result) is the scale's: it lets it go once its start is
 * made, as it does the photo and the paintings in the network's units once its targets are computed; at a print's
 * size each is as large as the image (4 bytes a value against the RGB's 1).
 */
interface ScaleSource {
  photo: RgbImage;
  styles: RgbImage[];
  masks?: MaskImage[];
  styleMasks?: StyleMasks;
  start?: RgbImage;
  temporal?: ClipTemporal;
  styleCache?: StyleTargetCache;
  previous: HostImage | null;
}

/** A scale ready to optimise: its objective, its start in its space, and the photo at the preview's size. */
interface PreparedScale<I> { objective: Objective<I>; start: I; previewPhoto: HostImage | null }

/**
 * The photo in the network's units at height × width, without a second full-size copy (the photo is converted per
 * scale rather than kept converted: at a print's size that copy is as large as the image).
 */
function vggImageAt(photo: RgbImage, height: number, width: number): HostImage {
  const full = toVggImage(photo);
  return full.height === height && full.width === width ? full : resizeHost(full, height, width);
}

/**
 * One scale: its objective and image space (whole on the backend, or tiled where its store keeps it), the
 * optimisation, the result in ordinary memory.
 */
async function runScale(vgg: FeatureExtractor, plan: Plan, scale: ScalePlan, source: ScaleSource, clock: RunClock,
  hooks: LoopHooks): Promise<{ image: HostImage; terms: LossTerms }> {
  const o = plan.options;
  // Adam adapts its step per coordinate, which undoes what the pyramid is for: pixels.
  const pyramid = o.parameterization === 'pyramid' && o.optimizer === 'lbfgs';
  const runIn = async <V, I>(space: ImageSpace<V, I>,
    objective: (inputs: ObjectiveInputs) => Promise<Objective<I>>) => {
    let prepared: PreparedScale<I>;
    try {
      prepared = await prepareScale(space, plan, scale, source, objective);
    } catch (error) {
      space.dispose(); // cancelled or failed before the optimisation, which frees it otherwise
      throw error;
    }
    return optimizeIn(space, prepared, plan, scale, clock, hooks);
  };
  if (scale.tileSize !== null) {
    const files = plan.limits.scratchFiles;
    const tiles = tileShapes(scale.tileSize);
    const tiled = (inputs: ObjectiveInputs) =>
      createTiledObjective(vgg, inputs, plan, scale, tiles, files ? fileStore(files) : MEMORY_STORE);
    return files ? runIn(fileImageSpace(pyramid, o.seamless, files), tiled)
      : runIn(hostImageSpace(pyramid, o.seamless), tiled);
  }
  return runIn(tensorImageSpace(pyramid, o.seamless),
    (inputs) => createWholeImageObjective(vgg, inputs, plan, scale));
}

/**
 * The scale's photo, masks and regions at its size, its objective and its start (the previous result enlarged, or the
 * first start), in `space`. What is image-sized here is gone when it returns, but for the start itself; the start is
 * made in the photo's values, which the targets no longer need (at a print's size, one copy fewer at the peak).
 */
async function prepareScale<V, I>(space: ImageSpace<V, I>, plan: Plan, scale: ScalePlan, source: ScaleSource,
  makeObjective: (inputs: ObjectiveInputs) => Promise<Objective<I>>): Promise<PreparedScale<I>> {
  const content = vggImageAt(source.photo, scale.height, scale.width);
  const masks = source.masks && masksAt(source.masks, scale.height, scale.width);
  const regions = masks?.map((mask) => styleRegion(mask, plan.options.styleLayers));
  let styles: HostImage[] | null = source.styles.map(toVggImage);
  const styleMasks = source.styleMasks && styleMaskImages(source.styleMasks);
  const temporal = source.temporal && temporalAt(source.temporal, scale);
  const objective = await makeObjective({ content, styles, regions, styleMasks, temporal,
    styleCache: source.styleCache });
  try {
    const { height, width } = previewSize(scale, plan.options);
    const previewPhoto = plan.options.preserveColors ? resizeHost(content, height, width) : null;
    const previous = source.previous;
    source.previous = null;
    if (previous) styles = null; // only a first start takes the paintings' colours
    const first = () => (source.start ? vggImageAt(source.start, scale.height, scale.width)
      : initialImage(plan, content, { images: styles!, masks: styleMasks }, masks));
    const start = clipped(space, previous ? upscaleWithContentDetail(previous, content) : first());
    return { objective, start, previewPhoto };
  } catch (error) {
    objective.dispose();
    throw error;
  }
}

/** Optimises one scale in `space`; frees the objective and the space's own tensors, however it ends. */
async function optimizeIn<V, I>(space: ImageSpace<V, I>, prepared: PreparedScale<I>, plan: Plan, scale: ScalePlan,
  clock: RunClock, hooks: LoopHooks): Promise<{ image: HostImage; terms: LossTerms }> {
  const { objective, start, previewPhoto } = prepared;
  try {
    const { height, width } = previewSize(scale, plan.options);
    const preview = async (image: I) => previewOf(await space.shrink(image, height, width), previewPhoto);
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

/**
 * The first scale's start, as `init` says; made in `content`'s values where it can (content is consumed). `styles`:
 * the paintings and the parts of them their styles are taken from.
 */
function initialImage(plan: Plan, content: HostImage, styles: { images: HostImage[]; masks?: (HostImage | null)[] },
  masks?: HostImage[]): HostImage {
  const o = plan.options;
  if (o.init === 'content-in-style-colors') {
    return masks ? recolourByRegion(content, styles.images, masks, styles.masks)
      : matchColourStatistics(content, styles.images, plan.styleBlend, true, styles.masks);
  }
  if (o.init === 'content') return content;
  const noise = uniformNoise(content.height, content.width, 3, o.seed);
  if (o.init === 'blend') {
    for (let i = 0; i < noise.data.length; i++) {
      noise.data[i] = noise.data[i] * o.noiseRatio + content.data[i] * (1 - o.noiseRatio);
    }
  }
  return noise;
}

/** A clip frame's temporal target at a scale's size. */
function temporalAt(temporal: ClipTemporal, scale: ScalePlan): TemporalTarget {
  const { width, height } = temporal.image;
  const weights = hostImage(height, width, 1, temporal.weights);
  return {
    image: vggImageAt(temporal.image, scale.height, scale.width),
    weights: height === scale.height && width === scale.width ? weights
      : resizeHost(weights, scale.height, scale.width),
    weight: temporal.weight,
  };
}

/** A temporal target must be the output's size, c one value a pixel in 0..1, the weight not negative. */
function checkTemporal({ image, weights, weight }: ClipTemporal, final: { width: number; height: number }): void {
  if (image.width !== final.width || image.height !== final.height) {
    throw new NeuralStyleError(`The temporal target is ${image.width}×${image.height}; it must be the output's size, `
      + `${final.width}×${final.height}.`);
  }
  if (weights.length !== image.width * image.height || weights.some((c) => !(c >= 0 && c <= 1))) {
    throw new NeuralStyleError('The temporal weights must be one value from 0 to 1 a pixel of the output.');
  }
  if (!(weight >= 0 && Number.isFinite(weight))) {
    throw new NeuralStyleError(`Invalid temporal weight ${weight}: give a number from 0 up.`);
  }
}

/** A preview's size: the scale's, its longest side at most previewSize. */
function previewSize(scale: ScalePlan, o: StylizeOptions): { height: number; width: number } {
  return fitLongestSide(scale.width, scale.height, Math.min(o.previewSize, Math.max(scale.width, scale.height)));
}

/** A preview from the image at its size, in the photo's colours where they are kept (`photo` at the same size). */
function previewOf(small: HostImage, photo: HostImage | null): RgbImage {
  return toRgbImage(photo ? keepContentColors(small, photo, MEAN_BGR) : small);
}
