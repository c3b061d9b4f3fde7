/**
 * The one copy of every stylization option: its default, its range and what it
 * means. The CLI's flags, the VS Code settings and the docs are derived from
 * this table; nothing else states a default.
 */

/** The backends VS Code's webview runs (a browser's WebGPU and WebGL2); the engine process runs WebGPU too (Dawn). */
export const WEBVIEW_BACKENDS = ['webgpu', 'webgl'] as const;
export type WebviewBackend = (typeof WEBVIEW_BACKENDS)[number];

export const VGG_LAYERS = [
  'conv1_1', 'conv1_2', 'conv2_1', 'conv2_2',
  'conv3_1', 'conv3_2', 'conv3_3', 'conv3_4',
  'conv4_1', 'conv4_2', 'conv4_3', 'conv4_4',
  'conv5_1', 'conv5_2', 'conv5_3', 'conv5_4',
] as const;
export type VggLayer = (typeof VGG_LAYERS)[number];

interface SpecBase<T> {
  default: T;
  description: string;
}
export type OptionSpec =
  | (SpecBase<number> & { type: 'number'; min: number; max: number; integer?: boolean; exclusiveMin?: boolean })
  | (SpecBase<boolean> & { type: 'boolean' })
  | (SpecBase<string> & { type: 'enum'; values: readonly string[] })
  | (SpecBase<string[]> & { type: 'layers'; maxItems: number })
  | (SpecBase<number[]> & { type: 'numbers'; min: number; maxItems: number });

/**
 * The most style images one run takes: each is decoded and has its Gram
 * targets computed and kept. Every list has a limit (the list options below
 * carry theirs): a list from a message, a setting or a picture's parameters
 * is outside data, and 2000 copies of one layer once took 4 GB and a crash.
 */
export const MAX_STYLES = 16;

