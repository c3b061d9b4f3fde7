/*
 * The one protocol between the extension host and a job's webview panel, on
 * the engine's schema kit: each message is a schema keyed on `type`, a union
 * per direction, and the types are derived from the schemas. Both sides
 * validate what they receive (`parseFromWebview`, `parseToWebview`).
 * Plain TypeScript: imported by the host (Node) and the webview (browser).
 */
import { OPTION_SPECS, StylizeOptions, WEBVIEW_BACKENDS } from '@neural-style/engine/options';
import { Controls } from './controls';
import { MAX_REGION_STYLES } from './regions';
import { SecondStylePick } from './secondStyle';
import { TEST_BUILD } from './testBuild';
import { rgbPixels } from '@neural-style/engine/image-protocol';
import { lossTerms, machineSpeed, progressReport, ProgressReport, runEstimate } from '@neural-style/engine/protocol';
import {
  array, Assert, boolean, Infer, isRecord, Message, messageParser, MessageSchemas, number, object, oneOf, optional,
  parse, Same, someOf, string, tuple,
} from '@neural-style/engine/schema';

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
/** A job as its panel shows it: the queue's states, and "interrupted" for one a reload cut short. */
export type JobStatus = (typeof JOB_STATUSES)[number];
const jobStatus = oneOf(JOB_STATUSES);

/** The panel's controls (shared/controls.ts); their ranges are the engine's to check (checkControls). */
const controls = object({
  styleWeight: number, size: number, iterations: number, preserveColors: boolean, seamless: boolean, styleScale: number,
  init: oneOf(OPTION_SPECS.init.values), seed: number,
});
// The controls of shared/controls.ts and this schema are one shape.
type ControlsMatch = Assert<Same<Infer<typeof controls>, Controls>>;

/**
 * A second style as the webview picks it (shared/secondStyle.ts): an index into the offered styles, the blend in
 * percent.
 */
const secondStylePick = object({ choice: number, blend: number });
type PickMatch = Assert<Same<Infer<typeof secondStylePick>, SecondStylePick>>;

/** What the panel shows about its job; also the core of its saved state. */
const jobView = object({
  id: string,
  contentName: string,
  styleName: string,
  /** The style's short name for file names (a preset's id); absent in states saved before it existed. */
  styleId: optional(string),
  /** webview URIs of the images (asWebviewUri), filled in by the panel. */
  contentSrc: string,
  styleSrc: string,
  /** Absolute paths, for the host after a reload. */
  contentPath: string,
  stylePath: string,
  /**
   * The second style of a blend (its path absolute, src its webview URI) and how much of it, in percent; absent: one
   * style.
   */
  secondStyle: optional(object({ path: string, name: string, id: string, src: string, blend: number })),
  /** Empty until the job starts and its settings are read. */
  outputPath: string,
  size: optional(number),
  iterations: optional(number),
  status: jobStatus,
  /** The job paints in regions (one mask a style): its styles are not blended. */
  regions: optional(boolean),
  /** The job paints a clip (a folder of frames, an animated GIF or WebP) frame by frame. */
  clip: optional(boolean),
  /** 1 = next after the running job. */
  position: optional(number),
});
export type JobView = Infer<typeof jobView>;

/** The engine's progress report, as the panel keeps it. */
export type ProgressView = ProgressReport;
export type EstimateView = Infer<typeof runEstimate>;

const doneView = object({
  /** Absent for a result opened from its file: its chunk keeps no time. */
  outputSrc: string, outputName: string, elapsedMs: optional(number), steps: number, backend: string,
  /** When it finished (Date.now()); absent in states saved before it existed. */
  finishedAt: optional(number),
});
export type DoneView = Infer<typeof doneView>;

/** One finished run of this photo in this panel. */
const runView = object({
  ...doneView.fields,
  /** Absolute path, for the host (roots, Open, Reveal); outputSrc is its webview URI. */
  outputPath: string,
  controls: optional(controls),
  /** The run's second style and its blend in percent; absent: one style. */
  secondStyle: optional(object({ name: string, blend: number })),
  /** The run's style, for a result of this photo found on disk (it may be another style); absent: the panel's. */
  styleName: optional(string),
  /** The run painted in regions (its second style, if any, was not blended). */
  regions: optional(boolean),
});
export type RunView = Infer<typeof runView>;

