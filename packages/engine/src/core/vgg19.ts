import * as tf from '@tensorflow/tfjs';
import { activationValues, deepestLayer, minimumSide, POOL_AFTER } from './geometry';
import { ConvAlgorithm, convAlgorithmFor, ConvLayer, ConvolutionChoice, prepareConv } from './ops/conv';
import { conv3x3Relu, ReluMask } from './ops/conv-relu';
import { GradientArena, withArena } from './ops/gradient-arena';
import { avgPool2x2 } from './ops/pool';
import { Pooling, VGG_LAYERS, VggLayer } from './options';
import { FLOAT_MASK_ELEMENTS } from './tuning';
import { Vgg19Weights } from './weights';

export { MEAN_BGR } from './image/convert';

export interface FeatureExtractor {
  /**
   * Features (after ReLU) of an NHWC BGR-minus-mean image, only at `layers`;
   * stops at the deepest one. Inside a tf.grad, pass an arena (and dispose it
   * after) to hold half the memory: see GradientArena.
   */
  extract(image: tf.Tensor4D, layers: readonly VggLayer[], pooling?: Pooling, arena?: GradientArena): Map<VggLayer, tf.Tensor4D>;
  /**
   * Prepares `layers` (and those before them) on the smallest image they take:
   * a forward pass and a gradient. Do it before anything large exists (see Vgg19.conv).
   */
  prepare(layers: readonly VggLayer[], pooling?: Pooling): void;
  /** Which algorithm each layer convolves (or will convolve) with. */
  algorithms(): Map<VggLayer, ConvAlgorithm>;
  dispose(): void;
}

class Vgg19 implements FeatureExtractor {
  private readonly convs = new Map<VggLayer, ConvLayer>();

  constructor(private readonly weights: Vgg19Weights, private readonly convolution: ConvolutionChoice) {}

  /**
   * A layer is prepared (its Winograd transforms built, its raw kernel freed)
   * the first time it is used, so layers no run reaches cost only their raw
   * weights. Preparing inside a gradient is correct but costly: tfjs's tape
   * keeps a copy of every input of the transforms' ops until the gradient
   * ends (GBs for conv4/conv5), so use a layer in a forward pass first
   * (prepare() does).
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
    const deepest = deepestLayer(layers);
    const out = new Map<VggLayer, tf.Tensor4D>();
    // Inside a gradient (an arena) an activation that is not returned is read
    // only by the next layer's forward pass (the convolution keeps a ReLU
    // mask; neither its gradient nor the average pool's reads its input), so
    // it is freed as soon as the next layer ran. tfjs's max pool gradient
    // reads its input and output: not then.
    const freeEarly = arena !== undefined && pooling === 'avg';
    const mask: ReluMask = activationValues(image.shape[1], image.shape[2], deepest) <= FLOAT_MASK_ELEMENTS ? 'float32' : 'bool';
    let consumed: tf.Tensor4D[] = [];
    let x = image;
    for (const layer of VGG_LAYERS.slice(0, VGG_LAYERS.indexOf(deepest) + 1)) {
      const y = conv3x3Relu(x, this.conv(layer), arena, mask);
      tf.dispose(consumed);
      consumed = [];
      if (wanted.has(layer)) out.set(layer, y);
      else if (freeEarly) consumed.push(y);
      x = y;
      if (POOL_AFTER.has(layer) && layer !== deepest) {
        x = pooling === 'avg' ? avgPool2x2(y) : tf.maxPool(y, 2, 2, 'valid');
        if (freeEarly) consumed.push(x);
      }
    }
    return out;
  }

  /**
   * Also places the layers' long-lived buffers (Winograd transforms, the
   * backend's packed kernels) together at the bottom of the wasm heap,
   * before the first large activations: the heap never shrinks, and its
   * fragmentation sets the peak.
   */
  prepare(layers: readonly VggLayer[], pooling: Pooling = 'avg'): void {
    const side = minimumSide(layers);
    const image = tf.zeros([1, side, side, 3]) as tf.Tensor4D;
    try {
      tf.tidy(() => { this.extract(image, layers, pooling); });
      withArena((arena) => tf.tidy(() => {
        tf.grad((x: tf.Tensor) => tf.addN([...this.extract(x as tf.Tensor4D, layers, pooling, arena).values()].map((f) => tf.sum(f))))(image);
      }));
    } finally {
      image.dispose();
    }
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

/**
 * Builds the feature extractor on the active backend; it owns (and disposes)
 * the weight tensors. `convolution` forces one algorithm on every layer
 * (benchmarks and tests); the default is the per-layer rule.
 */
export function createVgg19(weights: Vgg19Weights, convolution: ConvolutionChoice = 'auto'): FeatureExtractor {
  return new Vgg19(weights, convolution);
}