export const OPTION_SPECS = {
  size: { type: 'number', integer: true, min: 16, max: 8192, default: 1024,
    description: 'Longest side of the output in pixels (the content photo is resized to it).' },
  iterations: { type: 'number', integer: true, min: 1, max: 10000, default: 30,
    description: 'Optimizer iterations of the first scale: the whole picture up to draftSize, else its '
      + 'draft, which sets the look (finer scales add fineIterations each).' },
  optimizer: { type: 'enum', values: ['lbfgs', 'adam'], default: 'lbfgs',
    description: 'L-BFGS (the paper\'s and jcjohnson/neural-style\'s choice: best '
      + 'pictures per iteration) or Adam (steadier memory use).' },
  learningRate: { type: 'number', min: 0, max: 1000, exclusiveMin: true, default: 2,
    description: 'Adam\'s learning rate, in pixel units (0..255). L-BFGS '
      + 'takes the classic fixed step and ignores it.' },
  lbfgsHistory: { type: 'number', integer: true, min: 1, max: 200, default: 100,
    description: 'L-BFGS history length: pairs of vectors kept (each pair costs 32 '
      + 'bytes per output pixel on the pyramid, 24 on pixels).' },
  tolerance: { type: 'number', min: 0, max: 1, default: 0,
    description: 'Stop a scale early when the total loss changes by less than this '
      + 'fraction over 10 iterations (0: run every iteration).' },
  contentWeight: { type: 'number', min: 0, max: 1e12, default: 1,
    description: 'Weight α of the content loss (conv4_2 by default).' },
  styleWeight: { type: 'number', min: 0, max: 1e12, default: 1500,
    description: 'Weight β of the style loss: raise it for more paint. With normalization '
      + '"paper", the paper\'s α/β = 1e-3 is contentWeight 1, styleWeight 1000.' },
  tvWeight: { type: 'number', min: 0, max: 1e6, default: 1,
    description: 'Weight of the total-variation loss (smoothness; not in the paper, '
      + 'it removes high-frequency noise). 0 turns it off.' },
  contentLayer: { type: 'enum', values: VGG_LAYERS, default: 'conv4_2',
    description: 'VGG19 layer whose features the result keeps from the content image.' },
  styleLayers: {
    type: 'layers', maxItems: VGG_LAYERS.length, default: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'],
    description: 'VGG19 layers whose Gram matrices the result takes from the style image(s).' },
  styleLoss: { type: 'enum', values: ['gram', 'sliced-wasserstein'], default: 'gram',
    description: 'How the style is compared: Gram matrices (the paper\'s), or each feature direction\'s whole '
      + 'distribution (sliced Wasserstein, Heitz et al. 2021).' },
  styleLayerWeights: { type: 'numbers', min: 0, maxItems: VGG_LAYERS.length, default: [1, 1, 1, 1, 1],
    description: 'Relative weight of each style layer (normalised to sum to 1: the paper\'s w_l = 1/5).' },
  styleBlendWeights: { type: 'numbers', min: 0, maxItems: MAX_STYLES, default: [] as number[],
    description: 'Relative weight of each style image when several are given (normalised; empty: equal).' },
  styleScale: { type: 'number', min: 0.05, max: 4, default: 1,
    description: 'Size of the style image relative to the output (smaller: finer brush strokes).' },
  init: {
    type: 'enum', values: ['content-in-style-colors', 'content', 'noise', 'blend'], default: 'content-in-style-colors',
    description: 'Starting image: the content photo recoloured to the style\'s colour mean '
      + 'and covariance (fastest to a good picture), the photo as it is, white '
      + 'noise, or a blend of photo and noise (see noiseRatio).' },
  noiseRatio: { type: 'number', min: 0, max: 1, default: 0.6,
    description: 'With init "blend": the share of noise in the starting image.' },
  seed: { type: 'number', integer: true, min: 0, max: 2147483647, default: 0,
    description: 'Random seed: the same seed on the same backend gives the same output bytes.' },
  pooling: { type: 'enum', values: ['avg', 'max'], default: 'avg',
    description: 'VGG19 pooling: average (the paper\'s choice for synthesis, '
      + 'smoother) or max (the network as trained).' },
  normalization: { type: 'enum', values: ['size-independent', 'paper'], default: 'size-independent',
    description: 'How the loss is normalised. size-independent: the same look at every size (content and TV terms '
      + 'scaled to a 256×256 image, as a mean over positions would be; each Gram divided by its own '
      + 'image\'s positions). paper: the 2015 paper\'s exact sums (content ½Σ(F−P)², E_l with the output\'s '
      + 'positions for both Grams, TV as a sum): larger pictures get less paint.' },
  preserveColors: { type: 'boolean', default: false,
    description: 'Keep the content photo\'s colours: only luminance is '
      + 'transferred (like jcjohnson\'s -original_colors 1).' },
  seamless: { type: 'boolean', default: false,
    description: 'A seamless texture: the result tiles without a seam in both directions (the network sees the '
      + 'picture on a torus, wrapping around its edges). Sizes are rounded to the nearest multiple of 16 px. '
      + 'For a pure texture: contentWeight 0, init noise.' },
  parameterization: { type: 'enum', values: ['pyramid', 'pixels'], default: 'pyramid',
    description: 'What L-BFGS optimises: a Laplacian pyramid of the image (the same picture, reached in fewer '
      + 'iterations) or its pixels directly, as in the paper. Adam always uses pixels.' },
  multiScale: { type: 'boolean', default: true,
    description: 'Coarse to fine when size is above draftSize: a draft, then each scale twice the last '
      + 'up to size, each result upsampled (with the photo\'s detail) as the next start. The '
      + 'draft sets the composition cheaply; the finer scales add detail.' },
  draftSize: { type: 'number', integer: true, min: 32, max: 8192, default: 512,
    description: 'In a multi-scale run, the longest side of the first scale (the draft), at most.' },
  fineIterations: { type: 'number', integer: true, min: 1, max: 10000, default: 8,
    description: 'In a multi-scale run, the iterations of each scale after the draft: it '
      + 'starts close to its result and adds the detail of its size.' },
  previewEvery: { type: 'number', integer: true, min: 0, max: 10000, default: 10,
    description: 'Send a preview image every N iterations (0: none).' },
  previewSize: { type: 'number', integer: true, min: 16, max: 1024, default: 256,
    description: 'Longest side of the preview images in pixels.' },
  tileSize: { type: 'number', integer: true, min: 0, max: 8192, default: 0,
    description: 'For experts and tests: compute every scale tile by tile, the first stage\'s '
      + 'tiles this many pixels wide (0: the engine decides, from the size and the '
      + 'backend\'s memory). The result is the same either way.' },
} as const satisfies Record<string, OptionSpec>;

