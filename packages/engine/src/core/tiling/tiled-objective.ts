import * as tf from '@tensorflow/tfjs';
import { CHANNELS, deepestLayer, featureSize, positions } from '../geometry';
import { HostImage } from '../image/host-image';
import { ImageStore, MEMORY_STORE, StoredImage, storedInMemory } from '../image/stored-image';
import { contentLoss } from '../losses';
import {
  disposePulls, EvaluationHooks, Evaluation, GramsOf, Objective, ObjectiveInputs, StylePull, stylePulls, TermWeights,
  termWeights,
} from '../objective';
import { gram, gramTrace } from '../ops/gram';
import { VggLayer } from '../options';
import { readScalar } from '../optim/tensor-space';
import { Plan, ScalePlan } from '../plan';
import { fromTensor, toTensor } from '../pixels';
import { maskedFeatures } from '../region-features';
import { StyleRegion } from '../regions';
import { FeatureExtractor } from '../vgg19';
import { Stage, vggStages } from './stages';
import {
  backwardSweep, disposeInputs, FeatureVisitor, forwardSweep, LayerRect, Sweep, SweepHooks, tilesPerEvaluation,
} from './sweep';
import { addTotalVariation } from './total-variation';

/*
 * The objective of a scale too large for the backend to hold whole: the same
 * loss and gradient as whole-objective.ts, computed stage by stage and tile
 * by tile on an image in ordinary memory (sweep.ts).
 *
 * Every term is a sum over positions, and so is a Gram matrix. A forward
 * sweep sums each tile's Gram contribution at its interior (the image's G_l,
 * exact) and its content loss; the style loss follows from G_l. A backward
 * sweep then differentiates, per tile, Σ_l k_l Σ_p F_p D_l F_pᵀ with the whole
 * image's D_l = G_l/M_l − A_l, whose gradient at the tile's positions is the
 * image's style gradient there, plus the content term at the tile's
 * positions; TV is local and computed band by band. The image and its
 * gradient are StoredImages, in scratch files at a print's size.
 */

/** The largest interior of a stage's tiles, at the stage's output resolution. */
export type TileShape = (stage: Stage) => { rows: number; cols: number };

/** `circular`: the image's sweep on a torus (seamless); the paintings' sweeps keep zero padding. */
function sweepOf(vgg: FeatureExtractor, layers: readonly VggLayer[], plan: Plan, tileShape: TileShape,
  circular = false, store: ImageStore = MEMORY_STORE): Sweep {
  return { vgg, stages: vggStages(deepestLayer(layers)), pooling: plan.options.pooling, tileShape, circular, store };
}

/** The Grams G/M of an image of any size, summed tile by tile. */
export function tiledGrams(vgg: FeatureExtractor, layers: readonly VggLayer[], plan: Plan, tileShape: TileShape,
  hooks: SweepHooks = {}, store: ImageStore = MEMORY_STORE): GramsOf {
  return async (image: HostImage) => {
    const sweep = sweepOf(vgg, layers, plan, tileShape, false, store);
    const { grams: [sums], inputs } = await sumGrams(sweep, storedInMemory(image), layers, hooks);
    disposeInputs(inputs);
    for (const layer of layers) {
      const sum = sums.get(layer)!;
      sums.set(layer, tf.div(sum, positions(layer, image.height, image.width)));
      sum.dispose();
    }
    return sums;
  };
}

/**
 * Σ over tiles of FᵀF at the tiles' interiors, per region (null: the whole image; else its masked features,
 * regions.ts) and layer; with `visit`, also what a forward sweep shows it; the sweep's stage inputs, the caller's to
 * free.
 */
type SummedGrams = { grams: Map<VggLayer, tf.Tensor2D>[]; inputs: StoredImage[] };

