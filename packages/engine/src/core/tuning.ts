/*
 * The engine's tuned numbers, each chosen by measurement. The figures that
 * decided them, and the commands that reproduce those, are in
 * docs/PERFORMANCE.md (section "Design choices").
 */

/**
 * F(4x4) Winograd only while a layer's activations are at most this many values: above it, their transients raise the
 * wasm heap's peak more than the speed is worth.
 */
export const WINOGRAD_SMALL_ELEMENTS = 4 * 1024 * 1024;

/**
 * A network whose activations total at most this many values keeps float32 ReLU masks (fast on wasm); above it, 1-byte
 * bool masks (memory).
 */
export const FLOAT_MASK_ELEMENTS = 32 * 1024 * 1024;

/**
 * Pyramid: how much each coarser level counts (wᵏ for level k); 0.6 beat 0.5 and 0.7, 1.0 overshoots without a line
 * search.
 */
export const PYRAMID_LEVEL_WEIGHT = 0.6;
/** Pyramid levels, finest included: the coarsest is ~1/128 of the image. */
export const PYRAMID_MAX_LEVELS = 8;

/**
 * L-BFGS's first step moves the coordinate with the largest gradient by this much (torch's rule moves ~1e-9 here: a
 * wasted evaluation).
 */
export const LBFGS_FIRST_STEP = 4;
/** L-BFGS takes a step back when the loss more than multiplies by this... */
export const LBFGS_RETREAT_ABOVE = 2;
/** ...and tries this fraction of it instead. */
export const LBFGS_RETREAT_FACTOR = 0.25;

/** wasm32's heap: what one run may use, and the L-BFGS history's share of it. */
export const WASM_MEMORY = {
  /** Usable heap (4 GB less what the runtime keeps). */
  limitBytes: 3.8e9,
  /** Weights, runtime and the L-BFGS history's budget, whatever the size. */
  fixedBytes: 0.8e9 + 0.5e9,
  /** One iteration's peak per output pixel, with margin (measured ~3 KB). */
  bytesPerPixel: 4_500,
  /** The L-BFGS history may take this much (8 bytes per optimised value per pair). */
  historyBytes: 512e6,
  /** The shortest L-BFGS history the cap leaves. */
  minHistory: 5,
} as const;

/**
 * Tiles. A scale is optimised whole while it has at most wholeImagePixels and
 * fits the backend: faster there, as a tiled evaluation adds a forward sweep.
 * Above, tile by tile: each stage's crops hold at most tileActivations
 * activation values (the float32-mask regime), the first stage's at most
 * firstStageTile² pixels; tile sizes from 256 to 768 px differed by under
 * 10% in speed at 1024 px, the larger ones holding more memory.
 */
export const TILING = {
  wholeImagePixels: 640 * 640,
  tileActivations: FLOAT_MASK_ELEMENTS,
  firstStageTile: 384,
  /**
   * On wasm, the heap a whole draft grows is never given back, and the finest
   * scale's image, gradients and L-BFGS pairs come on top in ordinary memory.
   * From this many output pixels on, every scale (the draft too) is tiled,
   * with 256 px first-stage tiles, whose heap is ~0.4 GB smaller.
   */
  lowMemoryPixels: 1.5e6,
  /** A low-memory run's tiles, largest first: it takes the largest whose run fits the budget (smaller: slower). */
  lowMemoryTiles: [256, 192, 128],
} as const;

/**
 * A run's peak resident memory, for the estimate that checks it against the
 * memory budget up front (memory-estimate.ts), measured on wasm with
 * bench/memory-trace.mjs and /usr/bin/time (docs/PERFORMANCE.md, "Print
 * sizes"): Node, tfjs and the weights outside the heap; the wasm heap a tiled
 * scale grows, ~0.49 GB plus ~8.6 KB per pixel of a first-stage tile (128 px
 * tiles 0.63 GB, 256 px ~1.05, 384 px ~1.7); a tiled scale's ordinary memory
 * per output pixel: the content target at conv4_2 (32 B), the stage outputs
 * kept between the sweeps (56), two stage gradients at a time (48), the image,
 * its gradient and a candidate (36), the optimiser's six pyramid vectors (96),
 * all float32: 268, raised to 310 by a 4096×2725 run's second iteration (peak
 * 4.74 GB: garbage the collector had not yet freed, a resident read buffer);
 * a whole scale on wasm, ~0.6 GB and ~3.2 KB per pixel (512² px:
 * 1.43 GB). The L-BFGS history comes on top where it stays in memory.
 * Where the program gives scratch files, a tiled scale keeps nothing of the
 * image's size in memory between two uses; its peak is when the scale is
 * prepared, the photo and the painting in the network's units (12 B each,
 * the painting at the scale's size) with their RGB (6 B) while the targets
 * are computed: 30 B a pixel, measured at 2048×1362 (848 MiB, 80 MiB above
 * the runtime and the heap of 128 px tiles; the runtime figure above is
 * 0.13 GB more than that run's).
 */
export const PEAK_MEMORY = {
  runtimeBytes: 0.3e9,
  tiledHeapBytes: 0.49e9,
  tiledHeapBytesPerTilePixel: 8_600,
  tiledHostBytesPerPixel: 310,
  tiledOnDiskBytesPerPixel: 30,
  wholeBytes: 0.6e9,
  wholeBytesPerPixel: 3_200,
  /**
   * The sliced-Wasserstein loss's extra on a whole scale (sliced-style.ts): each style layer's projections, 122 values
   * an output pixel at VGG19's five, read back to ordinary memory and sent back as residuals, with the first pass's
   * projections on the backend: three copies of 488 bytes.
   */
  slicedBytesPerPixel: 1_500,
  /**
   * The sliced loss on a tiled scale (tiling/sliced-term.ts): the projections of every tile, one copy of 488 bytes an
   * output pixel, in the store (scratch files at a print's size), and one direction ranked at a time: its values,
   * their sort keys and positions and the radix sort's scratch, 20 bytes a conv1_1 position (an output pixel).
   */
  slicedTiledProjectionBytesPerPixel: 488,
  slicedTiledRankBytesPerPixel: 20,
} as const;

/**
 * Ordinary memory a tiled run may use for its L-BFGS history (8 bytes per value per pair), and the shortest history it
 * leaves.
 */
export const HOST_HISTORY = { bytes: 0.5e9, minHistory: 5 } as const;

/**
 * WebGPU (tfjs's webgpu backend, in a webview or through Dawn): what a
 * whole-image iteration keeps on the GPU per output pixel, with margin (its
 * buffer pool, measured on Dawn: ~5 KB), the weights and runtime, and the
 * L-BFGS history's share of the run's GPU memory (8 bytes per optimised value
 * per pair, at least minHistory pairs).
 */
export const GPU_MEMORY = { bytesPerPixel: 6_000, fixedBytes: 0.25e9, historyShare: 0.25, minHistory: 5 } as const;

/**
 * The widest tensor of an iteration per pixel of its input: conv1's 64 channels, float32. A GPU buffer must hold it
 * whole.
 */
export const WIDEST_TENSOR_BYTES_PER_PIXEL = 64 * 4;
