import * as tf from '@tensorflow/tfjs';
import { HostImage, Rect } from '../image/host-image';
import { ImageStore, MEMORY_STORE, StoredImage } from '../image/stored-image';
import { throwIfCancelled, yieldToEventLoop } from '../loop';
import { withArena } from '../ops/gradient-arena';
import { Pooling, VggLayer } from '../options';
import { fromTensor, toTensor } from '../pixels';
import { FeatureExtractor } from '../vgg19';
import { Stage } from './stages';
import { stageOutputLength, StageTile, stageTiles } from './tile-grid';

/*
 * The network run over an image too large for the backend, stage by stage
 * and tile by tile: forward (features and each stage's output), and backward
 * (the gradient of tile-local loss terms, plus the next stage's gradient,
 * with respect to the image). Only one tile's tensors exist at a time; the
 * image, the stage outputs and the gradients are StoredImages, in the
 * sweep's `store` (in memory, or in scratch files at print sizes).
 */

/** A tile's interior at a layer: rows and columns of the whole layer's features. */
export type LayerRect = Rect;

/**
 * What the forward sweep hands over for a wanted layer: the interior's features (freed once the call settles) and where
 * they are.
 */
export type FeatureVisitor = (layer: VggLayer, features: tf.Tensor4D, at: LayerRect) => void | Promise<void>;

/** A tile-local loss term at a wanted layer, for the backward sweep (inside its gradient tape), or null for none. */
export type LocalLoss = (layer: VggLayer, features: tf.Tensor4D, at: LayerRect) => tf.Scalar | null;

export interface SweepHooks {
  signal?: AbortSignal;
  /** After each tile. */
  onTile?: () => void;
}

export interface Sweep {
  vgg: FeatureExtractor;
  stages: readonly Stage[];
  pooling: Pooling;
  /** The largest interior, at its stage's output resolution, of each stage's tiles. */
  tileShape: (stage: Stage) => { rows: number; cols: number };
  /** On a torus (seamless): tiles' halos wrap around the image's edges (tile-grid.ts). */
  circular?: boolean;
  /** Where the stage outputs and gradients live between tiles (default: memory). */
  store?: ImageStore;
}

/** The part `rect` of NHWC features (no copy when it is all of them). */
function sliceRect(x: tf.Tensor4D, rect: Rect): tf.Tensor4D {
  const [, h, w, c] = x.shape;
  if (rect.top === 0 && rect.left === 0 && rect.height === h && rect.width === w) return x;
  return tf.slice(x, [0, rect.top, rect.left, 0], [1, rect.height, rect.width, c]);
}

/** A tile's interior at `layer` in the whole layer's coordinates. */
function layerRect(tile: StageTile, stage: Stage, layer: VggLayer): LayerRect {
  const inCrop = tile.layers.get(layer)!;
  const scale = stage.layerScale.get(layer)!;
  return { ...inCrop, top: inCrop.top + tile.crop.top / scale, left: inCrop.left + tile.crop.left / scale };
}

function tilesOf(sweep: Sweep, stage: Stage, input: StoredImage): StageTile[] {
  const { rows, cols } = sweep.tileShape(stage);
  return stageTiles(stage, input.height, input.width, rows, cols, sweep.circular);
}

/** A tile's crop of a stage's input (wrapping on a torus). */
function cropOf(sweep: Sweep, input: StoredImage, tile: StageTile): HostImage {
  return input.crop(tile.crop, sweep.circular);
}

/** How many tiles a forward and a backward sweep over an image of height × width visit, together. */
export function tilesPerEvaluation(sweep: Sweep, height: number, width: number): number {
  let [h, w] = [height, width];
  let total = 0;
  for (const stage of sweep.stages) {
    const { rows, cols } = sweep.tileShape(stage);
    const tilesAlong = (length: number, parts: number) =>
      Math.max(1, Math.ceil(stageOutputLength(stage, length) / parts));
    total += 2 * tilesAlong(h, rows) * tilesAlong(w, cols);
    [h, w] = [stageOutputLength(stage, h), stageOutputLength(stage, w)];
  }
  return total;
}

async function betweenTiles(hooks: SweepHooks): Promise<void> {
  await yieldToEventLoop();
  throwIfCancelled(hooks.signal);
}

/** One tile forward: the wanted layers' interiors and (with `withOutput`) the stage output's, the caller's to free. */
function forwardTile(sweep: Sweep, stage: Stage, tile: StageTile, crop: HostImage, wanted: ReadonlySet<VggLayer>,
  withOutput: boolean) {
  const layers = stage.layers.filter((l) => wanted.has(l));
  // Returned from the tidy and read outside it: a GPU backend reads back asynchronously, and a tidy cannot await.
  const { features, interior } = tf.tidy(() => {
    const segment = { layers: stage.layers, poolAfterLast: stage.endsWithPool };
    const result = sweep.vgg.runSegment(toTensor(crop), segment, wanted, sweep.pooling);
    const kept = layers.map((layer) => sliceRect(result.features.get(layer)!, tile.layers.get(layer)!));
    return { features: kept, interior: withOutput ? sliceRect(result.output, tile.outputInCrop) : undefined };
  });
  return { layers, features, interior };
}

