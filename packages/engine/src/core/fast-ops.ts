import * as tf from '@tensorflow/tfjs';

/*
 * Two ops with hand-written gradients, because tfjs's generic ones are slow on
 * the wasm backend (see ../../../README.md, Performance):
 *
 * - conv3x3 + bias + ReLU. The input gradient of a stride-1 "same" convolution
 *   is a forward convolution of dy with the kernel rotated 180° and its in/out
 *   channels swapped. tfjs computes it with Conv2DBackpropInput, a scalar loop
 *   on wasm; the forward conv runs on XNNPACK, ~7x faster. We never need the
 *   weights' gradient, so the kernel is closed over rather than an input.
 * - Gram matrix FᵀF. On wasm only an untransposed matMul reaches XNNPACK, so we
 *   transpose F explicitly and write the gradient, F(dG + dGᵀ), without a
 *   transposed operand.
 *
 * Both free what backprop no longer needs as soon as they can (see
 * conv3x3Relu), and both are checked against tfjs's own gradients on random
 * inputs in test/engine/fast-ops.test.ts.
 */

export interface ConvLayer {
  kernel: tf.Tensor4D;
  bias: tf.Tensor1D;
  /** kernel reversed on H and W, in/out swapped: [3, 3, out, in]. */
  kernelForInputGrad: tf.Tensor4D;
}

export function prepareConv(kernel: tf.Tensor4D, bias: tf.Tensor1D): ConvLayer {
  const kernelForInputGrad = tf.tidy(() => tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D);
  return { kernel, bias, kernelForInputGrad };
}

/**
 * relu(conv2d(x, kernel, 'same') + bias), with the fast input gradient.
 *
 * Memory: tfjs frees a tf.grad's forward intermediates when the forward pass
 * ends and keeps only what ops `save` (a copy on wasm) — but it keeps every
 * intermediate gradient, and everything a custom gradient computes, until the
 * whole backward pass ends (a 512 px VGG19 iteration peaked at ~2 GB of
 * tensors). Backprop reaches this layer after every consumer of its output, so
 * once its input gradient is computed neither the saved output nor the
 * output's gradient dy is needed again: we tidy the gradient's temporaries and
 * free both here (tfjs's final cleanup disposing them again is a no-op).
 */
export function conv3x3Relu(x: tf.Tensor4D, layer: ConvLayer): tf.Tensor4D {
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = tf.fused.conv2d({
      x: input as tf.Tensor4D, filter: layer.kernel, bias: layer.bias, strides: 1, pad: 'same', activation: 'relu',
    });
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const dx = tf.tidy(() => tf.conv2d(tf.mul(dy, tf.step(saved[0])) as tf.Tensor4D, layer.kernelForInputGrad, 1, 'same'));
        tf.dispose([dy, saved[0]]);
        return dx;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as unknown as tf.Tensor4D;
}

/** The plain-tfjs version of conv3x3Relu, the reference its gradient is tested against. */
export function conv3x3ReluReference(x: tf.Tensor4D, layer: ConvLayer): tf.Tensor4D {
  return tf.relu(tf.add(tf.conv2d(x, layer.kernel, 1, "same"), layer.bias)) as tf.Tensor4D;
}

/** Gram matrix FᵀF of NHWC features (batch 1) as [C, C], unnormalised. */
export function gram(features: tf.Tensor4D): tf.Tensor2D {
  const [, h, w, c] = features.shape;
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const f = tf.reshape(input, [h * w, c]) as tf.Tensor2D;
    save([f]);
    return {
      value: tf.matMul(tf.transpose(f), f),
      gradFunc: (dG: tf.Tensor, saved: tf.Tensor[]) => {
        const dF = tf.tidy(() => tf.reshape(tf.matMul(saved[0] as tf.Tensor2D, tf.add(dG, tf.transpose(dG)) as tf.Tensor2D), [1, h, w, c]));
        tf.dispose([dG, saved[0]]); // as in conv3x3Relu: nothing needs them after this
        return dF;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(features) as unknown as tf.Tensor2D;
}

export function gramReference(features: tf.Tensor4D): tf.Tensor2D {
  const [, h, w, c] = features.shape;
  const f = tf.reshape(features, [h * w, c]) as tf.Tensor2D;
  return tf.matMul(f, f, true, false);
}
