import * as tf from '@tensorflow/tfjs';
import { VectorSpace } from './vector-space';

/**
 * A tensor's values, read back asynchronously: on a GPU backend dataSync stalls the page, and on some adapters
 * (WebGPU's fallback adapter) returns zeros.
 */
export async function readValues(t: tf.Tensor): Promise<Float32Array> {
  return await t.data() as Float32Array;
}

/** Runs a scalar computation and returns its value, freeing the tensor. */
export async function readScalar(compute: () => tf.Tensor): Promise<number> {
  const t = tf.tidy(compute);
  try {
    return (await readValues(t))[0];
  } finally {
    t.dispose();
  }
}

/** Vectors as tensors on the current backend. */
export const TENSOR_SPACE: VectorSpace<tf.Tensor> = {
  size: (a) => a.size,
  dot: (a, b) => readScalar(() => tf.sum(tf.mul(a, b))),
  maxAbs: (a) => readScalar(() => tf.max(tf.abs(a))),
  combine: (a, x, b, y) => tf.tidy(() => {
    const left = a === 1 ? x : tf.mul(x, a);
    return b === 1 ? tf.add(left, y) : b === -1 ? tf.sub(left, y) : tf.add(left, tf.mul(y, b));
  }),
  update: (a, x, b, y) => {
    const out = TENSOR_SPACE.combine(a, x, b, y);
    x.dispose();
    return out;
  },
  scale: (a, x) => (a === -1 ? tf.neg(x) : tf.mul(x, a)),
  clone: (x) => tf.clone(x),
  decayedSquare: (previous, x, beta) => tf.tidy(() => {
    const fresh = tf.mul(tf.square(x), 1 - beta);
    return previous ? tf.add(tf.mul(previous, beta), fresh) : fresh;
  }),
  adamUpdate: (x, m, v, step, c, epsilon) =>
    tf.tidy(() => tf.sub(x, tf.mul(tf.div(m, tf.add(tf.div(tf.sqrt(v), c), epsilon)), step))),
  dispose: (x) => x.dispose(),
};
