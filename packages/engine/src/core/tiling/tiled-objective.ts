import * as tf from '@tensorflow/tfjs';
import { CHANNELS, deepestLayer, featureSize } from '../geometry';
import { HostImage } from '../image/host-image';
import { ImageStore, MEMORY_STORE, StoredImage, storedInMemory } from '../image/stored-image';
import { contentLoss } from '../losses';
import {
  EvaluationHooks, Evaluation, Objective, ObjectiveInputs, REFERENCE_SIDE, stylePulls, TermWeights, termWeights,
} from '../objective';
import { addTemporalLoss, TemporalTarget, temporalTermWeight } from '../temporal';
import { VggLayer } from '../options';
import { readScalar } from '../optim/tensor-space';
import { Plan, ScalePlan } from '../plan';
import { fromTensor, toTensor } from '../pixels';
import { SlicedStyle } from '../sliced-style';
import { FeatureExtractor } from '../vgg19';
import { Stage, vggStages } from './stages';
import { TiledGramTerm, tiledGrams } from './gram-term';
import { TiledSlicedTerm, tiledProjector } from './sliced-term';
import { TiledStyleTerm } from './style-term';
import { backwardSweep, disposeInputs, forwardSweep, LayerRect, Sweep, SweepHooks, tilesPerEvaluation } from './sweep';
import { addTotalVariation } from './total-variation';

/*
 * The objective of a scale too large for the backend to hold whole: the same
 * loss and gradient as whole-objective.ts, computed stage by stage and tile
 * by tile on an image in ordinary memory (sweep.ts).
 *
 * A forward sweep shows each tile's features to the style term (the Gram's,
 * gram-term.ts, or the sliced-Wasserstein loss's, sliced-term.ts) and sums
 * the content loss; a backward sweep then differentiates, per tile, the
 * style term's local term (its gradient at the tile's positions is the whole
 * image's) and the content term at the tile's positions; TV is local and
 * computed band by band. The image and its gradient are StoredImages, in
 * scratch files at a print's size.
 */

/** The largest interior of a stage's tiles, at the stage's output resolution. */
export type TileShape = (stage: Stage) => { rows: number; cols: number };

/** `circular`: the image's sweep on a torus (seamless); the paintings' sweeps keep zero padding. */
function sweepOf(vgg: FeatureExtractor, layers: readonly VggLayer[], plan: Plan, tileShape: TileShape,
  circular = false, store: ImageStore = MEMORY_STORE): Sweep {
  return { vgg, stages: vggStages(deepestLayer(layers)), pooling: plan.options.pooling, tileShape, circular, store };
}

/** The content layer's features of an image, assembled tile by tile where the sweep's store keeps images. */
async function tiledFeatures(sweep: Sweep, image: HostImage, layer: VggLayer): Promise<StoredImage> {
  const size = featureSize(layer, image.height, image.width);
  const out = (sweep.store ?? MEMORY_STORE)(size.height, size.width, CHANNELS[layer]);
  try {
    disposeInputs(await forwardSweep(sweep, storedInMemory(image), new Set([layer]),
      async (_layer, features, at) => out.write(await fromTensor(features), at.top, at.left)));
    return out;
  } catch (error) {
    out.dispose();
    throw error;
  }
}

class TiledObjective implements Objective<StoredImage> {
  private readonly weights: TermWeights;
  private readonly wanted: Set<VggLayer>;
  private readonly styleLayers: Set<VggLayer>;

  /** A clip frame's temporal target (temporal.ts) and its term's weight at this scale. */
  private readonly temporal: { target: TemporalTarget; weight: number } | null;

  constructor(private readonly sweep: Sweep, private readonly style: TiledStyleTerm,
    private readonly content: StoredImage | null, temporal: TemporalTarget | undefined,
    private readonly plan: Plan, scale: ScalePlan) {
    this.weights = termWeights(plan, scale);
    this.temporal = temporal
      ? { target: temporal, weight: temporalTermWeight(temporal.weight, scale.height, scale.width, REFERENCE_SIDE) }
      : null;
    this.wanted = new Set(content ? plan.layers : plan.options.styleLayers);
    this.styleLayers = new Set(plan.options.styleLayers);
  }

  /** Tiles visited by one evaluation of an image of height × width. */
  tiles(height: number, width: number): number {
    return tilesPerEvaluation(this.sweep, height, width);
  }

