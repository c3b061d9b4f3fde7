import * as tf from '@tensorflow/tfjs';
import { CHANNELS } from './geometry';
import { channelsFirst } from './ops/gram';
import { HostImage } from './image/host-image';
import { resizeHost } from './image/resize';
import { VGG_LAYERS, VggLayer } from './options';
import { Plan, ScalePlan, styleSize } from './plan';
import { toTensor } from './pixels';
import { blendTables, meanSquare, quantileTable, residualsInPlace, sliceDirections } from './sliced-wasserstein';
import { FeatureExtractor } from './vgg19';

/*
 * The sliced-Wasserstein style term of one scale on the backend
 * (sliced-wasserstein.ts has the loss): the style's quantiles along each
 * layer's directions, computed once, and per evaluation the image's
 * residuals, read back and ranked in ordinary memory and taken back to the
 * features (R Wᵀ), then a term whose gradient is the loss's.
 */

interface LayerSlices { directions: tf.Tensor2D; transposed: tf.Tensor2D; quantiles: Float32Array; kappa: number }

/**
 * The style term's value at an image, and its gradient with respect to each style layer's features (N × C on the
 * backend): 2κ_l/(NK) · R Wᵀ, the residuals taken back through the projection.
 */
export interface SlicedResiduals { gradients: Map<VggLayer, tf.Tensor2D>; value: number }

/**
 * The features' projections on a layer's directions, K × N (Wᵀ Fᵀ): a direction's values in a row, which the ranking
 * reads in order.
 */
function project(features: tf.Tensor4D, transposed: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(transposed, channelsFirst(features));
}

export class SlicedStyle {
  private constructor(private readonly layers: Map<VggLayer, LayerSlices>, private readonly weights: readonly number[],
    private readonly styleLayers: readonly VggLayer[]) {}

  /**
   * The targets of `scale`: each style image at its size for the scale, its projections' quantiles blended by
   * plan.styleBlend; the directions drawn from the seed, the scale and the layer.
   */
  static async create(vgg: FeatureExtractor, styles: readonly HostImage[], plan: Plan,
    scale: ScalePlan): Promise<SlicedStyle> {
    const o = plan.options;
    const layers = drawDirections(plan, scale);
    try {
      const tables = await styleTables(vgg, styles, plan, scale, layers);
      for (const layer of o.styleLayers) {
        const quantiles = blendTables(tables.get(layer)!, plan.styleBlend);
        // In the Gram loss's units: squared feature values times feature values squared (sliced-wasserstein.ts).
        layers.set(layer, { ...layers.get(layer)!, quantiles, kappa: meanSquare(quantiles) });
      }
      return new SlicedStyle(layers, plan.styleLayerWeights, o.styleLayers);
    } catch (error) {
      disposeSlices(layers);
      throw error;
    }
  }

  /** The term's value Σ_l w_l E_l at `image` (whole, on the backend) and its feature gradients, the caller's. */
  async residualsOf(net: FeatureExtractor, image: tf.Tensor4D,
    pooling: Plan['options']['pooling']): Promise<SlicedResiduals> {
    const projected = tf.tidy(() => {
      const features = net.extract(image, this.styleLayers, pooling);
      return this.styleLayers.map((layer) => project(features.get(layer)!, this.layers.get(layer)!.transposed));
    });
    const gradients = new Map<VggLayer, tf.Tensor2D>();
    let value = 0;
    try {
      for (const [i, layer] of this.styleLayers.entries()) {
        const [k, n] = projected[i].shape;
        const values = await projected[i].data() as Float32Array;
        const slices = this.layers.get(layer)!;
        const sum = residualsInPlace(values, n, k, slices.quantiles);
        const factor = this.weights[i] * slices.kappa / (n * k);
        value += factor * sum;
        // (R Wᵀ) as N × C from R as K × N: (W R)ᵀ, the product untransposed.
        gradients.set(layer, tf.tidy(() =>
          tf.transpose(tf.mul(tf.matMul(slices.directions, tf.tensor2d(values, [k, n])), 2 * factor)) as tf.Tensor2D));
      }
      return { gradients, value };
    } catch (error) {
      tf.dispose([...gradients.values()]);
      throw error;
    } finally {
      tf.dispose(projected);
    }
  }

  /**
   * A term whose gradient is the style term's, given the same image's feature gradients G: Σ_l Σ F ⊙ G_l, G held
   * constant (its value is not the loss's: residualsOf gives that).
   */
  gradientTerm(features: Map<VggLayer, tf.Tensor4D>, gradients: Map<VggLayer, tf.Tensor2D>): tf.Scalar {
    return tf.addN(this.styleLayers.map((layer) => {
      const [, h, w, c] = features.get(layer)!.shape;
      return tf.sum(tf.mul(tf.reshape(features.get(layer)!, [h * w, c]), gradients.get(layer)!));
    })) as tf.Scalar;
  }

  dispose(): void {
    disposeSlices(this.layers);
  }
}

/** Each style layer's directions for `scale`, from the seed (its quantiles come later). */
function drawDirections(plan: Plan, scale: ScalePlan): Map<VggLayer, LayerSlices> {
  const layers = new Map<VggLayer, LayerSlices>();
  for (const layer of plan.options.styleLayers) {
    const c = CHANNELS[layer];
    const seed = plan.options.seed * 7919 + scale.index * 101 + VGG_LAYERS.indexOf(layer);
    // Wᵀ made once: a matMul with a transposed operand is ~6x slower on wasm (ops/gram.ts).
    const w = tf.tensor2d(sliceDirections(c, seed), [c, c]);
    layers.set(layer, { directions: w, transposed: tf.transpose(w), quantiles: new Float32Array(), kappa: 0 });
  }
  return layers;
}

/** Each style's quantile table along each layer's directions, the style at its size for the scale. */
async function styleTables(vgg: FeatureExtractor, styles: readonly HostImage[], plan: Plan, scale: ScalePlan,
  layers: Map<VggLayer, LayerSlices>): Promise<Map<VggLayer, Float32Array[]>> {
  const o = plan.options;
  const tables = new Map<VggLayer, Float32Array[]>(o.styleLayers.map((layer) => [layer, []]));
  for (const style of styles) {
    const dims = styleSize(o, style, scale);
    const resized = resizeHost(style, dims.height, dims.width);
    const projected = tf.tidy(() => {
      const features = vgg.extract(toTensor(resized), o.styleLayers, o.pooling);
      return o.styleLayers.map((layer) => project(features.get(layer)!, layers.get(layer)!.transposed));
    });
    try {
      for (const [i, layer] of o.styleLayers.entries()) {
        const [k, n] = projected[i].shape;
        tables.get(layer)!.push(quantileTable(await projected[i].data() as Float32Array, n, k));
      }
    } finally {
      tf.dispose(projected);
    }
  }
  return tables;
}

function disposeSlices(layers: Map<VggLayer, LayerSlices>): void {
  tf.dispose([...layers.values()].flatMap((l) => [l.directions, l.transposed]));
}
