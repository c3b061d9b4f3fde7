import { NeuralStyleError } from './errors';
import { HOST_HISTORY, PEAK_MEMORY, TILING } from './tuning';

/*
 * A run's peak memory (the process's resident set), estimated per scale
 * before anything is allocated, so that a run which would not fit the
 * memory budget is refused up front. The figures are measured on wasm
 * (PEAK_MEMORY in tuning.ts; docs/PERFORMANCE.md, "Print sizes"); on other
 * backends a tiled scale's ordinary memory is the same, their own heaps are
 * not counted.
 */

export interface ScaleShape {
  width: number;
  height: number;
  /** null: whole on the backend; else the first-stage tile side (0: the default). */
  tileSize: number | null;
}

export interface EstimateContext {
  backend: string;
  /** L-BFGS on a Laplacian pyramid (4/3 of the pixels' values), else the pixels. */
  pyramid: boolean;
  /** The lbfgsHistory option; 0 for Adam, which keeps two vectors, its moments, in memory. */
  history: number;
  /**
   * Whether a tiled scale keeps its image-sized vectors (the optimiser's, the stage outputs and gradients, the content
   * target) in scratch files (MemoryLimits.scratchFiles).
   */
  onDisk: boolean;
  /** The sliced-Wasserstein style loss: its projections and residuals (sliced-style.ts, tiling/sliced-term.ts). */
  sliced?: boolean;
}

/** Values L-BFGS optimises at a width × height scale. */
export function optimisedValues(width: number, height: number, pyramid: boolean): number {
  return width * height * 3 * (pyramid ? 4 / 3 : 1);
}

/** The wasm heap a tiled scale grows: the runtime's, the weights' and one tile's tensors (the heap never shrinks). */
function tileHeapBytes(tileSize: number): number {
  const side = tileSize || TILING.firstStageTile;
  return PEAK_MEMORY.tiledHeapBytes + side * side * PEAK_MEMORY.tiledHeapBytesPerTilePixel;
}

/** The L-BFGS pairs a tiled scale keeps (as loop.ts caps them: HOST_HISTORY), in memory or in files. */
function hostPairs(values: number, context: EstimateContext): number {
  const allowed = Math.floor(HOST_HISTORY.bytes / (8 * values));
  return Math.max(HOST_HISTORY.minHistory, Math.min(context.history, allowed));
}

/** What a tiled scale's optimiser keeps in ordinary memory beyond its vectors: Adam's moments or L-BFGS's pairs. */
function hostHistoryBytes(values: number, context: EstimateContext): number {
  return context.history === 0 ? 8 * values : hostPairs(values, context) * 8 * values;
}

/** The estimated peak of one scale, in bytes. */
export function scalePeakBytes(scale: ScaleShape, context: EstimateContext): number {
  const pixels = scale.width * scale.height;
  const wasm = context.backend === 'wasm';
  if (scale.tileSize === null) {
    const sliced = context.sliced ? pixels * PEAK_MEMORY.slicedBytesPerPixel : 0;
    const own = wasm ? PEAK_MEMORY.wholeBytes + pixels * PEAK_MEMORY.wholeBytesPerPixel : PEAK_MEMORY.runtimeBytes;
    return own + sliced;
  }
  const heap = wasm ? tileHeapBytes(scale.tileSize) : 0;
  const sliced = !context.sliced ? 0 : pixels * (PEAK_MEMORY.slicedTiledRankBytesPerPixel
    + (context.onDisk ? 0 : PEAK_MEMORY.slicedTiledProjectionBytesPerPixel));
  if (context.onDisk) return PEAK_MEMORY.runtimeBytes + heap + pixels * PEAK_MEMORY.tiledOnDiskBytesPerPixel + sliced;
  const history = hostHistoryBytes(optimisedValues(scale.width, scale.height, context.pyramid), context);
  return PEAK_MEMORY.runtimeBytes + heap + pixels * PEAK_MEMORY.tiledHostBytesPerPixel + history + sliced;
}