export const RUN_OPTION_SPECS = {
  backend: {
    type: 'enum', values: ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu', 'webgpu', 'webgl'], default: 'auto',
    description: 'TensorFlow.js backend: auto picks tfjs-node-gpu (CUDA), then WebGPU on the GPU through '
      + 'Dawn (Metal, Vulkan or D3D12), then (in VS Code) the webview\'s WebGPU and WebGL2, then '
      + 'tfjs-node, then wasm (embedded), then cpu; a software GPU (SwiftShader, llvmpipe, WARP, a '
      + 'fallback adapter) is skipped as slower than wasm. webgpu runs in the CLI, the engine '
      + 'process and the webview; webgl in VS Code\'s webview only.' },
  maxInputPixels: { type: 'number', integer: true, min: 1, max: 1e10, default: 268402689,
    description: 'Refuse input images with more pixels than this '
      + '(decompression-bomb guard; sharp\'s default 16383²).' },
  gpuMemory: { type: 'number', min: 0.25, max: 1024, default: 4,
    description: 'GPU memory a run on WebGPU may use, in GB (WebGPU does not say how much a GPU has). A picture that '
      + 'does not fit whole is computed tile by tile, and the L-BFGS history is shortened to its share. '
      + 'Raise it on a large GPU for speed; lower it if the GPU runs out of memory.' },
  memory: { type: 'number', min: 0, max: 1024, default: 0,
    description: 'Memory a run may use, in GB (0: what the machine has free when the run starts). The run\'s peak '
      + 'is estimated before it starts: a picture that would not fit is refused, naming the largest size that '
      + 'would, and a large one is computed with smaller tiles where that makes it fit.' },
} as const satisfies Record<string, OptionSpec>;

/** The value an option of spec S takes: an enum's union comes from its values, so each value is written once. */
type ValueOf<S> = S extends { type: 'enum'; values: readonly (infer V)[] } ? V
  : S extends { type: 'layers' } ? VggLayer[]
  : S extends { type: 'numbers' } ? number[]
  : S extends { type: 'number' } ? number
  : S extends { type: 'boolean' } ? boolean
  : never;
type ValuesOf<T> = { -readonly [K in keyof T]: ValueOf<T[K]> };

/** Everything that shapes one stylization: the table's options, each with its values' type. */
export type StylizeOptions = ValuesOf<typeof OPTION_SPECS>;
/** Options of the programs around the core (CLI, engine process, extension). */
export type RunOptions = ValuesOf<typeof RUN_OPTION_SPECS>;

export type Optimizer = StylizeOptions['optimizer'];
export type Init = StylizeOptions['init'];
export type Pooling = StylizeOptions['pooling'];
export type Normalization = StylizeOptions['normalization'];
export type BackendChoice = RunOptions['backend'];

function defaultsOf<T extends Record<string, OptionSpec>>(specs: T): ValuesOf<T> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    out[key] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
  }
  return out as ValuesOf<T>;
}

export const DEFAULTS: Readonly<StylizeOptions> = Object.freeze(defaultsOf(OPTION_SPECS));
export const RUN_DEFAULTS: Readonly<RunOptions> = Object.freeze(defaultsOf(RUN_OPTION_SPECS));

/**
 * A clip's temporal loss weight a pixel, at REFERENCE_SIDE (temporal.ts, clip.ts): the flicker test's
 * (test/engine/core/clip.test.ts) choice against the default content and style weights.
 */
export const DEFAULT_TEMPORAL_WEIGHT = 1000;
