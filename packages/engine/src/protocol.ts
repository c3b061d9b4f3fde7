/*
 * The one message protocol between a host (the VS Code extension, a test) and
 * the engine process (worker.ts), over Node's IPC channel. Plain data only;
 * every message is validated on arrival, in both directions. The types are
 * derived from the schemas (schema.ts), so each field is written once.
 */
import { MAX_STYLES, OPTION_SPECS, RUN_OPTION_SPECS, StylizeOptions } from './core/options';
import type { MachineSpeed, RunEstimate } from './core/cost';
import type { LossTerms, Progress } from './core/progress';
import {
  array, Assert, boolean, Infer, Message, messageParser, MessageSchemas, nullable, number, object, oneOf, optional,
  Same, someOf, string,
} from './schema';

export { ProtocolError } from './schema';

/** The wire format's version: bump it when a message changes shape; a host refuses an engine of another. */
export const PROTOCOL_VERSION = 11;
// 4: the plan, speeds and a cancel's answer; 5: a job carries `memory`; 6: checkpoints and `resume`; 7: `texture`;
// 8: `masks`; 9: `styleMasks`; 10: `clip`; 11: `clip.resume` and the `frame` message

/** One stylization of image files: what a start message carries and `stylizeFiles` runs. */
export const jobSpec = object({
  /** The photo; absent for a texture. */
  content: optional(string),
  /** A texture of this size, from noise, in place of a photo (core/texture.ts). */
  texture: optional(object({ width: number, height: number })),
  styles: array(string, 1, MAX_STYLES),
  /** A region per style (core/regions.ts): grey images the photo's size, white where each style goes. */
  masks: optional(array(string, 1, MAX_STYLES)),
  /** Per style, the part of its painting its style is taken from (core/style-masks.ts): a mask its size, or null. */
  styleMasks: optional(array(nullable(string), 1, MAX_STYLES)),
  /**
   * A clip (core/clip.ts): `content` is a folder of frames or an animated GIF or WebP, `output` a folder for the frames
   * or an animation; the temporal loss's weight; `resume`: go on from the frames an interrupted run of this job left
   * (in the output folder, or in the animation's frames folder beside it: node/clip-job.ts).
   */
  clip: optional(object({ temporalWeight: optional(number), resume: optional(boolean) })),
  output: string,
  /** Checked by validateOptions, which names a bad value; here only the names. */
  options: optional(someOf<StylizeOptions>(Object.keys(OPTION_SPECS) as Array<keyof StylizeOptions>)),
  maxInputPixels: optional(number),
  /** GB of GPU memory a run on WebGPU may use (RUN_OPTION_SPECS.gpuMemory). */
  gpuMemory: optional(number),
  /** GB of memory the run may use (RUN_OPTION_SPECS.memory; 0 or absent: the machine's free memory). */
  memory: optional(number),
  /** When the output exists: refuse (the default), replace it, or write the first free `name-N` beside it. */
  ifExists: optional(oneOf(['refuse', 'replace', 'number'])),
  /** A folder (the host's) for each finished scale's image but the last: a checkpoint, PNG, named after the job. */
  checkpoints: optional(string),
  /**
   * Start at scale `fromScale` (1-based) from `image`, a checkpoint in `checkpoints` of an earlier run of this job,
   * `steps` steps done; a checkpoint that does not fit the plan is said in a log line, and the run starts over.
   */
  resume: optional(object({ fromScale: number, image: string, steps: number })),
});
export type JobSpec = Infer<typeof jobSpec>;

export const lossTerms = object({ content: number, style: number, tv: number, total: number });

/** The core's progress record as it travels (its preview goes as a message of its own). */
export const progressReport = object({
  scale: number, scales: number, width: number, height: number, iteration: number, iterations: number,
  step: number, totalSteps: number, losses: lossTerms, elapsedMs: number, etaMs: number, backend: string,
  fraction: number, tile: optional(number), tiles: optional(number), frame: optional(number), frames: optional(number),
});
export type ProgressReport = Infer<typeof progressReport>;

/** Whether a report ends an iteration (a tiled scale also reports each tile within one). */
export function endsIteration(p: Pick<ProgressReport, 'tile' | 'tiles'>): boolean {
  return p.tiles === undefined || p.tile === p.tiles;
}

/** How far the run is, 0..1, by work (a fine scale's iteration counts more than a draft's), tiles included. */
export function progressFraction(p: Pick<ProgressReport, 'fraction'>): number {
  return p.fraction;
}

/** A machine's speed on a backend (core/cost.ts): what a run measured, and what a host gives the next run. */
export const machineSpeed = object({ msPerWork: number, msPerIteration: number, warmupIterations: number });

