import { CHANNELS, POOL_AFTER, poolsBefore } from '../geometry';
import { VGG_LAYERS, VggLayer } from '../options';

/*
 * VGG19 cut into stages at some of its poolings. A tiled objective runs the
 * network stage by stage over the whole image, keeping each stage's output
 * (a pooled, smaller activation) in ordinary memory: a tile then needs a
 * halo only as wide as its own stage's receptive field, a few pixels at the
 * stage's resolution, instead of conv5_1's 156 px. The cut is exact: every
 * value inside a tile is the whole image's (see tile-grid.ts).
 */

/**
 * Stages end after these layers' pools: blocks 1-2, 3, 4 and 5 (the first two together: block 1's output is the largest
 * to keep).
 */
const STAGE_ENDS: ReadonlySet<VggLayer> = new Set<VggLayer>(['conv2_2', 'conv3_4', 'conv4_4']);

export interface Stage {
  /** Its layers in order. */
  readonly layers: readonly VggLayer[];
  /** Whether it ends with a pool: its output is then the next stage's input. */
  readonly endsWithPool: boolean;
  /** Its input's downscale from the image: 2^(pools before the stage). */
  readonly inputScale: number;
  /** Its output's downscale from its input: 2^(pools inside it). */
  readonly factor: number;
  readonly inputChannels: number;
  readonly outputChannels: number;
  /** Output row i reads input rows factor·i − before … factor·i + factor − 1 + after (the same for columns). */
  readonly before: number;
  readonly after: number;
  /** Each layer's downscale from the stage's input (2^pools before it inside the stage). */
  readonly layerScale: ReadonlyMap<VggLayer, number>;
}

/** Input rows [lo, hi] (relative to factor·i) that output row i of `layers` (pooled where VGG pools) reads. */
function receptiveField(layers: readonly VggLayer[],
  endsWithPool: boolean): { lo: number; hi: number; factor: number } {
  let lo = 0;
  let hi = 0;
  let factor = 1;
  for (let k = layers.length - 1; k >= 0; k--) {
    if (POOL_AFTER.has(layers[k]) && (k < layers.length - 1 || endsWithPool)) {
      lo *= 2;
      hi = 2 * hi + 1;
      factor *= 2;
    }
    lo -= 1; // a 3x3 'same' convolution
    hi += 1;
  }
  return { lo, hi, factor };
}

/** The stages that run VGG19 up to `deepest`; the last ends at it, without a pool. */
export function vggStages(deepest: VggLayer): Stage[] {
  const layers = VGG_LAYERS.slice(0, VGG_LAYERS.indexOf(deepest) + 1);
  const stages: Stage[] = [];
  let current: VggLayer[] = [];
  for (const layer of layers) {
    current.push(layer);
    const last = layer === deepest;
    if (last || STAGE_ENDS.has(layer)) {
      stages.push(makeStage(current, !last));
      current = [];
    }
  }
  return stages;
}

function makeStage(layers: VggLayer[], endsWithPool: boolean): Stage {
  const { lo, hi, factor } = receptiveField(layers, endsWithPool);
  const first = poolsBefore(layers[0]);
  const layerScale = new Map(layers.map((l) => [l, 2 ** (poolsBefore(l) - first)] as const));
  const index = VGG_LAYERS.indexOf(layers[0]);
  return {
    layers, endsWithPool, factor, layerScale,
    inputScale: 2 ** first,
    inputChannels: index === 0 ? 3 : CHANNELS[VGG_LAYERS[index - 1]],
    outputChannels: CHANNELS[layers[layers.length - 1]],
    before: -lo,
    after: hi - (factor - 1),
  };
}
