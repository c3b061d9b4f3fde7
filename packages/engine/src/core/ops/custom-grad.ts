import * as tf from '@tensorflow/tfjs';

/** The forward pass of a one-input op with a hand-written gradient: its value, and dy ↦ d(input). */
export type UnaryGradientOp<I extends tf.Tensor, O extends tf.Tensor> =
  (input: I, save: tf.GradSaveFunc) => { value: O; gradFunc: (dy: O, saved: tf.Tensor[]) => tf.Tensor };

/**
 * tf.customGrad for an op of one input, typed: tfjs types its argument as a
 * variadic function of tensors and save functions, which no one-input op
 * matches without a cast; the cast lives here, once.
 */
export function customUnaryOp<I extends tf.Tensor, O extends tf.Tensor>(
  forward: UnaryGradientOp<I, O>,
): (input: I) => O {
  const op = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]);
  return (input) => op(input) as unknown as O;
}
