import * as tf from '@tensorflow/tfjs';
import { activationValues, deepestLayer, layersUpTo, minimumSide, POOL_AFTER } from './geometry';
import { ConvAlgorithm, convAlgorithmFor, ConvLayer, ConvolutionChoice, prepareConv } from './ops/conv';
import { conv3x3Relu, ReluMask } from './ops/conv-relu';
import { GradientArena, withArena } from './ops/gradient-arena';
import { avgPool2x2 } from './ops/pool';
import { onTorus } from './ops/wrap';
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
  extract(image: tf.Tensor4D, layers: readonly VggLayer[], pooling?: Pooling,
    arena?: GradientArena): Map<VggLayer, tf.Tensor4D>;
  /**
   * Runs consecutive `layers` on `input` (the activation before the first),
   * pooling where VGG19 pools, also after the last when `poolAfterLast`.
   * Returns the features of the `wanted` layers and the segment's output.
   */
  runSegment(input: tf.Tensor4D, segment: Segment, wanted: ReadonlySet<VggLayer>, pooling?: Pooling,
    arena?: GradientArena): SegmentResult;
  /**
   * Prepares `layers` (and those before them) on the smallest image they take:
   * a forward pass and a gradient. Do it before anything large exists (see Vgg19.conv).
   */
  prepare(layers: readonly VggLayer[], pooling?: Pooling): void;
  /** Which algorithm each layer convolves (or will convolve) with. */
  algorithms(): Map<VggLayer, ConvAlgorithm>;
  /**
   * The same network on the torus (seamless textures): every convolution wraps around the edges instead of
   * reading zeros. It shares this one's layers; disposing it frees nothing. Pooling does not wrap: the caller
   * keeps every pooled size even (seamless.ts).
   */
  circular(): FeatureExtractor;
  dispose(): void;
}

/** Consecutive layers of the network, and whether VGG19's pool after the last one is applied. */
export interface Segment { readonly layers: readonly VggLayer[]; readonly poolAfterLast: boolean }
export interface SegmentResult { features: Map<VggLayer, tf.Tensor4D>; output: tf.Tensor4D }

class Vgg19 implements FeatureExtractor {
  constructor(private readonly weights: Vgg19Weights, private readonly convolution: ConvolutionChoice,
    private readonly convs = new Map<VggLayer, ConvLayer>(), private readonly wrap = false) {}

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
    const segment = { layers: layersUpTo(deepestLayer(layers)), poolAfterLast: false };
    return this.runSegment(image, segment, new Set(layers), pooling, arena).features;
  }

  runSegment(input: tf.Tensor4D, segment: Segment, wanted: ReadonlySet<VggLayer>, pooling: Pooling = 'avg', arena?: GradientArena): SegmentResult {
    const features = new Map<VggLayer, tf.Tensor4D>();
    const { layers } = segment;
    const last = layers[layers.length - 1];
    // Inside a gradient (an arena) an activation that is not returned is read
    // only by the next layer's forward pass (the convolution keeps a ReLU
    // mask; neither its gradient nor the average pool's reads its input), so
    // it is freed as soon as the next layer ran. tfjs's max pool gradient
    // reads its input and output: not then.
    const freeEarly = arena !== undefined && pooling === 'avg';
    const mask: ReluMask = activationValues(input.shape[1], input.shape[2], layers) <= FLOAT_MASK_ELEMENTS ? 'float32' : 'bool';
    let consumed: tf.Tensor4D[] = [];
    let x = input;
    for (const layer of layers) {
      const conv = (input: tf.Tensor4D) => conv3x3Relu(input, this.conv(layer), arena, mask);
      const y = this.wrap ? onTorus(x, conv) : conv(x);
      tf.dispose(consumed);
      consumed = [];
      if (wanted.has(layer)) features.set(layer, y);
      else if (freeEarly && (layer !== last || segment.poolAfterLast)) consumed.push(y);
      x = y;
      if (POOL_AFTER.has(layer) && (layer !== last || segment.poolAfterLast)) {
        x = pooling === 'avg' ? avgPool2x2(y) : tf.maxPool(y, 2, 2, 'valid');
        if (freeEarly && layer !== last) consumed.push(x);
      }
    }
    tf.dispose(consumed);
    return { features, output: x };
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
        const features = (x: tf.Tensor) => [...this.extract(x as tf.Tensor4D, layers, pooling, arena).values()];
        tf.grad((x: tf.Tensor) => tf.addN(features(x).map((f) => tf.sum(f))))(image);
      }));
    } finally {
      image.dispose();
    }
  }

  circular(): FeatureExtractor {
    const view = new Vgg19(this.weights, this.convolution, this.convs, true);
    view.dispose = () => {}; // the layers are this one's
    return view;
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
