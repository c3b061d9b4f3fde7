import * as tf from '@tensorflow/tfjs';
import { ConvLayer } from './conv';
import { customUnaryOp } from './custom-grad';
import { GradientArena } from './gradient-arena';

/**
 * How a layer with an arena keeps where its output is positive (the ReLU's
 * gradient): float32 0/1 from tf.step (fast on wasm), or a 1-byte bool
 * (tf.greater: a scalar loop on wasm, plus a cast back). Vgg19.extract picks
 * by the size of the network's activations (FLOAT_MASK_ELEMENTS).
 */
export type ReluMask = 'float32' | 'bool';

/**
 * relu(conv2d(x, kernel, 'same') + bias) with the layer's fast input gradient.
 *
 * Memory: tfjs keeps every intermediate gradient until the whole backward
 * pass ends. Backprop reaches this layer after every consumer of its output,
 * so once its input gradient is computed neither the output nor dy is needed
 * again: both are freed at once (tfjs's final cleanup disposing them again is
 * a no-op). With an arena the layer keeps only its ReLU mask instead of a
 * saved copy of its output, so a caller that needs the output only as the
 * next layer's input may free it once that layer ran (Vgg19.extract does).
 */
export function conv3x3Relu(x: tf.Tensor4D, layer: ConvLayer, arena?: GradientArena, mask: ReluMask = 'bool'): tf.Tensor4D {
  return customUnaryOp<tf.Tensor4D, tf.Tensor4D>((input, save) => {
    const y = layer.forward(input);
    const positive = arena ? arena.keep(mask === 'float32' ? tf.step(y) : tf.greater(y, 0)) : null;
    if (!arena) save([y]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const where = positive ?? tf.step(saved[0]);
        if (!positive) tf.dispose(saved[0]);
        const active = where.dtype === 'bool' ? tf.cast(where, 'float32') : where;
        if (active !== where) where.dispose();
        const masked = tf.mul(dy, active) as tf.Tensor4D;
        tf.dispose([dy, active]);
        const dx = layer.inputGradient(masked);
        masked.dispose();
        return dx;
      },
    };
  })(x);
}
