import * as tf from '@tensorflow/tfjs';
import { WINOGRAD_2X2 } from './winograd';
import { WINOGRAD_4X4 } from './winograd-4x4';
import { WinogradVariant } from './winograd-parts';

/*
 * Ops with hand-written gradients, because tfjs's generic ones are slow or
 * memory-hungry on the wasm backend (see docs/PERFORMANCE.md):
 *
 * - conv3x3 + bias + ReLU. The input gradient of a stride-1 "same" convolution
 *   is a forward convolution of dy with the kernel rotated 180° and its in/out
 *   channels swapped. tfjs computes it with Conv2DBackpropInput, a scalar loop
 *   on wasm; the forward conv runs on XNNPACK, ~7x faster. We never need the
 *   weights' gradient, so the kernel is closed over rather than an input.
 *   Both convolutions are direct (XNNPACK) or Winograd, F(2x2, 3x3) or
 *   F(4x4, 3x3) (see winograd.ts, winograd-4x4.ts), chosen per layer.
 * - Gram matrix FᵀF. On wasm only an untransposed matMul reaches XNNPACK, so we
 *   transpose F explicitly and write the gradient, F(dG + dGᵀ), without a
 *   transposed operand; and the style term's Σ (G/M − A)² as one op whose
 *   gradient is a single matMul (gramDistance).
 * - 2x2 average pooling whose gradient does not keep a copy of its input.
 *
 * All free what backprop no longer needs as soon as they can (see
 * conv3x3Relu), and each is checked against tfjs's own gradients on random
 * inputs in test/engine/fast-ops.test.ts.
 */

/**
 * How a layer convolves: XNNPACK's direct convolution, Winograd's F(2x2, 3x3)
 * ('winograd') or F(4x4, 3x3) ('winograd-4x4') built from tfjs ops, or
 * F(4x4, 3x3) for activations of at most WINOGRAD_SMALL_ELEMENTS elements and
 * direct ('winograd-4x4-when-small') or F(2x2, 3x3)
 * ('winograd-4x4-when-small-else-2x2') above, where F(4x4)'s transients (a
 * few activation-sized tensors, more than F(2x2)'s) would raise the peak
 * memory more than its speed is worth. Such a layer keeps both forms of its
 * weights.
 */
export type ConvAlgorithm = 'direct' | 'winograd' | 'winograd-4x4' | 'winograd-4x4-when-small' | 'winograd-4x4-when-small-else-2x2';

/**
 * 4M floats: conv1_2's activations up to ~256x256 px. Measured with F(2x2)
 * at 512x512 px (`node packages/engine/bench/child.mjs iter wasm 512 3 auto`):
 * Winograd on conv1_2 and conv2_1 at every size peaked at 1431-1444 MB RSS,
 * this 1332-1359 MB, for a difference in speed lost in the machine's noise.
 */
export const WINOGRAD_SMALL_ELEMENTS = 4 * 1024 * 1024;