/**
 * Where a job's batch is: which photo of how many this job is, how the batch's photos stand, its ETA
 * (batchProgress.ts).
 */
const batchView = object({
  index: number, total: number, made: number, failed: number, cancelled: number, etaMs: optional(number),
});
export type BatchView = Infer<typeof batchView>;

/**
 * Where the job runs, for the panel's words (where.ts): the CPU's cores, the
 * GPU it runs on, why it does not run on one (the log's line), and a GPU the
 * panel may choose for the next run when this one ran on the CPU.
 */
const whereView = object({
  cores: number,
  gpu: optional(string),
  whyNotGpu: optional(string),
  gpuChoice: optional(object({ name: string, backend: oneOf(WEBVIEW_BACKENDS) })),
});
export type WhereView = Infer<typeof whereView>;

/** A style the host offers; the webview shows its label and names it by its index. */
const styleChoice = object({ path: string, id: string, label: string });

/** A region mask of the panel (shared/regions.ts): its file beside the photo, its webview URI (the panel's). */
const regionMask = object({ path: string, src: string });
export type RegionMaskView = Infer<typeof regionMask>;

/** A finished frame in a clip's strip (frameStrip.ts): `frame` (1-based) of `frames`, a PNG data URL. */
const frameThumb = object({ frame: number, frames: number, src: string });
export type FrameThumb = Infer<typeof frameThumb>;

/** What the webview keeps with setState, and the serializer gets back after a reload. */
const panelState = object({
  job: jobView,
  progress: optional(progressReport),
  /** What the run will do and take, as the engine planned it before its first step. */
  estimate: optional(runEstimate),
  /** The job's engine process: warm (it ran a job before: TensorFlow.js and the weights are loaded) or new. */
  engine: optional(oneOf(['warm', 'new'])),
  /** Loss terms per step, for the chart: [step, content, style, tv, total]. */
  losses: array(tuple(number, number, number, number, number)),
  preview: optional(string),
  done: optional(doneView),
  error: optional(string),
  /** What the panel says of the job that is no failure: "Interrupted by a window reload, and queued again." */
  note: optional(string),
  /** The engine's code of the failure: EGPULOST offers "Run on CPU instead". */
  errorCode: optional(string),
  /** The values the next run takes: the settings', then what the panel ran or was told. */
  controls: optional(controls),
  /** Every finished run in this panel, oldest first. */
  history: optional(array(runView)),
  /** The styles the host offers as a second style; the webview names one by its index (secondStyle.ts). */
  styleChoices: optional(array(styleChoice)),
  /** The job is one photo of a batch: how the batch goes. */
  batch: optional(batchView),
  where: optional(whereView),
  /** The regions the next run paints, one mask a style in the styles' order; absent: the whole photo in the styles. */
  regions: optional(array(regionMask, 1, MAX_REGION_STYLES)),
  /** A clip's finished frames, in order, the newest last (at most MAX_STRIP_FRAMES); absent: a picture. */
  frames: optional(array(frameThumb)),
});
export type PanelState = Infer<typeof panelState>;

/** A GPU the webview found: WebGPU's adapter or WebGL2's renderer, as the browser names it. */
const adapterView = object({
  /** e.g. "Apple M2 (metal-3)", "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 …)". */
  name: string,
  /** WebGPU's isFallbackAdapter (a software adapter). */
  fallback: boolean,
  /** WebGL's MAX_TEXTURE_SIZE, WebGPU's maxTextureDimension2D. */
  maxTextureSize: number,
  /** WebGPU's largest buffer a shader may bind: min(maxBufferSize, maxStorageBufferBindingSize). */
  maxBufferBytes: optional(number),
});
export type AdapterView = Infer<typeof adapterView>;

/**
 * Why a compute run failed: ECANCELLED (asked to stop), EGPULOST (the context or device was lost), else the core's
 * code.
 */
