import * as tf from '@tensorflow/tfjs';
import { CHANNELS, positions } from '../geometry';
import { HostImage } from '../image/host-image';
import { storedInMemory } from '../image/stored-image';
import { disposePulls, GramsOf, StylePull, TermWeights } from '../objective';
import { gram, gramTrace } from '../ops/gram';
import { StylizeOptions, VggLayer } from '../options';
import { readScalar } from '../optim/tensor-space';
import { maskedFeatures } from '../region-features';
import { StyleRegion } from '../regions';
import { disposeInputs, forwardSweep, LayerRect, Sweep, SweepHooks } from './sweep';
import { TiledStyleTerm } from './style-term';

/*
 * The Gram style term, tile by tile. A Gram matrix is a sum over positions:
 * the forward sweep sums each tile's contribution at its interior (the
 * image's G_l, exact), the style loss follows from G_l, and each tile of the
 * backward sweep differentiates Σ_l k_l Σ_p F_p D_l F_pᵀ with the whole
 * image's D_l = G_l/M_l − A_l, whose gradient at the tile's positions is the
 * image's style gradient there.
 */

type GramSums = Map<VggLayer, tf.Tensor2D>[];

function zeroSums(count: number, layers: readonly VggLayer[]): GramSums {
  return Array.from({ length: count }, () =>
    new Map(layers.map((l) => [l, tf.zeros([CHANNELS[l], CHANNELS[l]]) as tf.Tensor2D] as const)));
}

/** Adds a tile's FᵀF at `layer` to each region's sum (null: the whole image; else its masked features, regions.ts). */
function addGrams(sums: GramSums, regions: readonly (StyleRegion | null)[], layer: VggLayer, features: tf.Tensor4D,
  at: LayerRect): void {
  for (const [r, region] of regions.entries()) {
    const sum = sums[r].get(layer);
    if (!sum || region?.get(layer)!.area === 0) continue;
    // Its own tidy: the visitor runs outside the sweep's (the sweep awaits between).
    sums[r].set(layer, tf.tidy(() =>
      tf.add(sum, gram(region ? maskedFeatures(features, region.get(layer)!, at)! : features)) as tf.Tensor2D));
    sum.dispose();
  }
}

/** The Grams G/M of an image of any size (a painting; in `region`, its part's), summed tile by tile by `sweep`. */
export function tiledGrams(sweep: Sweep, layers: readonly VggLayer[], hooks: SweepHooks = {}): GramsOf {
  return async (image: HostImage, region?: StyleRegion) => {
    const sums = zeroSums(1, layers);
    try {
      disposeInputs(await forwardSweep(sweep, storedInMemory(image), new Set(layers),
        (layer, features, at) => addGrams(sums, [region ?? null], layer, features, at), hooks));
    } catch (error) {
      tf.dispose([...sums[0].values()]); // cancelled or failed mid-sweep
      throw error;
    }
    const [grams] = sums;
    for (const layer of layers) {
      const sum = grams.get(layer)!;
      grams.set(layer, tf.div(sum, positions(layer, image.height, image.width)));
      sum.dispose();
    }
    return grams;
  };
}

export class TiledGramTerm implements TiledStyleTerm {
  private sums: GramSums = [];
  private differences: GramSums = [];
  private size = { height: 0, width: 0 };

  constructor(private readonly pulls: StylePull[], private readonly o: StylizeOptions,
    private readonly weights: TermWeights) {}

  begin(height: number, width: number): void {
    this.end();
    this.size = { height, width };
    this.sums = zeroSums(this.pulls.length, this.o.styleLayers);
  }

  async visit(layer: VggLayer, features: tf.Tensor4D, at: LayerRect): Promise<void> {
    addGrams(this.sums, this.pulls.map((pull) => pull.region), layer, features, at);
  }

  async settle(): Promise<number> {
    const { height, width } = this.size;
    let style = 0;
    for (const [r, pull] of this.pulls.entries()) {
      const differences = new Map<VggLayer, tf.Tensor2D>();
      this.differences.push(differences);
      for (const [i, layer] of this.o.styleLayers.entries()) {
        const d = tf.tidy(() => tf.sub(tf.div(this.sums[r].get(layer)!, positions(layer, height, width)),
          pull.targets.get(layer)!)) as tf.Tensor2D;
        differences.set(layer, d);
        const share = pull.region?.get(layer)!.share ?? 1;
        if (share === 0) continue;
        const distance = await readScalar(() => tf.sum(tf.square(d)));
        style += this.weights.styleLayers[i] * share * distance / (4 * CHANNELS[layer] ** 2);
      }
    }
    return style;
  }

  /**
   * For a style layer k·Σ_p F_p D F_pᵀ with k = β w_l / (2 C² M), as the gradient of β w_l Σ (G/M − A)² / (4C²)
   * with respect to F_p is β w_l / (C² M) · F_p D. A region's term takes its masked features (scaled by √(M/a)) and
   * k times its share a/M: the gradient of share · β w_l Σ (G_r − A)² / (4C²).
   */
  localTerm(layer: VggLayer, features: tf.Tensor4D, at: LayerRect): tf.Scalar | null {
    const i = this.o.styleLayers.indexOf(layer);
    if (i < 0) return null;
    const layerPositions = positions(layer, this.size.height, this.size.width);
    const k = (this.weights.style * this.weights.styleLayers[i]) / (2 * CHANNELS[layer] ** 2 * layerPositions);
    const terms: tf.Scalar[] = [];
    for (const [r, pull] of this.pulls.entries()) {
      const region = pull.region?.get(layer);
      const pulled = region ? maskedFeatures(features, region, at) : features;
      const share = region?.share ?? 1;
      if (pulled) terms.push(tf.mul(gramTrace(pulled, this.differences[r].get(layer)!), k * share) as tf.Scalar);
    }
    return terms.length === 0 ? null : tf.addN(terms) as tf.Scalar;
  }

  end(): void {
    for (const sums of [...this.sums, ...this.differences]) tf.dispose([...sums.values()]);
    this.sums = [];
    this.differences = [];
  }

  dispose(): void {
    this.end();
    disposePulls(this.pulls);
  }
}
