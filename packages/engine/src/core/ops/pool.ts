import * as tf from '@tensorflow/tfjs';
import { customUnaryOp } from './custom-grad';

/**
 * 2x2 stride-2 average pooling ('valid') whose gradient does not keep its
 * input: tfjs's AvgPool saves x (a copy on wasm) only for its shape. The
 * gradient spreads dy/4 over each window; rows or columns the pooling dropped
 * (odd sizes) get zero.
 */
export function avgPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = x.shape;
  return customUnaryOp<tf.Tensor4D, tf.Tensor4D>((input) => ({
    value: tf.avgPool(input, 2, 2, 'valid'),
    gradFunc: (dy) => {
      const [, ph, pw] = dy.shape;
      const dx = tf.tidy(() => {
        const spread = tf.mul(tf.image.resizeNearestNeighbor(dy, [2 * ph, 2 * pw]), 0.25) as tf.Tensor4D;
        return h === 2 * ph && w === 2 * pw ? spread
          : tf.pad(spread, [[0, 0], [0, h - 2 * ph], [0, w - 2 * pw], [0, 0]]);
      });
      tf.dispose(dy); // as in conv3x3Relu
      return dx;
    },
  }))(x);
}