const size = object({ width: number, height: number });

/** What a run will do and take, sent before its first step (core/cost.ts RunEstimate). */
export const runEstimate = object({
  content: size, final: size, upscaled: boolean,
  scales: array(object({ width: number, height: number, iterations: number, tiles: number, work: number })),
  work: number, estimateMs: number, backend: string, speed: machineSpeed, measured: boolean,
});

/** One line for logs: "backend: wasm (SIMD, 1 thread); skipped tfjs-node-gpu: not installed; …". */
export function backendLine(report: { detail: string; skipped: readonly string[] }): string {
  return `backend: ${report.detail}${report.skipped.length ? `; skipped ${report.skipped.join('; ')}` : ''}`;
}

// The core's records and these schemas are one shape: a field added to only one of them does not compile.
type ProgressMatchesCore = Assert<Same<ProgressReport, Omit<Progress, 'preview'>>>;
type LossesMatchCore = Assert<Same<Infer<typeof lossTerms>, LossTerms>>;
type SpeedMatchesCore = Assert<Same<Infer<typeof machineSpeed>, MachineSpeed>>;
type EstimateMatchesCore = Assert<Same<Infer<typeof runEstimate>, RunEstimate>>;

const TO_ENGINE = {
  /** `speeds`: this machine's measured speed per backend name, for the estimate (the plan message). */
  start: {
    id: string, job: jobSpec, backend: optional(oneOf(RUN_OPTION_SPECS.backend.values)), weights: optional(string),
    speeds: optional(array(object({ backend: string, speed: machineSpeed }))),
  },
  cancel: { id: string },
  /** Which GPU the engine's WebGPU (Dawn) would run on: answered by `gpu`. Loads no backend. */
  probe: { id: string },
  shutdown: {},
} satisfies MessageSchemas;

const FROM_ENGINE = {
  ready: { version: number, pid: number },
  /**
   * The backend a job runs on (sent before its first progress), the GPU adapter on webgpu, and why each better one was
   * skipped.
   */
  backend: { id: string, name: string, detail: string, skipped: array(string), adapter: optional(string) },
  log: { level: oneOf(['info', 'warn', 'error']), message: string, id: optional(string) },
  /** Once the job is planned, before its first progress: what it will do and take. */
  plan: { id: string, estimate: runEstimate },
  progress: { id: string, ...progressReport.fields },
  /** A scale finished and its image is written (jobSpec.checkpoints): a later run may resume from it. */
  checkpoint: { id: string, scale: number, scales: number, steps: number, file: string },
  /**
   * A clip's frame (1-based) of `frames` is painted and written to `file`: a small preview of it, PNG, base64. A clip's
   * progress says its frame, and its fraction and ETA are the clip's.
   */
  frame: { id: string, frame: number, frames: number, file: string, width: number, height: number, png: string },
  /** A small preview, PNG, base64. */
  preview: { id: string, step: number, width: number, height: number, png: string },
  /** `speed`: what the run measured, for the host to keep for the next estimates. */
  done: {
    id: string, output: string, steps: number, elapsedMs: number, losses: lossTerms, backend: string,
    speed: optional(machineSpeed),
  },
  /** `retiring`: the process exits after this error (its backend may be broken); the next job needs a fresh one. */
  error: { id: optional(string), message: string, code: string, retiring: optional(boolean) },
  cancelled: { id: string },
  /** The answer to a probe: Dawn's adapter (`software`: why it is one, slower than wasm), or why there is none. */
  gpu: { id: string, adapter: optional(object({ name: string, software: optional(string) })),
    problem: optional(string) },
  /**
   * A request the engine did not act on: a start while a job runs, a cancel for
   * no running job. It names the request and its id, and is never the end of
   * the job that runs (that one still ends with done, error or cancelled).
   */
  refused: { id: string, request: oneOf(['start', 'cancel']), code: string, message: string },
} satisfies MessageSchemas;

/** A message from a host to the engine; `ToEngine<'start'>` is the start message. */
export type ToEngine<K extends keyof typeof TO_ENGINE = keyof typeof TO_ENGINE> = Message<typeof TO_ENGINE, K>;
/** A message from the engine to its host; `FromEngine<'progress'>` is a progress report. */
export type FromEngine<K extends keyof typeof FROM_ENGINE = keyof typeof FROM_ENGINE> = Message<typeof FROM_ENGINE, K>;

/** Validates a message sent to the engine process (throws a ProtocolError naming the field). */
export const parseToEngine = messageParser('to the engine', TO_ENGINE);
/** Validates a message sent by the engine process. */
export const parseFromEngine = messageParser('from the engine', FROM_ENGINE);