export interface ConvLayer {
  readonly algorithm: ConvAlgorithm;
  /** relu(conv2d(x, kernel, 1, 'same') + bias). */
  forward(x: tf.Tensor4D): tf.Tensor4D;
  /** conv2d(dy, kernel rotated 180° with in/out swapped, 1, 'same'): the input gradient of the convolution. */
  inputGradient(dy: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

/**
 * Prepares a layer; it owns `kernel` and `bias` from now on (a Winograd layer
 * keeps only their transforms, so it frees the kernel at once). What it keeps
 * is tf.keep-ed: a layer prepared inside a tidy outlives it.
 */
export function prepareConv(kernel: tf.Tensor4D, bias: tf.Tensor1D, algorithm: ConvAlgorithm = 'direct'): ConvLayer {
  tf.keep(kernel);
  tf.keep(bias);
  const kernelForInputGrad = tf.keep(rotateForInputGradient(kernel));
  const direct = {
    forward: (x: tf.Tensor4D) => tf.fused.conv2d({ x, filter: kernel, bias, strides: 1, pad: 'same', activation: 'relu' }),
    inputGradient: (dy: tf.Tensor4D) => tf.conv2d(dy, kernelForInputGrad, 1, 'same'),
  };
  if (algorithm === 'direct') return { algorithm, ...direct, dispose: () => tf.dispose([kernel, bias, kernelForInputGrad]) };
  if (algorithm === 'winograd' || algorithm === 'winograd-4x4') {
    const fast = algorithm === 'winograd' ? winogradConvolutions(WINOGRAD_2X2, kernel, kernelForInputGrad, bias)
      : winogradConvolutions(WINOGRAD_4X4, kernel, kernelForInputGrad, bias);
    tf.dispose([kernel, kernelForInputGrad]);
    return { algorithm, ...fast, dispose: () => { fast.dispose(); bias.dispose(); } };
  }
  const small = winogradConvolutions(WINOGRAD_4X4, kernel, kernelForInputGrad, bias);
  const large = algorithm === 'winograd-4x4-when-small-else-2x2' ? winogradConvolutions(WINOGRAD_2X2, kernel, kernelForInputGrad, bias) : null;
  if (large) tf.dispose([kernel, kernelForInputGrad]);
  const fits = (t: tf.Tensor4D) => t.size <= WINOGRAD_SMALL_ELEMENTS;
  return {
    algorithm,
    forward: (x) => (fits(x) ? small.forward(x) : (large ?? direct).forward(x)),
    inputGradient: (dy) => (fits(dy) ? small.inputGradient(dy) : (large ?? direct).inputGradient(dy)),
    dispose: () => {
      small.dispose();
      if (large) {
        large.dispose();
        bias.dispose();
      } else {
        tf.dispose([kernel, bias, kernelForInputGrad]);
      }
    },
  };
}

type Convolutions = Pick<ConvLayer, 'forward' | 'inputGradient' | 'dispose'>;

/** Forward and input-gradient convolutions by one Winograd variant; dispose() frees the transforms, not the bias. */
function winogradConvolutions<F>(variant: WinogradVariant<F>, kernel: tf.Tensor4D, kernelForInputGrad: tf.Tensor4D,
  bias: tf.Tensor1D): Convolutions {
  const forward = variant.filter(kernel);
  const backward = variant.filter(kernelForInputGrad);
  return {
    forward: (x) => tf.tidy(() => tf.relu(variant.conv(x, forward, bias))),
    inputGradient: (dy) => variant.conv(dy, backward),
    dispose: () => { variant.dispose(forward); variant.dispose(backward); },
  };
}

/**
 * The kernel rotated 180° with its in/out channels swapped, [3, 3, out, in],
 * rearranged in JS: tfjs's wasm transpose of the channel axes is a scalar
 * loop (see bench/wasm-ops.mjs), and this runs once per layer at start-up.
 */
export function rotateForInputGradient(kernel: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, inChannels, outChannels] = kernel.shape;
  const source = kernel.dataSync();
  const rotated = new Float32Array(source.length);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = ((kh - 1 - i) * kw + (kw - 1 - j)) * inChannels * outChannels;
      const to = (i * kw + j) * outChannels * inChannels;
      for (let c = 0; c < inChannels; c++) {
        for (let o = 0; o < outChannels; o++) rotated[to + o * inChannels + c] = source[from + c * outChannels + o];
      }
    }
  }
  return tf.tensor4d(rotated, [kh, kw, outChannels, inChannels]);
}

/**
 * Tensors the fast ops keep alive for one tf.grad instead of `save`-ing them.
 * tfjs's save clones, a clone is a copy on wasm, and original and copy both
 * live until the forward pass ends: twice the activations at the forward
 * peak. With an arena the op keeps its own output and its gradient frees it;
 * dispose() frees whatever a failed or skipped backward pass left.
 */
export class GradientArena {
  private readonly kept: tf.Tensor[] = [];

  keep<T extends tf.Tensor>(tensor: T): T {
    this.kept.push(tf.keep(tensor));
    return tensor;
  }

