import { NeuralStyleError } from './errors';
import { deepestLayer, minimumSide } from './geometry';
import { StylizeOptions, VggLayer } from './options';
import { fitLongestSide } from './size';
import { seamlessSize, seamlessSizes } from './seamless';
import { styleBlend } from './validate';
import { DEFAULT_LIMITS, gpuTileSize, MemoryLimits, wholeImageFits } from './memory-limits';
import { checkPeak, checkScratch, EstimateContext, runPeakBytes, runScratchBytes } from './memory-estimate';
import { vggStages } from './tiling/stages';
import { textureTileSize, wholeImageTexturesFit } from './tiling/texture-limit';
import { TILING } from './tuning';

/*
 * What a run will do, decided before any tensor exists: the sizes of its
 * scales and their iterations, the style images' sizes, the weights, and
 * whether it fits the backend's memory. Everything here is checked up front
 * so that a bad request fails in milliseconds.
 */

export interface Size { width: number; height: number }

export interface ScalePlan extends Size {
  /** 0-based, coarse to fine; the last is the output's size. */
  index: number;
  iterations: number;
  /** Whole on the backend (null), or tile by tile with first-stage tiles this wide (0: the default shape). */
  tileSize: number | null;
}

export interface Plan {
  options: StylizeOptions;
  /** The photo's size (an output larger than it is an enlargement, which a host may warn of). */
  content: Size;
  /** The output's size. */
  final: Size;
  scales: ScalePlan[];
  totalSteps: number;
  /** Every layer the objective reads: the style layers, then the content layer. */
  layers: VggLayer[];
  /** The paper's w_l: the style layers' weights normalised to sum to 1. */
  styleLayerWeights: number[];
  /** Each style image's weight, normalised to sum to 1. */
  styleBlend: number[];
  /** What the run may use. */
  limits: MemoryLimits;
  /** The run's estimated peak memory in bytes (memory-estimate.ts), within limits.hostBytes. */
  peakBytes: number;
  /** Its estimated scratch files at their peak, in bytes (0: none). */
  scratchBytes: number;
}

/**
 * Longest sides of the scales, coarse to fine: with multiScale, halving from size down to a draft of at most draftSize.
 */
export function scaleSizes(options: StylizeOptions): number[] {
  const sizes = [options.size];
  while (options.multiScale && sizes[0] > options.draftSize) sizes.unshift(Math.round(sizes[0] / 2));
  return sizes;
}

/** The first scale (the draft) gets options.iterations, each finer one options.fineIterations. */
export function scaleIterations(options: StylizeOptions, scaleCount: number): number[] {
  return Array.from({ length: scaleCount }, (_, i) => (i === 0 ? options.iterations : options.fineIterations));
}

/** The longest side of the style images at a scale whose longest side is `scaleSide`. */
export function styleLongestSide(options: StylizeOptions, scaleSide: number): number {
  return Math.max(16, Math.round(options.styleScale * scaleSide));
}

/**
 * A style image's size at `scale`: its longest side styleLongestSide, but
 * never so small that its shorter side leaves the deepest style layer
 * without a position (the wasm backend reads out of bounds there). Such a
 * style (a small styleScale at a small size, a thin strip) is enlarged
 * until it has one, rather than refused: its brush strokes stop getting finer.
 */
export function styleSize(options: StylizeOptions, style: Size, scale: Size): Size {
  return enlargedStyle(options, style, scale)
    ?? fitLongestSide(style.width, style.height, styleLongestSide(options, Math.max(scale.width, scale.height)));
}

/**
 * The style's size with its shorter side raised to what the style layers need, or null when its fitted size already has
 * it.
 */