  async evaluate(image: StoredImage, hooks: EvaluationHooks = {}): Promise<Evaluation<StoredImage>> {
    const o = this.plan.options;
    const total = this.tiles(image.height, image.width);
    let done = 0;
    const sweepHooks: SweepHooks = { signal: hooks.signal, onTile: () => hooks.onTile?.(++done, total) };
    let content = 0;
    this.style.begin(image.height, image.width);
    try {
      const inputs = await forwardSweep(this.sweep, image, this.wanted, async (layer, features, at) => {
        if (this.styleLayers.has(layer)) await this.style.visit(layer, features, at);
        if (this.content && layer === o.contentLayer) {
          content += await readScalar(() => contentLoss(features, this.contentAt(at)));
        }
      }, sweepHooks);
      let style: number;
      let gradient: StoredImage;
      try {
        style = await this.style.settle();
        gradient = await backwardSweep(this.sweep, inputs, this.wanted,
          (layer, features, at) => this.localLoss(layer, features, at), sweepHooks);
      } finally {
        disposeInputs(inputs); // the backward sweep frees them as it goes; a second dispose does nothing
      }
      try {
        const tv = this.weights.tv > 0 ? addTotalVariation(image, gradient, this.weights.tv, o.seamless) : 0;
        const temporal = this.temporal
          ? this.temporal.weight * addTemporalLoss(image, gradient, this.temporal.target, this.temporal.weight) : 0;
        const totalLoss = this.weights.content * content + this.weights.style * style + this.weights.tv * tv
          + temporal;
        return { terms: { content, style, tv, total: totalLoss }, gradient };
      } catch (error) {
        gradient.dispose();
        throw error;
      }
    } finally {
      this.style.end();
    }
  }

  /** A tile's terms at `layer` whose gradient is the whole loss's there: the style term's and α' · ½ Σ (F − P)². */
  private localLoss(layer: VggLayer, features: tf.Tensor4D, at: LayerRect): tf.Scalar | null {
    const o = this.plan.options;
    const terms: tf.Scalar[] = [];
    const style = this.style.localTerm(layer, features, at);
    if (style) terms.push(style);
    if (this.content && layer === o.contentLayer) terms.push(tf.mul(contentLoss(features, this.contentAt(at)),
      this.weights.content) as tf.Scalar);
    return terms.length === 0 ? null : tf.addN(terms) as tf.Scalar;
  }

  private contentAt(at: LayerRect): tf.Tensor4D {
    return toTensor(this.content!.crop(at));
  }

  dispose(): void {
    this.style.dispose();
    this.content?.dispose();
  }
}

/** The style term of `scale`, its targets computed tile by tile from `inputs` (the Gram's or the sliced loss's). */
async function tiledStyleTerm(vgg: FeatureExtractor, inputs: ObjectiveInputs, plan: Plan, scale: ScalePlan,
  tileShape: TileShape, store: ImageStore): Promise<TiledStyleTerm> {
  const o = plan.options;
  const weights = termWeights(plan, scale);
  const paintings = sweepOf(vgg, o.styleLayers, plan, tileShape, false, store);
  if (o.styleLoss === 'sliced-wasserstein') {
    const style = await SlicedStyle.create(vgg, inputs, plan, scale, tiledProjector(paintings, store));
    return new TiledSlicedTerm(style, o.styleLayers, store, weights.style);
  }
  return new TiledGramTerm(await stylePulls(inputs, plan, scale, tiledGrams(paintings, o.styleLayers)), o, weights);
}

/**
 * The tiled objective of `scale`: its targets computed (tile by tile where large) from `inputs`, which it does not take
 * over; what it keeps image-sized between tiles lives in `store`.
 */
export async function createTiledObjective(vgg: FeatureExtractor, inputs: ObjectiveInputs, plan: Plan,
  scale: ScalePlan, tileShape: TileShape,
  store: ImageStore = MEMORY_STORE,
): Promise<Objective<StoredImage> & { tiles(height: number, width: number): number }> {
  const o = plan.options;
  const layers = o.contentWeight > 0 ? plan.layers : o.styleLayers;
  const style = await tiledStyleTerm(vgg, inputs, plan, scale, tileShape, store);
  const torus = o.seamless; // the image, and so the photo it is compared with, on a torus (as whole-objective.ts)
  const contentSweep = sweepOf(vgg, [o.contentLayer], plan, tileShape, torus, store);
  let content: StoredImage | null = null;
  try {
    content = o.contentWeight > 0 ? await tiledFeatures(contentSweep, inputs.content, o.contentLayer) : null;
  } catch (error) {
    style.dispose();
    throw error;
  }
  return new TiledObjective(sweepOf(vgg, layers, plan, tileShape, torus, store), style, content, inputs.temporal,
    plan, scale);
}