export const COMPUTE_FAILURES = ['ECANCELLED', 'EGPULOST', 'EGPU', 'EWEIGHTS', 'EINVAL', 'EDIVERGED', 'EINTERNAL'] as const;

/** Loses the running job's GPU context or device, as a driver reset would: for the tests of that path. */
const TEST_TO_COMPUTE = { loseGpu: {} } satisfies MessageSchemas;

/** The messages that run the engine core in the panel's webview on its GPU (extension/webview/compute/). */
const TO_COMPUTE = {
  /** Which GPUs the webview has: answered with `adapters`. */
  probe: {},
  /** Runs a stylization; answered with computeStarted, computeProgress…, then computeDone or computeFailed. */
  compute: {
    backend: oneOf(WEBVIEW_BACKENDS),
    /** The weights as webview URIs (asWebviewUri) and each shard's expected sha256, from the host's SHA256SUMS. */
    weights: object({ manifestUrl: string, shards: array(object({ name: string, url: string, sha256: string }), 1) }),
    content: rgbPixels,
    styles: array(rgbPixels, 1),
    /** Checked by the core's validateOptions. */
    options: someOf<StylizeOptions>(Object.keys(OPTION_SPECS) as Array<keyof StylizeOptions>),
    /** GB of GPU memory the run may use on WebGPU (the gpuMemory setting). */
    gpuMemory: optional(number),
    /** GB of ordinary memory the run may use (the memory setting; 0 or absent: the webview's own cap). */
    memory: optional(number),
    /** This machine's speed on the backend, as earlier runs measured it: the estimate's. */
    speed: optional(machineSpeed),
    /** Start at scale `fromScale` (1-based) from `image`, the scale before's checkpoint, `steps` steps done. */
    resume: optional(object({ fromScale: number, steps: number, image: rgbPixels })),
  },
  /** Cancel: the core stops within one iteration (one tile at a tiled scale). */
  stopCompute: {},
  // Typed always (the compute's switch names it), on the wire only in a test build.
  ...(TEST_BUILD ? TEST_TO_COMPUTE : {}) as typeof TEST_TO_COMPUTE,
} satisfies MessageSchemas;

const FROM_COMPUTE = {
  adapters: { webgpu: optional(adapterView), webgl: optional(adapterView), webgpuProblem: optional(string),
    webglProblem: optional(string) },
  computeStarted: { backend: oneOf(WEBVIEW_BACKENDS), adapter: adapterView },
  /** Planned, before the first progress: what the run will do and take (the engine's plan message). */
  computePlan: { estimate: runEstimate },
  /** A progress report; `preview` a PNG data URL when the step has one. */
  computeProgress: { progress: progressReport, preview: optional(string) },
  /** A scale but the last finished (1-based `scale` of `scales`, `steps` steps done): its image, for the host. */
  computeCheckpoint: { scale: number, scales: number, steps: number, image: rgbPixels },
  /** The resume did not fit the run's plan (why): it starts at its first scale. */
  computeStartOver: { why: string },
  computeDone: {
    image: rgbPixels, losses: lossTerms, steps: number, elapsedMs: number, backend: string,
    speed: optional(machineSpeed),
  },
  computeFailed: { code: oneOf(COMPUTE_FAILURES), message: string },
} satisfies MessageSchemas;

const TO_WEBVIEW = {
  ...TO_COMPUTE,
  /** Everything the panel shows: sent when the webview (re)loads. */
  snapshot: { state: panelState },
  status: { status: jobStatus, position: optional(number), message: optional(string) },
  /** Before the first progress: the run's plan and how long it will take. */
  estimate: { estimate: runEstimate },
  /** The job is on its engine process, warm or new (what the panel says it is doing before the plan). */
  engine: { engine: oneOf(['warm', 'new']) },
  progress: { progress: progressReport },
  preview: { step: number, src: string },
  /** A clip's frame is painted: its thumbnail joins the strip. */
  frame: frameThumb.fields,
  done: { done: doneView },
  failed: { message: string, code: optional(string) },
  batch: { batch: batchView },
  /** The second styles offered changed (Browse… added one): `selected` is the one to show chosen. */
  styleChoices: { choices: array(styleChoice), selected: optional(number) },
  /** The regions were saved (`masks`), cleared (none), or not saved (`error`, the painting stays open). */
  regions: { masks: optional(array(regionMask, 1, MAX_REGION_STYLES)), error: optional(string) },
} satisfies MessageSchemas;

