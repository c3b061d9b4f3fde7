import { CHANNELS, deepestLayer, layersUpTo, POOL_AFTER } from './geometry';
import { VggLayer } from './options';
import { Plan, ScalePlan, Size } from './plan';
import { Stage, vggStages } from './tiling/stages';
import { stageOutputLength, stageTiles } from './tiling/tile-grid';
import { tileShapes } from './tiling/tile-shapes';

/*
 * What a run costs, before any tensor exists: its work per scale, counted in
 * GMAC (10⁹ multiply-adds of VGG19's convolutions, which are nearly all of an
 * iteration's time), tiles' halos included. A machine's speed is ms per GMAC,
 * measured by runs (RunClock) and kept by the host; the estimate and the ETA
 * are work × speed. No tfjs here: a host plans and estimates without loading it.
 */

/**
 * One scale's work: an iteration's GMAC, and `ops`, its op dispatches as a
 * share of a whole-image iteration's (a tiled one runs each stage once per
 * tile): on wasm each dispatch costs time whatever its size, which small
 * scales feel.
 */
export interface ScaleWork {
  iteration: number;
  ops: number;
  iterations: number;
  /** Tiles an iteration reports (both sweeps'), 0 when the scale is whole. */
  tiles: number;
}

export interface RunWork {
  scales: ScaleWork[];
  /** GMAC over the run. */
  total: number;
}

/**
 * How fast a machine runs a backend: ms per GMAC, ms per iteration's op
 * dispatches (a whole-image iteration's; `ops` scales it), and how many
 * iterations' time a scale adds before its first iteration ends: building its
 * objective (the style and content targets, measured at about one iteration
 * on wasm) and, on a GPU, compiling the shaders for the scale's shapes.
 */
export interface MachineSpeed {
  msPerWork: number;
  msPerIteration: number;
  warmupIterations: number;
}

/**
 * A first guess per backend, for a machine that has not run one yet: wasm
 * measured on 2 loaded cores (SIMD, no threads), the others far rougher.
 * A host replaces it with the speed its runs measure.
 */
export const DEFAULT_SPEEDS: Readonly<Record<string, MachineSpeed>> = {
  wasm: { msPerWork: 30, msPerIteration: 500, warmupIterations: 1 },
  cpu: { msPerWork: 200, msPerIteration: 1000, warmupIterations: 1 },
  tensorflow: { msPerWork: 4, msPerIteration: 50, warmupIterations: 1 },
  webgl: { msPerWork: 1, msPerIteration: 100, warmupIterations: 5 },
  webgpu: { msPerWork: 0.5, msPerIteration: 100, warmupIterations: 5 },
};

/** The guess for a backend the table does not name: the slowest engine's. */
export const defaultSpeed = (backend: string): MachineSpeed => DEFAULT_SPEEDS[backend] ?? DEFAULT_SPEEDS.wasm;

/** One steady iteration of `scale` at `speed`, in ms. */
export function iterationMs(scale: ScaleWork, speed: MachineSpeed): number {
  return speed.msPerIteration * scale.ops + speed.msPerWork * scale.iteration;
}

/** A whole scale at `speed`: its warm-up and its iterations. */
export function scaleMs(scale: ScaleWork, speed: MachineSpeed): number {
  return (speed.warmupIterations + scale.iterations) * iterationMs(scale, speed);
}

const GIGA = 1e9;

/** Multiply-adds of `layers` (consecutive, pooled where VGG pools) forward over an input of height × width. */
export function forwardMacs(height: number, width: number, layers: readonly VggLayer[], inputChannels = 3): number {
  let [h, w, channels, total] = [height, width, inputChannels, 0];
  for (const layer of layers) {
    total += h * w * channels * CHANNELS[layer] * 9;
    channels = CHANNELS[layer];
    if (POOL_AFTER.has(layer)) [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
  }
  return total;
}

/** One forward sweep of a tiled scale: each stage's crops, halos included, how many, and their layers' runs. */
function tiledForward(stages: readonly Stage[], size: Size, tileSize: number)
  : { macs: number; tiles: number; layerRuns: number } {
  const shape = tileShapes(tileSize);
  let [h, w, macs, tiles, layerRuns] = [size.height, size.width, 0, 0, 0];
  for (const stage of stages) {
    const { rows, cols } = shape(stage);
    for (const { crop } of stageTiles(stage, h, w, rows, cols)) {
      macs += forwardMacs(crop.height, crop.width, stage.layers, stage.inputChannels);
      tiles += 1;
      layerRuns += stage.layers.length;
    }
    [h, w] = [stageOutputLength(stage, h), stageOutputLength(stage, w)];
  }
  return { macs, tiles, layerRuns };
}

/**
 * An iteration is a forward and a backward pass (the backward about twice the
 * forward's multiply-adds); a tiled one sweeps forward once more first, for
 * the Grams the backward sweep needs.
 */
function iterationWork(plan: Plan, scale: ScalePlan): Pick<ScaleWork, 'iteration' | 'ops' | 'tiles'> {
  const layers = layersUpTo(deepestLayer(plan.layers));
  if (scale.tileSize === null) {
    return { iteration: 3 * forwardMacs(scale.height, scale.width, layers) / GIGA, ops: 1, tiles: 0 };
  }
  const { macs, tiles, layerRuns } = tiledForward(vggStages(layers.at(-1)!), scale, scale.tileSize);
  // Per tile a forward sweep's run and the backward sweep's (a forward and a backward): 4 against a whole's 3.
  return { iteration: 4 * macs / GIGA, ops: (4 * layerRuns) / (3 * layers.length), tiles: 2 * tiles };
}

/** The plan's work, in GMAC. */
export function planWork(plan: Plan): RunWork {
  const scales = plan.scales.map((scale) => ({
    ...iterationWork(plan, scale), iterations: scale.iterations,
  }));
  return { scales, total: scales.reduce((sum, s) => sum + s.iteration * s.iterations, 0) };
}

/** What a run of `work` will take on a machine of `speed`, before it starts. */
export function estimateMs(work: RunWork, speed: MachineSpeed): number {
  return work.scales.reduce((sum, scale) => sum + scaleMs(scale, speed), 0);
}

/** What a host shows before a run: the photo and the output's sizes, each scale's work and the time it will take. */
export interface RunEstimate {
  content: Size;
  final: Size;
  /** The output is larger than the photo: painted on an enlarged photo. */
  upscaled: boolean;
  scales: Array<Size & { iterations: number; tiles: number; work: number }>;
  work: number;
  estimateMs: number;
  backend: string;
  /** The speed it assumed, and whether this machine measured it (else DEFAULT_SPEEDS' guess). */
  speed: MachineSpeed;
  measured: boolean;
}

/** The estimate of `plan` on `backend`, at `speed` (a machine's measured), else the backend's guess. */
export function estimateRun(plan: Plan, backend: string, speed?: MachineSpeed): RunEstimate {
  const work = planWork(plan);
  const assumed = speed ?? defaultSpeed(backend);
  const { content, final } = plan;
  return {
    content, final, backend, speed: assumed, measured: speed !== undefined,
    upscaled: Math.max(final.width, final.height) > Math.max(content.width, content.height),
    scales: plan.scales.map(({ width, height, iterations }, i) => ({
      width, height, iterations, tiles: work.scales[i].tiles, work: work.scales[i].iteration * iterations,
    })),
    work: work.total, estimateMs: estimateMs(work, assumed),
  };
}
