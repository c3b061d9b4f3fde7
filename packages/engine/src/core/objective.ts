import * as tf from '@tensorflow/tfjs';
import { positions } from './geometry';
import { contentLoss, normalizedGram, styleLayerLoss, totalVariationLoss } from './losses';
import { GradientArena, withArena } from './ops/gradient-arena';
import { StylizeOptions, VggLayer } from './options';
import { Plan, ScalePlan, styleSize } from './plan';
import { HostImage } from './image/host-image';
import { resizeHost } from './image/resize';
import { toTensor } from './pixels';
import { LossTerms } from './progress';
import { FeatureExtractor } from './vgg19';

/** The loss terms at an image, and the gradient of their weighted sum with respect to it (the caller owns it). */
export interface Evaluation<I> { terms: LossTerms; gradient: I }

/**
 * The function a scale minimises: loss and gradient of an image (the
 * network's convention) of the scale's size. It owns its targets and weights.
 * Computed on the whole image as a tensor here; tile by tile, on an image in
 * ordinary memory, for high resolution (tiled-objective.ts).
 */
export interface Objective<I> {
  evaluate(image: I): Promise<Evaluation<I>>;
  dispose(): void;
}

/** The images one scale compares with: the content at the scale's size, the styles at any size. */
export interface ObjectiveInputs { content: HostImage; styles: HostImage[] }

type TermName = Exclude<keyof LossTerms, 'total'>;

/** One weighted term of the loss, reading the features of the layers it needs (or the image itself). */
interface Term {
  readonly name: TermName;
  readonly weight: number;
  value(features: Map<VggLayer, tf.Tensor4D>, image: tf.Tensor4D, arena: GradientArena): tf.Scalar;
}

/**
 * The content loss is a sum over conv4_2's positions, the style loss is not
 * (E_l divides by M_l²): at a coarse scale with 1/4 of the pixels the same
 * contentWeight would paint 4x more style than the final scale wants.
 * Scaling contentWeight by the ratio of positions makes every scale aim at
 * the final scale's balance.
 */
function contentBalance(plan: Plan, scale: ScalePlan): number {
  const layer = plan.options.contentLayer;
  return positions(layer, plan.final.height, plan.final.width) / positions(layer, scale.height, scale.width);
}

/**
 * The blended style target A/M' of each style layer. With gramNormalization
 * 'paper' a target is scaled by M'/M (its positions over the output's): the
 * paper's E_l, which divides both Grams by the output's M (see losses.ts).
 * One tidy per image: a forward pass holds every activation until its tidy ends.
 */
function styleTargets(vgg: FeatureExtractor, styles: HostImage[], plan: Plan, scale: ScalePlan): Map<VggLayer, tf.Tensor2D> {
  const o = plan.options;
  const grams = new Map<VggLayer, tf.Tensor2D>();
  styles.forEach((style, i) => {
    const dims = styleSize(o, style, scale);
    const layerGrams = tf.tidy(() => {
      const feats = vgg.extract(toTensor(resizeHost(style, dims.height, dims.width)), o.styleLayers, o.pooling);
      return o.styleLayers.map((layer) => {
        const paper = o.gramNormalization === 'paper' ? positions(layer, dims.height, dims.width) / positions(layer, scale.height, scale.width) : 1;
        return tf.mul(normalizedGram(feats.get(layer)!), plan.styleBlend[i] * paper) as tf.Tensor2D;
      });
    });
    o.styleLayers.forEach((layer, j) => {
      const previous = grams.get(layer);
      grams.set(layer, previous ? tf.add(previous, layerGrams[j]) : layerGrams[j]);
      if (previous) tf.dispose([previous, layerGrams[j]]);
    });
  });
  return grams;
}

/** The loss as a weighted sum of terms, in the paper's order (content, style) and TV's; a term of weight 0 is left out. */
function terms(o: StylizeOptions, plan: Plan, scale: ScalePlan, grams: Map<VggLayer, tf.Tensor2D>, content: tf.Tensor4D | null): Term[] {
  const list: Term[] = [];
  if (content) {
    list.push({ name: 'content', weight: o.contentWeight * contentBalance(plan, scale), value: (features) => contentLoss(features.get(o.contentLayer)!, content) });
  }
  list.push({
    name: 'style', weight: o.styleWeight,
    value: (features, _image, arena) => tf.addN(o.styleLayers.map((layer, i) =>
      tf.mul(styleLayerLoss(features.get(layer)!, grams.get(layer)!, arena), plan.styleLayerWeights[i]))) as tf.Scalar,
  });
  if (o.tvWeight > 0) list.push({ name: 'tv', weight: o.tvWeight, value: (_features, image) => totalVariationLoss(image) });
  return list;
}

/** The objective of one scale on the whole image at once (it fits the backend's memory). */
class WholeImageObjective implements Objective<tf.Tensor4D> {
  private readonly grams: Map<VggLayer, tf.Tensor2D>;
  private readonly content: tf.Tensor4D | null;
  private readonly terms: Term[];
  private readonly layers: VggLayer[];
  private readonly pooling: StylizeOptions['pooling'];

  constructor(private readonly vgg: FeatureExtractor, inputs: ObjectiveInputs, plan: Plan, scale: ScalePlan) {
    const o = plan.options;
    this.grams = styleTargets(vgg, inputs.styles, plan, scale);
    this.content = o.contentWeight > 0 ? tf.tidy(() => vgg.extract(toTensor(inputs.content), [o.contentLayer], o.pooling).get(o.contentLayer)!) : null;
    this.terms = terms(o, plan, scale, this.grams, this.content);
    this.layers = this.content ? plan.layers : o.styleLayers;
    this.pooling = o.pooling;
  }

  async evaluate(image: tf.Tensor4D): Promise<Evaluation<tf.Tensor4D>> {
    const values: Partial<Record<TermName, tf.Scalar>> = {};
    const { value, grad } = withArena((arena) => tf.valueAndGrad((x: tf.Tensor4D) => {
      const features = this.vgg.extract(x, this.layers, this.pooling, arena);
      const weighted = this.terms.map((term) => {
        const v = term.value(features, x, arena);
        values[term.name] = tf.keep(v);
        return tf.mul(v, term.weight);
      });
      return tf.addN(weighted) as tf.Scalar;
    })(image));
    const read = (name: TermName) => values[name]?.dataSync()[0] ?? 0;
    const terms = { content: read('content'), style: read('style'), tv: read('tv'), total: value.dataSync()[0] };
    tf.dispose([value, ...Object.values(values)]);
    return { terms, gradient: grad as tf.Tensor4D };
  }

  dispose(): void {
    tf.dispose([...this.grams.values(), ...(this.content ? [this.content] : [])]);
  }
}

/** The objective of `scale`: its targets computed from `inputs` (which the objective does not take over). */
export function createObjective(vgg: FeatureExtractor, inputs: ObjectiveInputs, plan: Plan, scale: ScalePlan): Objective<tf.Tensor4D> {
  return new WholeImageObjective(vgg, inputs, plan, scale);
}