const FROM_WEBVIEW = {
  /** The page loaded; `generation` says which of the panel's pages (each change of its roots loads a new one). */
  ready: { generation: number },
  cancel: {}, showLog: {},
  /** Browse… in the second style's list: the host asks for an image and offers it (styleChoices). */
  browseSecondStyle: {},
  /** Open or reveal a result: the run's index in the history, else the current job's. */
  open: { run: optional(number) }, reveal: { run: optional(number) },
  /**
   * A new run of this photo in this panel, with these controls; `onCpu` for "Run on CPU instead", `onGpu` on the
   * state's `where.gpuChoice`; `secondStyle` an index into styleChoices.
   */
  runAgain: { controls, onCpu: optional(boolean), onGpu: optional(boolean), secondStyle: optional(secondStylePick) },
  /** Writes the controls to the user's or the workspace's settings (the host asks which). */
  saveDefaults: { controls },
  /**
   * The painted regions, one mask a style in the styles' order, as PNG data URLs of the photo's size (`width` ×
   * `height`, as the page shows it): the host checks them and writes them beside the photo (regionMasks.ts).
   */
  saveRegions: { width: number, height: number, masks: array(string, 1, MAX_REGION_STYLES) },
  /** Back to the whole photo in the styles: the next run sends no masks (the files stay on disk). */
  clearRegions: {},
  ...FROM_COMPUTE,
} satisfies MessageSchemas;

/** The compute messages each way, for the code that handles only those. */
export type ToCompute = Message<typeof TO_COMPUTE>;
export type FromCompute = Message<typeof FROM_COMPUTE>;
export const isFromCompute = (m: FromWebview): m is FromCompute => Object.hasOwn(FROM_COMPUTE, m.type);
export const isToCompute = (m: ToWebview): m is ToCompute => Object.hasOwn(TO_COMPUTE, m.type);

/** A message from the host to a panel; `ToWebview<'done'>` is the done message. */
export type ToWebview<K extends keyof typeof TO_WEBVIEW = keyof typeof TO_WEBVIEW> = Message<typeof TO_WEBVIEW, K>;
/** A message from a panel to the host. */
export type FromWebview<K extends keyof typeof FROM_WEBVIEW = keyof typeof FROM_WEBVIEW> =
  Message<typeof FROM_WEBVIEW, K>;

/** Validates a message the webview received from the host (throws a ProtocolError naming the field). */
export const parseToWebview = messageParser('to the webview', TO_WEBVIEW);
/** Validates a message the host received from a webview. */
export const parseFromWebview = messageParser('from the webview', FROM_WEBVIEW);

/** Validates a saved panel state (it comes back from disk after a reload): undefined when it is not one. */
export function parsePanelState(value: unknown, onInvalid?: (why: string) => void): PanelState | undefined {
  try {
    return parse(panelState, withSeamless(withTotals(value)), 'a saved panel state');
  } catch (e) {
    onInvalid?.((e as Error).message);
    return undefined;
  }
}

/** A state saved before the panel had a Seamless box: its controls (and its runs') were not seamless. */
function withSeamless(value: unknown): unknown {
  const filled = (holder: Record<string, unknown>) => (isRecord(holder.controls) && !Object.hasOwn(holder.controls, 'seamless')
    ? { ...holder, controls: { ...holder.controls, seamless: false } } : holder);
  if (!isRecord(value)) return value;
  const state = filled(value);
  return Array.isArray(state.history)
    ? { ...state, history: state.history.map((run: unknown) => (isRecord(run) ? filled(run) : run)) } : state;
}

/** A state saved before the rows had a total: 0 (the chart leaves it out) for each row's unknown total. */
function withTotals(value: unknown): unknown {
  if (!isRecord(value) || !Array.isArray(value.losses)) return value;
  return { ...value, losses: value.losses.map((row: unknown) => (Array.isArray(row) && row.length === 4
    ? [...row, 0] : row)) };
}