/**
 * Runs every stage forward over `image` (which stays the caller's), visiting the interiors of the
 * `wanted` layers; returns each stage's input (the image, then every stage's
 * output but the last's) for a backward sweep, which frees them
 * (`disposeInputs` where none follows).
 */
export async function forwardSweep(sweep: Sweep, image: StoredImage, wanted: ReadonlySet<VggLayer>,
  visit: FeatureVisitor, hooks: SweepHooks = {}): Promise<StoredImage[]> {
  const inputs: StoredImage[] = [image];
  try {
    for (const [s, stage] of sweep.stages.entries()) {
      const input = inputs[s];
      const last = s === sweep.stages.length - 1;
      const output = last ? null : (sweep.store ?? MEMORY_STORE)(stageOutputLength(stage, input.height),
        stageOutputLength(stage, input.width), stage.outputChannels);
      if (output) inputs.push(output);
      const stageWanted = new Set(stage.layers.filter((l) => wanted.has(l)));
      for (const tile of tilesOf(sweep, stage, input)) {
        await betweenTiles(hooks);
        const { layers, features, interior } = forwardTile(sweep, stage, tile, cropOf(sweep, input, tile),
          stageWanted, output !== null);
        try {
          for (const [i, layer] of layers.entries()) await visit(layer, features[i], layerRect(tile, stage, layer));
          if (interior) output!.write(await fromTensor(interior), tile.output.top, tile.output.left);
        } finally {
          tf.dispose([...features, ...(interior ? [interior] : [])]);
        }
        hooks.onTile?.();
      }
    }
    return inputs;
  } catch (error) {
    disposeInputs(inputs); // cancelled or failed mid-sweep
    throw error;
  }
}

/** Frees what a forward sweep kept (the stage outputs; the image, the first input, stays the caller's). */
export function disposeInputs(inputs: readonly StoredImage[]): void {
  for (const input of inputs.slice(1)) input.dispose();
}

/**
 * The gradient with respect to the image of Σ over tiles of the local loss
 * terms at their interiors, given each stage's input from a forward sweep
 * (which it frees). Stage by stage from the last: a tile's gradient is that
 * of its own terms plus ⟨its output interior, the next stage's gradient
 * there⟩, and the tiles' crop gradients add up (their halos overlap) into the
 * stage input's. The image's gradient is the caller's, where the store keeps images.
 */
export async function backwardSweep(sweep: Sweep, inputs: StoredImage[], wanted: ReadonlySet<VggLayer>,
  loss: LocalLoss, hooks: SweepHooks = {}): Promise<StoredImage> {
  let outputGradient: StoredImage | null = null;
  try {
    for (let s = sweep.stages.length - 1; s >= 0; s--) {
      const stage = sweep.stages[s];
      const input = inputs[s];
      const gradient = (sweep.store ?? MEMORY_STORE)(input.height, input.width, input.channels);
      const stageWanted = new Set(stage.layers.filter((l) => wanted.has(l)));
      try {
        for (const tile of tilesOf(sweep, stage, input)) {
          await betweenTiles(hooks);
          const seed = outputGradient ? outputGradient.crop(tile.output) : null;
          const dx = await tileGradient(sweep, stage, tile, cropOf(sweep, input, tile), stageWanted, loss, seed);
          gradient.add(dx, tile.crop.top, tile.crop.left, sweep.circular);
          hooks.onTile?.();
        }
      } catch (error) {
        gradient.dispose();
        throw error;
      }
      outputGradient?.dispose();
      outputGradient = gradient;
      if (s > 0) inputs[s].dispose(); // no tile reads this stage's input again
    }
    const imageGradient = outputGradient!;
    outputGradient = null;
    return imageGradient;
  } finally {
    outputGradient?.dispose();
    disposeInputs(inputs);
  }
}

async function tileGradient(sweep: Sweep, stage: Stage, tile: StageTile, crop: HostImage,
  wanted: ReadonlySet<VggLayer>, loss: LocalLoss,
  seed: HostImage | null): Promise<HostImage> {
  const dx = withArena((arena) => tf.tidy(() => {
    const seedTensor = seed ? toTensor(seed) : null;
    return tf.grad((x: tf.Tensor) => {
      const segment = { layers: stage.layers, poolAfterLast: stage.endsWithPool };
      const result = sweep.vgg.runSegment(x as tf.Tensor4D, segment, wanted, sweep.pooling, arena);
      const terms: tf.Scalar[] = [];
      for (const [layer, features] of result.features) {
        const term = loss(layer, sliceRect(features, tile.layers.get(layer)!), layerRect(tile, stage, layer));
        if (term) terms.push(term);
      }
      if (seedTensor) terms.push(tf.sum(tf.mul(sliceRect(result.output, tile.outputInCrop), seedTensor)));
      return terms.length > 0 ? tf.addN(terms) as tf.Scalar : tf.mul(tf.sum(result.output), 0) as tf.Scalar;
    })(toTensor(crop)) as tf.Tensor4D;
  }));
  try {
    return await fromTensor(dx);
  } finally {
    dx.dispose();
  }
}
