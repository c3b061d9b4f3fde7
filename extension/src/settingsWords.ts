/**
 * The settings in a painter's words: what each one does to the picture first,
 * the paper's or the optimizer's terms after (the engine's own description).
 * Which section of the Settings editor it sits in, and in what order: the few
 * that change the look come first, the optimizer's internals under Advanced.
 * Pure: no `vscode`, no tfjs.
 */
import { RUN_OPTION_SPECS } from '@neural-style/engine/options';
import { controlHints, strengthMarks } from '../shared/controls';

export const SECTIONS = {
  picture: 'Neural Style',
  results: 'Neural Style: Results',
  engine: 'Neural Style: Engine',
  advanced: 'Neural Style: Advanced',
} as const;
export type Section = keyof typeof SECTIONS;

export interface SettingWords {
  section: Section;
  /** The first sentence(s) a painter reads. */
  plain: string;
  /** One line per choice of an enum, in the order of its values. */
  choices?: Record<string, string>;
  /**
   * The second paragraph, instead of the engine's own description (written for
   * the command line, in the paper's terms); '' for none.
   */
  note?: string;
}

/** A count of pixels as a person reads it: 268402689 → "268 MP". */
export function megapixels(pixels: number): string {
  return `${Math.round(pixels / 1e6).toLocaleString('en-US')} MP`;
}

const MAX_PIXELS = RUN_OPTION_SPECS.maxInputPixels.default;
const MARKS = strengthMarks().map((m) => `${m.word} ${m.weight}`).join(', ');

// The panel's controls say the same first sentence as their settings: one text, in controls.ts. Read in
// English (no bundle is configured where the manifest is generated), for package.nls.json.
const HINTS = controlHints();

const LAYER_CHOICES = {
  conv1_1: 'Edges and colours (the finest details).', conv1_2: 'Edges and colours.',
  conv2_1: 'Small textures.', conv2_2: 'Small textures.',
  conv3_1: 'Textures and small shapes.', conv3_2: 'Textures and small shapes.', conv3_3: 'Textures and small shapes.', conv3_4: 'Textures and small shapes.',
  conv4_1: 'Parts of objects.', conv4_2: 'Parts of objects: keeps the photo\'s layout but not its details (the paper\'s choice).',
  conv4_3: 'Parts of objects.', conv4_4: 'Parts of objects.',
  conv5_1: 'Whole objects (the coarsest).', conv5_2: 'Whole objects.', conv5_3: 'Whole objects.', conv5_4: 'Whole objects.',
};

