import * as tf from '@tensorflow/tfjs';
import { WINOGRAD_SMALL_ELEMENTS } from '../tuning';
import { WINOGRAD_2X2 } from './winograd/f2x2';
import { WINOGRAD_4X4 } from './winograd/f4x4';
import { WinogradVariant } from './winograd/common';

/*
 * VGG19's 3x3 convolutions, prepared once per layer: the forward convolution
 * (+ bias) and its input gradient, each direct (XNNPACK) or by Winograd, and
 * the rule that picks one per layer. We never need the weights' gradient,
 * so the kernel is closed over rather than an input. The input gradient of a
 * stride-1 "same" convolution is a forward convolution of dy with the kernel
 * rotated 180° and its in/out channels swapped: on wasm that runs on XNNPACK,
 * much faster than tfjs's Conv2DBackpropInput (docs/PERFORMANCE.md).
 */

/**
 * How a layer convolves: direct, Winograd F(2x2, 3x3) ('winograd') or
 * F(4x4, 3x3) ('winograd-4x4'), or F(4x4) for small activations
 * (WINOGRAD_SMALL_ELEMENTS) and direct ('-when-small') or F(2x2)
 * ('-when-small-else-2x2') above. Such a layer keeps both forms of its weights.
 */
export type ConvAlgorithm = 'direct' | 'winograd' | 'winograd-4x4' | 'winograd-4x4-when-small' | 'winograd-4x4-when-small-else-2x2';

/** 'auto' (convAlgorithmFor's rule) or one algorithm for every layer: benchmarks and tests compare them. */
export const CONVOLUTION_CHOICES = ['auto', 'direct', 'winograd', 'winograd-4x4', 'winograd-4x4-when-small', 'winograd-4x4-when-small-else-2x2'] as const;
export type ConvolutionChoice = (typeof CONVOLUTION_CHOICES)[number];

/**
 * 'auto', on wasm, by the layer's channel counts: 3 in (conv1_1) direct, the
 * transforms cost more than they save; 512 on either side (conv4_1 on)
 * F(2x2), as F(4x4)'s transformed kernels would not fit the 512 px memory
 * target; 64 (conv1_2, conv2_1) F(4x4) while small, else direct; 128
 * (conv2_2, conv3_1) F(4x4) while small, else F(2x2); 256 F(4x4). Native and
 * GPU backends have fast convolutions of their own: direct.
 */
export function convAlgorithmFor(choice: ConvolutionChoice, backend: string, inChannels: number,
  outChannels: number): ConvAlgorithm {
  if (choice !== 'auto') return choice;
  const narrowest = Math.min(inChannels, outChannels);
  if (backend !== 'wasm' || narrowest < 64) return 'direct';
  if (Math.max(inChannels, outChannels) >= 512) return 'winograd';
  if (narrowest < 128) return 'winograd-4x4-when-small';
  return narrowest < 256 ? 'winograd-4x4-when-small-else-2x2' : 'winograd-4x4';
}

export interface ConvLayer {
  readonly algorithm: ConvAlgorithm;
  /** relu(conv2d(x, kernel, 1, 'same') + bias). */
  forward(x: tf.Tensor4D): tf.Tensor4D;
  /** The input gradient of the convolution (before the ReLU) for dy. */
  inputGradient(dy: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

type Convolutions = Pick<ConvLayer, 'forward' | 'inputGradient' | 'dispose'>;

/**
 * Prepares a layer; it owns `kernel` and `bias` from now on (a Winograd layer
 * keeps only their transforms and frees the kernel). What it keeps is
 * tf.keep-ed: a layer prepared inside a tidy outlives it.
 */
export function prepareConv(kernel: tf.Tensor4D, bias: tf.Tensor1D, algorithm: ConvAlgorithm = 'direct'): ConvLayer {
  tf.keep(kernel);
  tf.keep(bias);
  const rotated = tf.keep(rotateForInputGradient(kernel));
  const direct = directConvolutions(kernel, rotated, bias);
  const variant = (v: WinogradVariant<unknown>) => winogradConvolutions(v, kernel, rotated, bias);
  const freeKernels = () => tf.dispose([kernel, rotated]);
  if (algorithm === 'direct') return { algorithm, ...direct, dispose: () => { freeKernels(); bias.dispose(); } };
  if (algorithm === 'winograd' || algorithm === 'winograd-4x4') {
    const fast = variant(algorithm === 'winograd' ? WINOGRAD_2X2 : WINOGRAD_4X4);
    freeKernels();
    return { algorithm, ...fast, dispose: () => { fast.dispose(); bias.dispose(); } };
  }
  const small = variant(WINOGRAD_4X4);
  const large = algorithm === 'winograd-4x4-when-small-else-2x2' ? variant(WINOGRAD_2X2) : null;
  if (large) freeKernels();
  const otherwise = large ?? direct;
  const fits = (t: tf.Tensor4D) => t.size <= WINOGRAD_SMALL_ELEMENTS;
  return {
    algorithm,
    forward: (x) => (fits(x) ? small.forward(x) : otherwise.forward(x)),
    inputGradient: (dy) => (fits(dy) ? small.inputGradient(dy) : otherwise.inputGradient(dy)),
    dispose: () => {
      small.dispose();
      if (large) large.dispose();
      else freeKernels();
      bias.dispose();
    },
  };
}

function directConvolutions(kernel: tf.Tensor4D, rotated: tf.Tensor4D, bias: tf.Tensor1D): Omit<Convolutions, 'dispose'> {
  return {
    forward: (x) => tf.fused.conv2d({ x, filter: kernel, bias, strides: 1, pad: 'same', activation: 'relu' }),
    inputGradient: (dy) => tf.conv2d(dy, rotated, 1, 'same'),
  };
}

/** Forward and input-gradient convolutions by one Winograd variant; dispose() frees the transforms, not the bias. */
function winogradConvolutions<F>(variant: WinogradVariant<F>, kernel: tf.Tensor4D, rotated: tf.Tensor4D,
  bias: tf.Tensor1D): Convolutions {
  const forward = variant.filter(kernel);
  const backward = variant.filter(rotated);
  return {
    forward: (x) => tf.tidy(() => tf.relu(variant.conv(x, forward, bias))),
    inputGradient: (dy) => variant.conv(dy, backward),
    dispose: () => { variant.dispose(forward); variant.dispose(backward); },
  };
}

/**
 * The kernel rotated 180° with its in/out channels swapped, [3, 3, out, in],
 * rearranged in JS: tfjs's wasm transpose of the channel axes is a scalar
 * loop, and this runs once per layer.
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
