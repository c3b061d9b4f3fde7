import * as tf from '@tensorflow/tfjs';
import { avgPool2x2, ConvAlgorithm, ConvLayer, conv3x3Relu, FLOAT_MASK_ELEMENTS, GradientArena, prepareConv, ReluMask } from './fast-ops';
import { Pooling, VGG_LAYERS, VggLayer } from './options';
import { Vgg19Weights } from './weights';

/** Caffe/Keras VGG convention: BGR order, 0..255, this mean subtracted, no std. */
export const MEAN_BGR = [103.939, 116.779, 123.68] as const;

/** Layers after which VGG19 pools (2x2, stride 2). conv5_4's pool is never needed here. */
const POOL_AFTER: ReadonlySet<VggLayer> = new Set<VggLayer>(['conv1_2', 'conv2_2', 'conv3_4', 'conv4_4']);

/** How many 2x2 poolings come before `layer`'s convolution. */
export function poolsBefore(layer: VggLayer): number {
  return VGG_LAYERS.slice(0, VGG_LAYERS.indexOf(layer)).filter((l) => POOL_AFTER.has(l)).length;
}

/** The smallest side an input may have so that every pooling before `layers` leaves at least 1 px. */
export function minimumSide(layers: readonly VggLayer[]): number {
  return 2 ** Math.max(...layers.map(poolsBefore));
}

export interface FeatureExtractor {
  /**
   * Features (after ReLU) of an NHWC BGR-minus-mean image, only at `layers`;
   * stops at the deepest one. Inside a tf.grad, pass an arena (and dispose it
   * after) to hold half the memory: see GradientArena.
   */
  extract(image: tf.Tensor4D, layers: readonly VggLayer[], pooling?: Pooling, arena?: GradientArena): Map<VggLayer, tf.Tensor4D>;
  /** Which algorithm each layer convolves (or will convolve) with. */
  algorithms(): Map<VggLayer, ConvAlgorithm>;
  dispose(): void;
}

/**
 * 'auto', on the wasm backend, by the layer's channel counts:
 * - 3 in (conv1_1): direct (the transforms cost more than they save);
 * - 512 on either side (conv4_1 onwards): Winograd F(2x2, 3x3);
 * - otherwise F(4x4, 3x3) while the activations are small
 *   (WINOGRAD_SMALL_ELEMENTS), and above that direct for 64 channels
 *   (conv1_2, conv2_1), F(2x2) for 128 (conv2_2, conv3_1) and still F(4x4)
 *   for 256 (conv3_2 .. conv3_4, small up to 512 px).
 * Every other backend: direct (native and GPU backends have their own fast
 * convolutions).
 *
 * F(4x4) is the fastest wherever it runs (conv1_2 .. conv4_4 at 256x170 px:
 * 1.07-1.28x F(2x2)'s speed; `node packages/engine/bench/conv-layers.mjs 256 170`);
 * what limits it is memory, the 512 px peak (target ≤ 1.5x PyTorch's
 * 975-1110 MB). Its transformed kernels take 36/9 of a kernel per direction
 * (F(2x2) 16/9), and the layers with 512 channels hold 82% of VGG's weights
 * up to conv5_1; its transients on large activations grow the wasm heap
 * more than F(2x2)'s (`bench/conv-heap.mjs`). docs/PERFORMANCE.md has the
 * peak RSS of each rule tried.
 */
export const CONVOLUTION_CHOICES = ['auto', 'direct', 'winograd', 'winograd-4x4', 'winograd-4x4-when-small', 'winograd-4x4-when-small-else-2x2'] as const;
export type ConvolutionChoice = (typeof CONVOLUTION_CHOICES)[number];

export function convAlgorithmFor(choice: ConvolutionChoice, backend: string, inChannels: number, outChannels: number): ConvAlgorithm {
  if (choice !== 'auto') return choice;
  const narrowest = Math.min(inChannels, outChannels);
  if (backend !== 'wasm' || narrowest < 64) return 'direct';
  if (Math.max(inChannels, outChannels) >= 512) return 'winograd';
  if (narrowest < 128) return 'winograd-4x4-when-small';
  return narrowest < 256 ? 'winograd-4x4-when-small-else-2x2' : 'winograd-4x4';
}