async function sumGrams(sweep: Sweep, image: StoredImage, layers: readonly VggLayer[], hooks: SweepHooks,
  visit?: FeatureVisitor, wanted = new Set(layers),
  regions: readonly (StyleRegion | null)[] = [null]): Promise<SummedGrams> {
  const sums = regions.map(() =>
    new Map(layers.map((l) => [l, tf.zeros([CHANNELS[l], CHANNELS[l]]) as tf.Tensor2D] as const)));
  try {
    const inputs = await forwardSweep(sweep, image, wanted, async (layer, features, at) => {
      for (const [r, region] of regions.entries()) {
        const sum = sums[r].get(layer);
        if (!sum || region?.get(layer)!.area === 0) continue;
        // Its own tidy: the visitor runs outside the sweep's (the sweep awaits between).
        sums[r].set(layer, tf.tidy(() =>
          tf.add(sum, gram(region ? maskedFeatures(features, region.get(layer)!, at)! : features)) as tf.Tensor2D));
        sum.dispose();
      }
      await visit?.(layer, features, at);
    }, hooks);
    return { grams: sums, inputs };
  } catch (error) {
    for (const sum of sums) tf.dispose([...sum.values()]); // cancelled or failed mid-sweep
    throw error;
  }
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

  constructor(private readonly sweep: Sweep, private readonly pulls: StylePull[],
    private readonly content: StoredImage | null,
    private readonly plan: Plan, scale: ScalePlan) {
    this.weights = termWeights(plan, scale);
    this.wanted = new Set(content ? plan.layers : plan.options.styleLayers);
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
    const { grams: sums, inputs } = await sumGrams(this.sweep, image, o.styleLayers, sweepHooks,
      async (layer, features, at) => {
      if (!this.content || layer !== o.contentLayer) return;
      const here = await readScalar(() => contentLoss(features, this.contentAt(at)));
      content += here;
    }, this.wanted, this.pulls.map((pull) => pull.region));
    const differences = this.pulls.map(() => new Map<VggLayer, tf.Tensor2D>());
    let style = 0;
    try {
      for (const [r, pull] of this.pulls.entries()) {
        for (const [i, layer] of o.styleLayers.entries()) {
          const d = tf.tidy(() => tf.sub(tf.div(sums[r].get(layer)!, positions(layer, image.height, image.width)),
            pull.targets.get(layer)!)) as tf.Tensor2D;
          differences[r].set(layer, d);
          const share = pull.region?.get(layer)!.share ?? 1;
          if (share === 0) continue;
          const distance = await readScalar(() => tf.sum(tf.square(d)));
          style += this.weights.styleLayers[i] * share * distance / (4 * CHANNELS[layer] ** 2);
        }
      }
      const gradient = await backwardSweep(this.sweep, inputs, this.wanted,
        (layer, features, at) => this.localLoss(layer, features, at, differences, image), sweepHooks);
      try {
        const tv = this.weights.tv > 0 ? addTotalVariation(image, gradient, this.weights.tv, o.seamless) : 0;
        const totalLoss = this.weights.content * content + this.weights.style * style + this.weights.tv * tv;
        return { terms: { content, style, tv, total: totalLoss }, gradient };
      } catch (error) {
        gradient.dispose();
        throw error;
      }
    } finally {
      for (const [r, sum] of sums.entries()) tf.dispose([...sum.values(), ...differences[r].values()]);
      disposeInputs(inputs); // the backward sweep frees them as it goes; a second dispose does nothing
    }
  }

  /**
   * The terms of a tile at `layer` whose gradient is the whole loss's there:
   * for a style layer k·Σ_p F_p D F_pᵀ with k = β w_l / (2 C² M), as the
   * gradient of β w_l Σ (G/M − A)² / (4C²) with respect to F_p is
   * β w_l / (C² M) · F_p D; for the content layer α' · ½ Σ (F − P)². A
   * region's term takes its masked features (scaled by √(M/a)) and k times its
   * share a/M: the gradient of share · β w_l Σ (G_r − A)² / (4C²).
   */
  private localLoss(layer: VggLayer, features: tf.Tensor4D, at: LayerRect,
    differences: readonly Map<VggLayer, tf.Tensor2D>[], image: StoredImage): tf.Scalar | null {
    const o = this.plan.options;
    const terms: tf.Scalar[] = [];
    const i = o.styleLayers.indexOf(layer);
    if (i >= 0) {
      const layerPositions = positions(layer, image.height, image.width);
      const k = (this.weights.style * this.weights.styleLayers[i]) / (2 * CHANNELS[layer] ** 2 * layerPositions);
      for (const [r, pull] of this.pulls.entries()) {
        const region = pull.region?.get(layer);
        const pulled = region ? maskedFeatures(features, region, at) : features;
        const share = region?.share ?? 1;
        if (pulled) terms.push(tf.mul(gramTrace(pulled, differences[r].get(layer)!), k * share) as tf.Scalar);
      }
    }
    if (this.content && layer === o.contentLayer) terms.push(tf.mul(contentLoss(features, this.contentAt(at)),
      this.weights.content) as tf.Scalar);
    return terms.length === 0 ? null : tf.addN(terms) as tf.Scalar;
  }

  private contentAt(at: LayerRect): tf.Tensor4D {
    return toTensor(this.content!.crop(at));
  }

  dispose(): void {
    disposePulls(this.pulls);
    this.content?.dispose();
  }
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
  const pulls = await stylePulls(inputs, plan, scale, tiledGrams(vgg, o.styleLayers, plan, tileShape, {}, store));
  const torus = o.seamless; // the image, and so the photo it is compared with, on a torus (as whole-objective.ts)
  const contentSweep = sweepOf(vgg, [o.contentLayer], plan, tileShape, torus, store);
  let content: StoredImage | null = null;
  try {
    content = o.contentWeight > 0 ? await tiledFeatures(contentSweep, inputs.content, o.contentLayer) : null;
  } catch (error) {
    disposePulls(pulls);
    throw error;
  }
  return new TiledObjective(sweepOf(vgg, layers, plan, tileShape, torus, store), pulls, content, plan, scale);
}
