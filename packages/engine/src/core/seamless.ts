import * as tf from '@tensorflow/tfjs';
import { minimumSide } from './geometry';
import { StylizeOptions, VggLayer } from './options';
import type { Size } from './plan';

/*
 * Seamless textures (option seamless): the objective of the image on a torus,
 * so that the result tiles without a seam in both directions. The network's
 * convolutions wrap around the edges (FeatureExtractor.circular, ops/wrap.ts)
 * and total variation compares the last row and column with the first. A 2x2
 * pooling of an odd size would drop a row, which has no place on a torus: the
 * sizes are rounded so that every pooling sees even sizes. The style images are
 * not periodic: their targets keep the paper's zero padding. A tiled scale
 * cuts its tiles' halos around the edges (image/stored-image.ts), and its
 * pyramid and TV wrap too: the same objective, tile by tile.
 */

/** With seamless, `size` rounded to the nearest multiple of the pooling grid (16 px up to conv5_1), at least one. */
export function seamlessSize(options: StylizeOptions, size: Size, layers: readonly VggLayer[]): Size {
  if (!options.seamless) return size;
  const grid = minimumSide(layers);
  const round = (n: number) => Math.max(grid, Math.round(n / grid) * grid);
  return { width: round(size.width), height: round(size.height) };
}

/**
 * With seamless, every scale's size rounded (seamlessSize), the last one the output's own: rounding a fitted
 * size again could land on the other side of a grid line.
 */
export function seamlessSizes(options: StylizeOptions, sizes: Size[], final: Size,
  layers: readonly VggLayer[]): Size[] {
  if (!options.seamless) return sizes;
  return sizes.map((d, i) => (i === sizes.length - 1 ? final : seamlessSize(options, d, layers)));
}

/**
 * Total variation on the torus: the sum of squared differences between each
 * pixel and its right and lower neighbours, the last column's right neighbour
 * being the first column (and the same for rows), so no edge is favoured.
 */
export function circularTotalVariation(image: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.add(
    tf.sum(tf.squaredDifference(roll(image, 1), image)),
    tf.sum(tf.squaredDifference(roll(image, 2), image)))) as tf.Scalar;
}

/** `x` shifted by one along `axis` (1: rows, 2: columns), wrapping: element i is x's i+1. */
function roll(x: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D {
  const n = x.shape[axis];
  const begin = (at: number): [number, number, number, number] => (axis === 1 ? [0, at, 0, 0] : [0, 0, at, 0]);
  const size = (count: number): [number, number, number, number] => {
    const s: [number, number, number, number] = [...x.shape];
    s[axis] = count;
    return s;
  };
  return tf.concat([tf.slice(x, begin(1), size(n - 1)), tf.slice(x, begin(0), size(1))], axis);
}