class Vgg19 implements FeatureExtractor {
  private readonly convs = new Map<VggLayer, ConvLayer>();

  constructor(private readonly weights: Vgg19Weights, private readonly convolution: ConvolutionChoice) {}

  /**
   * A layer is prepared (its Winograd transforms built, its raw kernel freed)
   * the first time it is used: layers no run reaches (conv5_2..) cost only
   * their raw weights. prepareConv keeps what it builds, so preparing inside
   * a tidy is safe; inside a gradient it is correct but costly: tfjs's tape
   * keeps a copy of every input of the transforms' ops until the gradient
   * ends (GBs for conv4/conv5 with F(4x4)), so use a layer in a forward pass
   * first. stylize does (its warmUp, then its targets, both before any gradient).
   */
  private conv(layer: VggLayer): ConvLayer {
    let conv = this.convs.get(layer);
    if (!conv) {
      const { kernel, bias } = this.weights[layer];
      conv = prepareConv(kernel, bias, this.algorithmFor(layer));
      this.convs.set(layer, conv);
    }
    return conv;
  }

  private algorithmFor(layer: VggLayer): ConvAlgorithm {
    const [, , inChannels, outChannels] = this.weights[layer].kernel.shape;
    return convAlgorithmFor(this.convolution, tf.getBackend(), inChannels, outChannels);
  }

  algorithms(): Map<VggLayer, ConvAlgorithm> {
    return new Map(VGG_LAYERS.map((l) => [l, this.convs.get(l)?.algorithm ?? this.algorithmFor(l)]));
  }

  extract(image: tf.Tensor4D, layers: readonly VggLayer[], pooling: Pooling = 'avg', arena?: GradientArena): Map<VggLayer, tf.Tensor4D> {
    const wanted = new Set(layers);
    const deepest = Math.max(...layers.map((l) => VGG_LAYERS.indexOf(l)));
    const out = new Map<VggLayer, tf.Tensor4D>();
    // Inside a gradient (an arena), an activation that is not returned is
    // read only by the next layer's forward pass: the convolution keeps just
    // a ReLU mask, and neither the next convolution's gradient nor the average
    // pool's reads its input. So it is freed as soon as the next layer has
    // run, instead of at the end of the backward pass: 126 MB less at 512 px.
    // tfjs's max pool gradient does read its input and output: not then.
    const freeEarly = arena !== undefined && pooling === 'avg';
    const mask: ReluMask = this.activationElements(image.shape[1], image.shape[2], deepest) <= FLOAT_MASK_ELEMENTS ? 'float32' : 'bool';
    let consumed: tf.Tensor4D[] = [];
    let x = image;
    for (const layer of VGG_LAYERS.slice(0, deepest + 1)) {
      const y = conv3x3Relu(x, this.conv(layer), arena, mask);
      tf.dispose(consumed);
      consumed = [];
      if (wanted.has(layer)) out.set(layer, y);
      else if (freeEarly) consumed.push(y);
      x = y;
      if (POOL_AFTER.has(layer) && layer !== VGG_LAYERS[deepest]) {
        x = pooling === 'avg' ? avgPool2x2(y) : tf.maxPool(y, 2, 2, 'valid');
        if (freeEarly) consumed.push(x);
      }
    }
    return out;
  }

  /** How many values the activations of layers 0..deepest take for an image of height × width. */
  private activationElements(height: number, width: number, deepest: number): number {
    let total = 0;
    let [h, w] = [height, width];
    for (const layer of VGG_LAYERS.slice(0, deepest + 1)) {
      total += h * w * this.weights[layer].kernel.shape[3];
      if (POOL_AFTER.has(layer)) [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
    }
    return total;
  }

  dispose(): void {
    for (const layer of VGG_LAYERS) {
      const conv = this.convs.get(layer);
      if (conv) conv.dispose();
      else tf.dispose([this.weights[layer].kernel, this.weights[layer].bias]);
    }
    this.convs.clear();
  }
}

/** Builds the feature extractor on the active backend; it owns (and disposes) the weight tensors. */
export function createVgg19(weights: Vgg19Weights, convolution: ConvolutionChoice = 'auto'): FeatureExtractor {
  return new Vgg19(weights, convolution);
}
