import { VGG_LAYERS, VggLayer } from './options';

/*
 * VGG19's spatial geometry, in one place: where it pools, how large each
 * layer's features are for an image, and the smallest image it takes.
 * 3x3 'same' convolutions keep the size; each 2x2 stride-2 'valid' pool
 * halves it, rounding down.
 */

/** Layers after which VGG19 pools. conv5_4's pool is never needed here. */
export const POOL_AFTER: ReadonlySet<VggLayer> = new Set<VggLayer>(['conv1_2', 'conv2_2', 'conv3_4', 'conv4_4']);

/** Output channels of each layer (the network's architecture; the weights are checked against it). */
export const CHANNELS: Readonly<Record<VggLayer, number>> = {
  conv1_1: 64, conv1_2: 64, conv2_1: 128, conv2_2: 128,
  conv3_1: 256, conv3_2: 256, conv3_3: 256, conv3_4: 256,
  conv4_1: 512, conv4_2: 512, conv4_3: 512, conv4_4: 512,
  conv5_1: 512, conv5_2: 512, conv5_3: 512, conv5_4: 512,
};

/** How many 2x2 poolings come before `layer`'s convolution. */
export function poolsBefore(layer: VggLayer): number {
  return VGG_LAYERS.slice(0, VGG_LAYERS.indexOf(layer)).filter((l) => POOL_AFTER.has(l)).length;
}

/** The smallest side an input may have so that every pooling before `layers` leaves at least 1 px. */
export function minimumSide(layers: readonly VggLayer[]): number {
  return 2 ** Math.max(...layers.map(poolsBefore));
}

/** The height and width of `layer`'s features for an image of height × width. */
export function featureSize(layer: VggLayer, height: number, width: number): { height: number; width: number } {
  const pools = poolsBefore(layer);
  return { height: Math.floor(height / 2 ** pools), width: Math.floor(width / 2 ** pools) };
}

/** Positions M of a layer's features for an image of height × width (at least 1). */
export function positions(layer: VggLayer, height: number, width: number): number {
  const f = featureSize(layer, height, width);
  return Math.max(1, f.height) * Math.max(1, f.width);
}

/** The deepest of `layers` (VGG19 runs up to it and no further). */
export function deepestLayer(layers: readonly VggLayer[]): VggLayer {
  return VGG_LAYERS[Math.max(...layers.map((l) => VGG_LAYERS.indexOf(l)))];
}

/**
 * How many values the activations of `layers` (consecutive, VGG's pools between them) take for an input of height ×
 * width.
 */
export function activationValues(height: number, width: number, layers: readonly VggLayer[]): number {
  let total = 0;
  let [h, w] = [height, width];
  for (const layer of layers) {
    total += h * w * CHANNELS[layer];
    if (POOL_AFTER.has(layer)) [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
  }
  return total;
}

/** VGG19's layers from conv1_1 to `deepest`. */
export function layersUpTo(deepest: VggLayer): VggLayer[] {
  return VGG_LAYERS.slice(0, VGG_LAYERS.indexOf(deepest) + 1);
}
