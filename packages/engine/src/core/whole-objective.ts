import * as tf from '@tensorflow/tfjs';
import { HostImage } from './image/host-image';
import { contentLoss, normalizedGram, styleLayerLoss, totalVariationLoss } from './losses';
import {
  disposePulls, Evaluation, GramsOf, Objective, ObjectiveInputs, REFERENCE_SIDE, StylePull, stylePulls, TermWeights,
  termWeights,
} from './objective';
import { temporalLoss, temporalTermWeight } from './temporal';
import { GradientArena, withArena } from './ops/gradient-arena';
import { readValues } from './optim/tensor-space';
import { StylizeOptions, VggLayer } from './options';
import { Plan, ScalePlan } from './plan';
import { toTensor } from './pixels';
import { circularTotalVariation } from './seamless';
import { LossTerms } from './progress';
import { SlicedResiduals, SlicedStyle } from './sliced-style';
import { maskedFeatures } from './region-features';
import { StyleRegion } from './regions';
import { FeatureExtractor } from './vgg19';

type TermName = Exclude<keyof LossTerms, 'total'> | 'temporal';

/** One weighted term of the loss, reading the features of the layers it needs (or the image itself). */
interface Term {
  readonly name: TermName;
  readonly weight: number;
  value(features: Map<VggLayer, tf.Tensor4D>, image: tf.Tensor4D, arena: GradientArena): tf.Scalar;
}

/** A clip frame's temporal target on the backend (temporal.ts): the warped previous result, c, the term's weight. */
interface TemporalTensors { target: tf.Tensor4D; weights: tf.Tensor4D; weight: number }

/**
 * The loss as a weighted sum of terms, in the paper's order (content, style), TV's and a clip frame's temporal term;
 * a term of weight 0 is left out.
 */
function terms(o: StylizeOptions, weights: TermWeights, style: StyleTerm, content: tf.Tensor4D | null,
  temporal: TemporalTensors | null): Term[] {
  const list: Term[] = [];
  if (content) list.push({ name: 'content', weight: weights.content, value: (features) => contentLoss(features.get(o.contentLayer)!, content) });
  list.push({ name: 'style', weight: weights.style, value: style });
  if (weights.tv > 0) list.push({ name: 'tv', weight: weights.tv, value: (_features, image) => (o.seamless ? circularTotalVariation(image) : totalVariationLoss(image)) });
  if (temporal) {
    list.push({ name: 'temporal', weight: temporal.weight,
      value: (_features, image) => temporalLoss(image, temporal.target, temporal.weights) });
  }
  return list;
}

type StyleTerm = Term['value'];

/** The Gram style term (losses.ts) of each style pull, in its region where it has one. */
function gramTerm(o: StylizeOptions, weights: TermWeights, pulls: readonly StylePull[]): StyleTerm {
  return (features, _image, arena) => tf.addN(pulls.flatMap((pull) => o.styleLayers.map((layer, i) => {
      // A region's loss counts by its share of the positions (regions.ts); the whole image's share is 1.
      const region = pull.region?.get(layer);
      const pulled = region ? maskedFeatures(features.get(layer)!, region) : features.get(layer)!;
      if (!pulled) return tf.scalar(0);
      const distance = styleLayerLoss(pulled, pull.targets.get(layer)!, arena);
      return tf.mul(distance, weights.styleLayers[i] * (region?.share ?? 1));
    }))) as tf.Scalar;
}

/** The Grams G/M of a whole image's features, on the backend. */
export function wholeImageGrams(vgg: FeatureExtractor, layers: readonly VggLayer[], pooling: StylizeOptions['pooling']): GramsOf {
  return async (image: HostImage, region?: StyleRegion) => {
    // One tidy per image: a forward pass holds every activation until its tidy ends.
    const grams = tf.tidy(() => {
      const features = vgg.extract(toTensor(image), layers, pooling);
      // Features masked and scaled by √(M/a) (region-features.ts): their G/M is the part's Σ m² F Fᵀ / a.
      const counted = (layer: VggLayer) => region ? maskedFeatures(features.get(layer)!, region.get(layer)!)!
        : features.get(layer)!;
      return layers.map((layer) => normalizedGram(counted(layer)));
    });
    return new Map(layers.map((layer, i) => [layer, grams[i]] as const));
  };
}