  dispose(): void {
    tf.dispose(this.kept);
    this.kept.length = 0;
  }
}

/**
 * How a layer with an arena keeps where its output is positive (the ReLU's
 * gradient): float32 0/1 from tf.step, or a bool, 1 byte instead of 4. On
 * wasm tf.greater is a scalar loop: for 2.8M values (conv1_2 at 256x170)
 * 8.8 ms against tf.step's 0.6, and the bool needs a cast back (1.2 ms) in
 * the gradient (`node packages/engine/bench/wasm-ops.mjs`). Vgg19.extract
 * picks by the size of the whole network's activations (FLOAT_MASK_ELEMENTS).
 */
export type ReluMask = 'float32' | 'bool';

/**
 * A network whose activations total at most this many values keeps float32
 * ReLU masks: 128 MB of them at most, 96 MB more than as bools. VGG19 to
 * conv5_1 has 12.6M at 256x170 px (tf.greater over them: ~40 ms an
 * iteration at wasm-ops.mjs's 8.8 ms per 2.8M), 28.5M at the default
 * 384x256; at 512x512 (76M) the masks stay bools. Rules
 * that gave float masks to the smaller layers at 512 px too (tried with
 * temporary code and `node packages/engine/bench/child.mjs iter wasm 512 3`)
 * raised its peak RSS by 17-110 MB: the wasm heap's fragmentation.
 */
export const FLOAT_MASK_ELEMENTS = 32 * 1024 * 1024;

/**
 * relu(conv2d(x, kernel, 'same') + bias), with the fast input gradient.
 *
 * Memory: tfjs keeps every intermediate gradient, and everything a custom
 * gradient computes, until the whole backward pass ends (a 512 px VGG19
 * iteration peaked at ~2 GB of tensors). Backprop reaches this layer after
 * every consumer of its output, so once its input gradient is computed
 * neither the output nor its gradient dy is needed again: we free both, and
 * the gradient's temporaries, as soon as each is used (tfjs's final cleanup
 * disposing them again is a no-op). Pass an arena to also avoid the copy
 * `save` makes: the layer then keeps only where its output is positive (the
 * ReLU's gradient, as `mask`), so a caller that needs the output only as the
 * next layer's input may free it once that layer has run (see Vgg19.extract).
 */
export function conv3x3Relu(x: tf.Tensor4D, layer: ConvLayer, arena?: GradientArena, mask: ReluMask = 'bool'): tf.Tensor4D {
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = layer.forward(input as tf.Tensor4D);
    const positive = arena ? arena.keep(mask === 'float32' ? tf.step(y) : tf.greater(y, 0)) : null;
    if (!arena) save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // Free each input as soon as its last use is done: this is the peak of the iteration.
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
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as unknown as tf.Tensor4D;
}

/**
 * 2x2 stride-2 average pooling ('valid') whose gradient does not keep its
 * input: tfjs's AvgPool saves x (a copy on wasm) only for its shape. The
 * gradient spreads dy/4 over each window; rows or columns the pooling dropped
 * (odd sizes) get zero.
 */
