import * as tf from '@tensorflow/tfjs';
import { avgPool2x2, ConvLayer, conv3x3Relu, GradientArena, prepareConv } from './fast-ops';
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
  dispose(): void;
}

class Vgg19 implements FeatureExtractor {
  private readonly convs: Map<VggLayer, ConvLayer>;

  constructor(weights: Vgg19Weights) {
    this.convs = new Map(VGG_LAYERS.map((l) => [l, prepareConv(weights[l].kernel, weights[l].bias)]));
  }

  extract(image: tf.Tensor4D, layers: readonly VggLayer[], pooling: Pooling = 'avg', arena?: GradientArena): Map<VggLayer, tf.Tensor4D> {
    const wanted = new Set(layers);
    const deepest = Math.max(...layers.map((l) => VGG_LAYERS.indexOf(l)));
    const out = new Map<VggLayer, tf.Tensor4D>();
    let x = image;
    for (const layer of VGG_LAYERS.slice(0, deepest + 1)) {
      x = conv3x3Relu(x, this.convs.get(layer)!, arena);
      if (wanted.has(layer)) out.set(layer, x);
      if (POOL_AFTER.has(layer) && layer !== VGG_LAYERS[deepest]) {
        x = pooling === 'avg' ? avgPool2x2(x) : tf.maxPool(x, 2, 2, 'valid');
      }
    }
    return out;
  }

  dispose(): void {
    for (const conv of this.convs.values()) {
      conv.kernel.dispose();
      conv.bias.dispose();
      conv.kernelForInputGrad.dispose();
    }
  }
}

/** Builds the feature extractor; it owns (and disposes) the weight tensors. */
export function createVgg19(weights: Vgg19Weights): FeatureExtractor {
  return new Vgg19(weights);
}