function enlargedStyle(options: StylizeOptions, style: Size, scale: Size): Size | null {
  const fitted = fitLongestSide(style.width, style.height,
    styleLongestSide(options, Math.max(scale.width, scale.height)));
  const need = minimumSide(options.styleLayers);
  if (Math.min(fitted.width, fitted.height) >= need) return null;
  const enlarge = need / Math.min(style.width, style.height);
  return style.width <= style.height
    ? { width: need, height: Math.round(style.height * enlarge) }
    : { width: Math.round(style.width * enlarge), height: need };
}

/** How many times longer than wide an enlarged style may be: a thinner strip would grow without end. */
export const MAX_STYLE_ASPECT = 32;

/**
 * Refuses a style too thin to enlarge (styleSize) for an output of longest side `size`; `name` is how the user knows
 * it.
 */
export function checkStyleShape(options: StylizeOptions, style: Size, size: number, name: string): void {
  const need = minimumSide(options.styleLayers);
  const enlarged = enlargedStyle(options, style, { width: size, height: size });
  if (enlarged && Math.max(enlarged.width, enlarged.height) > need * MAX_STYLE_ASPECT) {
    throw new NeuralStyleError(`The style ${name} (${style.width}×${style.height} px) is too thin: its shorter side must be enlarged to ${need} px for the style layers, `
      + `and then it may be at most ${MAX_STYLE_ASPECT} times as long. Crop it to the part you want painted, or raise styleScale.`, 'EIMAGE');
  }
}

/**
 * The first-stage tile of every scale of a low-memory run (TILING.lowMemoryPixels: a large output on wasm), or
 * null for none; tileSize, when given, is the user's.
 */
function lowMemoryTileOf(options: StylizeOptions, final: Size, backend: string): number | null {
  const large = backend === 'wasm' && final.width * final.height >= TILING.lowMemoryPixels;
  return options.tileSize === 0 && large ? TILING.lowMemoryTiles[0] : null;
}

/** What the memory estimate needs to know of a run of `options` within `limits`. */
export function estimateContext(options: StylizeOptions, backend: string, limits: MemoryLimits): EstimateContext {
  const lbfgs = options.optimizer === 'lbfgs';
  return {
    backend, pyramid: lbfgs && options.parameterization === 'pyramid', history: lbfgs ? options.lbfgsHistory : 0,
    onDisk: limits.scratchFiles !== undefined, sliced: options.styleLoss === 'sliced-wasserstein',
  };
}

/**
 * Whole while the image is small enough to be fastest that way and fits the
 * backend (its memory, and WebGL's texture limit); tile by tile otherwise,
 * or whenever tileSize asks for tiles, with tiles whose textures fit; in a
 * low-memory run (`lowTile`), every scale with those tiles. On WebGPU, whole
 * whenever it fits the run's GPU memory (a GPU is fastest on large
 * dispatches), else with the largest tiles that fit.
 */
function tilingOf(options: StylizeOptions, size: Size, layers: readonly VggLayer[], backend: string,
  limits: MemoryLimits, lowTile: number | null): number | null {
  const texture = limits.maxTextureSize;
  const stages = vggStages(deepestLayer(layers));
  const small = limits.gpu !== undefined || size.width * size.height <= TILING.wholeImagePixels;
  const whole = lowTile === null && options.tileSize === 0 && small
    && wholeImageFits(size.width, size.height, backend, limits)
    && (!texture || wholeImageTexturesFit(stages, size.width, size.height, texture));
  if (whole) return null;
  const asked = lowTile ?? options.tileSize;
  if (limits.gpu) return Math.min(asked || Number.POSITIVE_INFINITY, gpuTileSize(limits.gpu));
  if (!texture) return asked;
  return Math.min(asked || TILING.firstStageTile, textureTileSize(stages, texture));
}