/** A run's estimated peak: the largest of its scales', each with the largest wasm heap so far (it never shrinks). */
export function runPeakBytes(scales: readonly ScaleShape[], context: EstimateContext): number {
  let heap = 0;
  let peak = 0;
  for (const scale of scales) {
    const own = scalePeakBytes(scale, context);
    const ownHeap = context.backend !== 'wasm' ? 0
      : scale.tileSize === null ? own - PEAK_MEMORY.runtimeBytes : tileHeapBytes(scale.tileSize);
    heap = Math.max(heap, ownHeap);
    peak = Math.max(peak, own - ownHeap + heap);
  }
  return peak;
}

/**
 * What a tiled scale keeps in scratch files at its peak, in bytes: the
 * optimiser's vectors (its value, the gradient and the previous one, the last
 * step, the direction, a candidate and its projection, a new pair's y: 8, Adam
 * about as many) and L-BFGS's pairs, and the images (the stage outputs, 14
 * values a pixel, the content target at conv4_2, 8, two stage gradients at
 * once, 12, and the image's own: the current one, a candidate's, its clipped
 * copy and the gradient, 12: 184 bytes a pixel), and the sliced loss's
 * projections.
 */
function scaleScratchBytes(scale: ScaleShape, context: EstimateContext): number {
  if (scale.tileSize === null || !context.onDisk) return 0;
  const values = optimisedValues(scale.width, scale.height, context.pyramid);
  const pairs = context.history === 0 ? 0 : hostPairs(values, context);
  const sliced = context.sliced ? PEAK_MEMORY.slicedTiledProjectionBytesPerPixel : 0;
  return (8 + 2 * pairs) * 4 * values + (184 + sliced) * scale.width * scale.height;
}

/** A run's scratch files at their peak (the largest scale's: each scale's files go when it ends). */
export function runScratchBytes(scales: readonly ScaleShape[], context: EstimateContext): number {
  return Math.max(0, ...scales.map((scale) => scaleScratchBytes(scale, context)));
}

/** GB to one decimal, or two significant digits below 0.1 GB (a budget of 0.04 GB must not read as 0.0). */
const gb = (bytes: number) => `${bytes >= 1e8 ? (bytes / 1e9).toFixed(1) : Number((bytes / 1e9).toPrecision(2))} GB`;

/** Throws when a run's scratch files (`needed` bytes, estimated) would not fit the `free` bytes where they go. */
export function checkScratch(final: { width: number; height: number }, needed: number,
  where: { freeBytes: number; folder: string } | undefined): void {
  if (!where || needed <= where.freeBytes) return;
  throw new NeuralStyleError(`A ${final.width}×${final.height} picture needs about ${gb(needed)} of temporary files `
    + `at its peak (estimated) in ${where.folder}, where ${gb(where.freeBytes)} is free. Free space there, set TMPDIR `
    + 'to a folder on a larger disk, or lower size.', 'ENOSPC');
}

/**
 * Throws when a run's estimated `peak` is over `budget` (bytes), naming the
 * largest size (longest side) whose run would fit; `peakAt` estimates the
 * same run at another size.
 */
export function checkPeak(final: { width: number; height: number }, peak: number, budget: number,
  peakAt: (size: number) => number): void {
  if (peak <= budget) return;
  const asked = `A ${final.width}×${final.height} picture needs about ${gb(peak)} of memory at its peak (estimated), `
    + `more than the ${gb(budget)} this run may use (the memory option: --memory, neuralStyle.memory).`;
  let [fits, fails] = [0, Math.max(final.width, final.height)];
  for (let lo = 16; fails - lo > 0;) { // the largest size that fits, by bisection: the peak grows with the size
    const mid = Math.floor((lo + fails) / 2);
    if (peakAt(mid) <= budget) [fits, lo] = [mid, mid + 1];
    else fails = mid;
  }
  if (fits === 0) throw new NeuralStyleError(`${asked} Not even the smallest picture fits: raise memory.`, 'ENOMEM');
  throw new NeuralStyleError(`${asked} Lower size to ${fits} or less, or raise memory.`, 'ENOMEM');
}