export function avgPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = x.shape;
  const op = tf.customGrad(((input: tf.Tensor) => ({
    value: tf.avgPool(input as tf.Tensor4D, 2, 2, 'valid'),
    gradFunc: (dy: tf.Tensor) => {
      const [, ph, pw] = dy.shape;
      const dx = tf.tidy(() => {
        const spread = tf.mul(tf.image.resizeNearestNeighbor(dy as tf.Tensor4D, [2 * ph, 2 * pw]), 0.25) as tf.Tensor4D;
        return h === 2 * ph && w === 2 * pw ? spread : tf.pad(spread, [[0, 0], [0, h - 2 * ph], [0, w - 2 * pw], [0, 0]]);
      });
      tf.dispose(dy); // as in conv3x3Relu
      return dx;
    },
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as unknown as tf.Tensor4D;
}

/** The plain-tfjs version of conv3x3Relu, the reference its gradient is tested against. */
export function conv3x3ReluReference(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  return tf.relu(tf.add(tf.conv2d(x, kernel, 1, 'same'), bias)) as tf.Tensor4D;
}

/** Gram matrix FᵀF of NHWC features (batch 1) as [C, C], unnormalised. */
export function gram(features: tf.Tensor4D, arena?: GradientArena): tf.Tensor2D {
  const [, h, w, c] = features.shape;
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const f = tf.reshape(input, [h * w, c]) as tf.Tensor2D;
    if (arena) arena.keep(f); // a reshape shares the features' memory: no copy
    else save([f]);
    return {
      value: transposedTimesSelf(input as tf.Tensor4D),
      gradFunc: (dG: tf.Tensor, saved: tf.Tensor[]) => {
        const features = (arena ? f : saved[0]) as tf.Tensor2D;
        const dF = tf.tidy(() => tf.reshape(tf.matMul(features, tf.add(dG, tf.transpose(dG)) as tf.Tensor2D), [1, h, w, c]));
        tf.dispose([dG, features]); // as in conv3x3Relu: nothing needs them after this
        return dF;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(features) as unknown as tf.Tensor2D;
}

/**
 * Σ (FᵀF/M − A)² of NHWC features F (batch 1), M = H·W positions, for a
 * symmetric A (a Gram target): the core of a style term as one op. With
 * D = FᵀF/M − A its gradient is 4/M · F·D, one matMul; tfjs's chain rule
 * through squaredDifference, the division and the Gram adds seven ops on
 * [C, C] and a transpose of dG. D (C² values) is kept from the forward pass.
 * D is symmetric up to rounding (FᵀF is computed, not mirrored), so F·D
 * stands for F·(D + Dᵀ)/2; checked against tfjs's own gradient in
 * test/engine/gradient.test.ts.
 */
export function gramDistance(features: tf.Tensor4D, target: tf.Tensor2D, arena?: GradientArena): tf.Scalar {
  const [, h, w, c] = features.shape;
  const positions = h * w;
  const op = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    const f = tf.reshape(input, [positions, c]) as tf.Tensor2D;
    const d = tf.sub(tf.div(transposedTimesSelf(input as tf.Tensor4D), positions), target) as tf.Tensor2D;
    if (arena) {
      arena.keep(f); // a reshape shares the features' memory: no copy
      arena.keep(d);
    } else {
      save([f, d]);
    }
    return {
      value: tf.sum(tf.square(d)),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [features, difference] = (arena ? [f, d] : saved) as tf.Tensor2D[];
        const dF = tf.tidy(() => tf.reshape(tf.matMul(features, tf.mul(difference, tf.mul(dy, 4 / positions)) as tf.Tensor2D), [1, h, w, c]));
        tf.dispose([features, difference]); // as in conv3x3Relu: nothing needs them after this
        return dF;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(features) as unknown as tf.Scalar;
}

/**
 * FᵀF of [1, H, W, C] features. Fᵀ is made as [C, H, W]: tfjs's wasm
 * transpose of the same values viewed as [H·W, C] is ~6x slower
 * (bench/wasm-ops.mjs: 14.9 vs 2.6 ms for conv1_1 at 256x170), and a matMul
 * with a transposed operand is slower still.
 */
function transposedTimesSelf(features: tf.Tensor4D): tf.Tensor2D {
  const [, h, w, c] = features.shape;
  return tf.tidy(() => {
    const transposed = tf.reshape(tf.transpose(tf.reshape(features, [h, w, c]), [2, 0, 1]), [c, h * w]) as tf.Tensor2D;
    return tf.matMul(transposed, tf.reshape(features, [h * w, c]) as tf.Tensor2D);
  });
}

export function gramReference(features: tf.Tensor4D): tf.Tensor2D {
  const [, h, w, c] = features.shape;
  const f = tf.reshape(features, [h * w, c]) as tf.Tensor2D;
  return tf.matMul(f, f, true, false);
}