/** The scales of a run of `options` whose output is `final`: sizes, iterations and tiling (no memory check). */
function planScales(options: StylizeOptions, final: Size, layers: readonly VggLayer[], backend: string,
  limits: MemoryLimits, lowTile: number | null): ScalePlan[] {
  const minSide = minimumSide(layers);
  // Coarse scales too small for the network are left out.
  const sizes = seamlessSizes(options, scaleSizes(options).map((s) => fitLongestSide(final.width, final.height, s))
    .filter((d) => Math.min(d.width, d.height) >= minSide), final, layers);
  const iterations = scaleIterations(options, sizes.length);
  return sizes.map((d, index) => ({
    ...d, index, iterations: iterations[index], tileSize: tilingOf(options, d, layers, backend, limits, lowTile),
  }));
}

/**
 * The scales as the engine would plan them, or, where their estimated peak is over the memory budget and the engine
 * chooses the tiles, those of a low-memory run with the largest of TILING.lowMemoryTiles that fits (smaller tiles
 * hold a smaller heap and take longer); the last tried when none fits (the plan then refuses).
 */
function scalesWithinBudget(options: StylizeOptions, final: Size, layers: readonly VggLayer[], backend: string,
  limits: MemoryLimits): ScalePlan[] {
  const context = estimateContext(options, backend, limits);
  const usual = lowMemoryTileOf(options, final, backend);
  const engineTiles = options.tileSize === 0 && !limits.gpu;
  const tries = engineTiles ? [usual, ...TILING.lowMemoryTiles.filter((t) => t !== usual)] : [usual];
  let scales: ScalePlan[] = [];
  for (const lowTile of tries) {
    scales = planScales(options, final, layers, backend, limits, lowTile);
    if (runPeakBytes(scales, context) <= limits.hostBytes) break;
  }
  return scales;
}

/** The estimated peak of a run of `options` (its size included) on a content image of `content`'s size. */
function peakOf(options: StylizeOptions, content: Size, layers: readonly VggLayer[], backend: string,
  limits: MemoryLimits): number {
  const final = seamlessSize(options, fitLongestSide(content.width, content.height, options.size), layers);
  if (Math.min(final.width, final.height) < minimumSide(layers)) return Number.POSITIVE_INFINITY; // no such run
  const scales = scalesWithinBudget(options, final, layers, backend, limits);
  return runPeakBytes(scales, estimateContext(options, backend, limits));
}

/** Plans a run of `options` (validated) on a content image of `content`'s size with style images of `styles`' sizes. */
export function planStylization(options: StylizeOptions, content: Size, styles: readonly Size[], backend: string,
  limits: MemoryLimits = DEFAULT_LIMITS): Plan {
  const blend = styleBlend(options, styles.length);
  styles.forEach((style, i) => checkStyleShape(options, style, options.size, `image ${i + 1}`));
  const layers = [...options.styleLayers, options.contentLayer];
  const final = seamlessSize(options, fitLongestSide(content.width, content.height, options.size), layers);
  const minSide = minimumSide(layers);
  if (Math.min(final.width, final.height) < minSide) {
    throw new NeuralStyleError(`The output would be ${final.width}×${final.height} px; VGG19 needs at least ${minSide} px on the shorter side for these layers. Raise size.`);
  }
  const scales = scalesWithinBudget(options, final, layers, backend, limits);
  const peakBytes = runPeakBytes(scales, estimateContext(options, backend, limits));
  const peakAt = (size: number) => peakOf({ ...options, size }, content, layers, backend, limits);
  checkPeak(final, peakBytes, limits.hostBytes, peakAt);
  const scratchBytes = runScratchBytes(scales, estimateContext(options, backend, limits));
  checkScratch(final, scratchBytes, limits.scratchSpace);
  const iterations = scales.map((s) => s.iterations);
  const weightSum = options.styleLayerWeights.reduce((a, b) => a + b, 0);
  return {
    options, final, scales, layers, styleBlend: blend, limits, peakBytes, scratchBytes,
    content: { width: content.width, height: content.height },
    totalSteps: iterations.reduce((a, b) => a + b, 0),
    styleLayerWeights: options.styleLayerWeights.map((w) => w / weightSum),
  };
}
