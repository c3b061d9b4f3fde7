import * as tf from '@tensorflow/tfjs';

/*
 * The plain-tfjs forms of the engine's hand-written ops: what their values
 * and gradients are tested against.
 */

/** relu(conv2d(x, kernel, 1, 'same') + bias), differentiated by tfjs itself. */
export function conv3x3ReluReference(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  return tf.relu(tf.add(tf.conv2d(x, kernel, 1, 'same'), bias)) as tf.Tensor4D;
}

/** FᵀF of NHWC features (batch 1) by a transposed matMul. */
export function gramReference(features: tf.Tensor4D): tf.Tensor2D {
  const [, h, w, c] = features.shape;
  const f = tf.reshape(features, [h * w, c]) as tf.Tensor2D;
  return tf.matMul(f, f, true, false);
}