/** Every setting's words, in the order the Settings editor shows them (sections in SECTIONS' order). */
export const SETTING_WORDS = {
  size: { section: 'picture', plain: HINTS.size },
  iterations: { section: 'picture', plain: HINTS.iterations,
    note: 'With Multi Scale, these are the draft\'s iterations; each larger size adds Fine Iterations.' },
  styleWeight: { section: 'picture', plain: HINTS.styleWeight,
    note: `The panel's marks: ${MARKS}. What counts is its ratio to Content Weight.` },
  preserveColors: { section: 'picture', plain: HINTS.preserveColors,
    note: 'Only the painting\'s light and dark are transferred; the colours stay the photo\'s.' },
  styleScale: { section: 'picture', plain: HINTS.styleScale },
  tvWeight: { section: 'picture', plain: 'Smoothness: removes speckles; 0 turns it off, high values blur.' },
  contentWeight: { section: 'picture', plain: 'How much of the photo to keep, relative to Style Weight.', note: '' },
  init: {
    section: 'picture', plain: HINTS.init, note: '',
    choices: {
      'content-in-style-colors': 'The photo in the painting\'s colours (fastest to a good picture).',
      content: 'The photo as it is.',
      noise: 'Random noise: a freer picture, further from the photo.',
      blend: 'The photo mixed with noise (see Noise Ratio under Advanced).',
    },
  },
  seed: { section: 'picture', plain: HINTS.seed },
  seamless: { section: 'picture', plain: HINTS.seamless },
  temporalWeight: { section: 'picture', plain: 'How steady an animation is: higher values flicker less from frame to frame, 0 lets each frame change freely.' },
  outputFolder: { section: 'results', plain: 'Where results go. Empty: beside the photo. A relative folder (e.g. "stylized") is taken from the photo\'s workspace folder.' },
  fileNamePattern: { section: 'results', plain: 'How results are named.' },
  outputFormat: {
    section: 'results', plain: 'The result\'s file format.',
    choices: { png: 'Lossless; keeps what made the picture, so it can be made again.', jpeg: 'Smaller files, slightly lossy.', webp: 'Small files, good quality.', avif: 'The smallest files.', tiff: 'Lossless, for print workflows.' },
  },
  openWhenDone: { section: 'results', plain: 'Open each result in an editor when it is done.' },
  openEachInBatch: { section: 'results', plain: 'When several photos are stylized at once, open every result, not only the first.' },
  previewEvery: { section: 'results', plain: 'How often the panel shows the picture as it is painted, in iterations (0: never).' },
  previewSize: { section: 'results', plain: 'Size of the live preview in the panel, in pixels.' },
  revealRunningPanel: { section: 'results', plain: 'Show each job\'s panel when its turn comes.' },
  backend: {
    section: 'engine', plain: 'Where the painting is computed. auto picks the fastest that works here.',
    note: 'A software GPU (SwiftShader, llvmpipe, WARP) is skipped by auto: it is slower than the CPU.',
    choices: {
      auto: 'The fastest that works here (a real GPU first; a software GPU is skipped).',
      'tensorflow-gpu': 'An NVIDIA GPU through CUDA (needs @tensorflow/tfjs-node-gpu; not bundled).',
      tensorflow: 'TensorFlow on the CPU (needs @tensorflow/tfjs-node; not bundled).',
      wasm: 'The bundled engine on the CPU (all cores): works everywhere.',
      cpu: 'Plain JavaScript: slow, for checks.',
      webgpu: 'Your GPU through WebGPU: in the engine (Metal, Vulkan or D3D12 on the machine with your files), else in the job\'s panel.',
      webgl: 'Your GPU through WebGL2, in the job\'s panel.',
    },
  },
  weightsPath: { section: 'engine', plain: 'The neural network\'s weights. Leave empty for the ones bundled with the extension.' },
  enginePath: { section: 'engine', plain: 'A different engine program. Leave empty for the bundled one.' },
  engineIdleMinutes: { section: 'engine', plain: 'How long the engine stays ready after a job, in minutes, so the next one starts at once (it holds memory meanwhile).' },
  maxInputPixels: {
    section: 'engine', note: '',
    plain: `Largest image accepted, in pixels (${megapixels(MAX_PIXELS)}, ${Math.sqrt(MAX_PIXELS)} × ${Math.sqrt(MAX_PIXELS)}, by default): `
      + 'it protects against files built to exhaust memory.',
  },
  gpuMemory: { section: 'engine', plain: 'How much of the GPU\'s memory a picture may use, in GB. Raise it on a large GPU (faster); lower it if the GPU runs out of memory.' },
  memory: {
    section: 'engine',
    plain: 'How much of the computer\'s memory a picture may use, in GB (0: what is free when it starts). '
      + 'A picture too large for it is refused with the largest size that fits.',
  },
  optimizer: {
    section: 'advanced', plain: 'The method that improves the picture step by step.', note: '',
    choices: { lbfgs: 'L-BFGS: the best picture per iteration (the paper\'s choice).', adam: 'Adam: steadier memory use, needs more iterations.' },
  },
  learningRate: { section: 'advanced', plain: 'Adam only: how far each step moves the pixels.' },
  lbfgsHistory: { section: 'advanced', plain: 'L-BFGS only: how many past steps it remembers; fewer use less memory.',
    note: 'Each step remembered costs about 32 bytes per pixel of the picture.' },
  tolerance: { section: 'advanced', plain: 'Stop early when the picture stops changing by more than this fraction.' },
  multiScale: { section: 'advanced', plain: 'Paint a small draft first, then refine it at larger sizes (faster for big pictures).' },
  draftSize: { section: 'advanced', plain: 'Size of that first draft, in pixels.' },
  fineIterations: { section: 'advanced', plain: 'Iterations at each larger size after the draft.' },
  contentLayer: {
    section: 'advanced', plain: 'Which level of the network decides what of the photo is kept.', choices: LAYER_CHOICES,
  },
  styleLayers: { section: 'advanced', plain: 'Which levels of the network the style is taken from: low levels carry colour and texture, high ones larger shapes.' },
  styleLayerWeights: { section: 'advanced', plain: 'How much each of those levels counts.' },
  styleLoss: {
    section: 'advanced', plain: 'How the picture\'s brushwork is compared with the painting\'s.', note: '',
    choices: {
      gram: 'Gram matrices: which features occur together (the 2015 paper\'s).',
      'sliced-wasserstein': 'Sliced Wasserstein: how often each kind of feature occurs, and how strongly (Heitz et al. 2021).',
    },
  },
  noiseRatio: { section: 'advanced', plain: 'With the "blend" start: how much noise is mixed into the photo.' },
  pooling: {
    section: 'advanced', plain: 'How the network summarises neighbouring pixels.', note: '',
    choices: { avg: 'Average: smoother pictures (the paper\'s choice).', max: 'Maximum: the network as it was trained.' },
  },
  normalization: {
    section: 'advanced', plain: 'How the loss is scaled with the picture\'s size.', note: '',
    choices: { 'size-independent': 'The same look at every size.', paper: 'The 2015 paper\'s exact formulas: larger pictures get less paint.' },
  },
  parameterization: {
    section: 'advanced', plain: 'What the optimizer changes.',
    choices: { pyramid: 'Coarse and fine detail separately: the same picture in fewer iterations.', pixels: 'The pixels directly, as in the paper.' },
  },
  tileSize: { section: 'advanced', plain: 'For experts and tests: tile width for large pictures (0: the engine decides). The result is the same.' },
} as const satisfies Record<string, SettingWords>;

export type WordedSetting = keyof typeof SETTING_WORDS;