/** The objective of one scale on the whole image at once (it fits the backend's memory). */
class WholeImageObjective implements Objective<tf.Tensor4D> {
  private readonly terms: Term[];
  private readonly layers: VggLayer[];
  private readonly weights: TermWeights;
  /** The sliced-Wasserstein term's residuals of the image being evaluated. */
  private residuals: SlicedResiduals | null = null;

  constructor(private readonly vgg: FeatureExtractor, private readonly style: StylePull[] | SlicedStyle,
    private readonly content: tf.Tensor4D | null, private readonly temporal: TemporalTensors | null,
    private readonly plan: Plan, scale: ScalePlan) {
    const o = plan.options;
    this.weights = termWeights(plan, scale);
    const styleTerm = style instanceof SlicedStyle
      ? (features: Map<VggLayer, tf.Tensor4D>) => style.gradientTerm(features, this.residuals!.gradients)
      : gramTerm(o, this.weights, style);
    this.terms = terms(o, this.weights, styleTerm, content, temporal);
    this.layers = content ? plan.layers : o.styleLayers;
  }

  async evaluate(image: tf.Tensor4D): Promise<Evaluation<tf.Tensor4D>> {
    if (this.style instanceof SlicedStyle) {
      this.residuals = await this.style.residualsOf(this.vgg, image, this.plan.options.pooling);
    }
    try {
      return await this.evaluateTerms(image);
    } finally {
      if (this.residuals) tf.dispose([...this.residuals.gradients.values()]);
      this.residuals = null;
    }
  }

  private async evaluateTerms(image: tf.Tensor4D): Promise<Evaluation<tf.Tensor4D>> {
    const values: Partial<Record<TermName, tf.Scalar>> = {};
    const { value, grad } = withArena((arena) => tf.valueAndGrad((x: tf.Tensor4D) => {
      const features = this.vgg.extract(x, this.layers, this.plan.options.pooling, arena);
      const weighted = this.terms.map((term) => {
        const v = term.value(features, x, arena);
        values[term.name] = tf.keep(v);
        return tf.mul(v, term.weight);
      });
      return tf.addN(weighted) as tf.Scalar;
    })(image));
    try {
      // One read back for the four: on a GPU each is a round trip.
      const all = tf.tidy(() => tf.stack([value, values.content ?? tf.scalar(0), values.style ?? tf.scalar(0),
        values.tv ?? tf.scalar(0), values.temporal ?? tf.scalar(0)]));
      const [total, content, style, tv, temporal] = await readValues(all).finally(() => all.dispose());
      if (!this.residuals) return { terms: { content, style, tv, total }, gradient: grad as tf.Tensor4D };
      // The sliced term's value was the ranking's (its gradient term's value is not the loss's).
      const sliced = this.residuals.value;
      const w = this.weights;
      const rest = w.content * content + w.tv * tv + (this.temporal?.weight ?? 0) * temporal;
      return { terms: { content, style: sliced, tv, total: rest + w.style * sliced }, gradient: grad as tf.Tensor4D };
    } catch (error) {
      grad.dispose();
      throw error;
    } finally {
      tf.dispose([value, ...Object.values(values)]);
    }
  }

  dispose(): void {
    if (this.style instanceof SlicedStyle) this.style.dispose();
    else disposePulls(this.style);
    this.content?.dispose();
    if (this.temporal) tf.dispose([this.temporal.target, this.temporal.weights]);
  }
}

/** The objective of `scale` on the whole image: its targets computed from `inputs` (which it does not take over). */
export async function createWholeImageObjective(vgg: FeatureExtractor, inputs: ObjectiveInputs, plan: Plan,
  scale: ScalePlan): Promise<Objective<tf.Tensor4D>> {
  const o = plan.options;
  const style = o.styleLoss === 'sliced-wasserstein' ? await SlicedStyle.create(vgg, inputs, plan, scale)
    : await stylePulls(inputs, plan, scale, wholeImageGrams(vgg, o.styleLayers, o.pooling));
  // Seamless: the image (and so the photo it is compared with) on the torus; the paintings keep zero padding.
  const net = o.seamless ? vgg.circular() : vgg;
  const content = o.contentWeight > 0
    ? tf.tidy(() => net.extract(toTensor(inputs.content), [o.contentLayer], o.pooling).get(o.contentLayer)!) : null;
  const { temporal } = inputs;
  const temporalTensors = temporal ? { target: toTensor(temporal.image), weights: toTensor(temporal.weights),
    weight: temporalTermWeight(temporal.weight, scale.height, scale.width, REFERENCE_SIDE) } : null;
  return new WholeImageObjective(net, style, content, temporalTensors, plan, scale);
}
