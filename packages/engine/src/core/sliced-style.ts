import * as tf from '@tensorflow/tfjs';
import { CHANNELS } from './geometry';
import { channelsFirst } from './ops/gram';
import { HostImage } from './image/host-image';
import { VGG_LAYERS, VggLayer } from './options';
import { ObjectiveInputs, styleAtScale } from './objective';
import { Plan, ScalePlan } from './plan';
import { toTensor } from './pixels';
import {
  blendTables, meanSquare, quantileTable, rankScratch, RankScratch, residualsInPlace, SLICE_QUANTILES, sliceDirections,
  weightedQuantiles,
} from './sliced-wasserstein';
import { styleMaskRegion } from './style-masks';
import { FeatureExtractor } from './vgg19';

/*
 * The sliced-Wasserstein style term of one scale on the backend
 * (sliced-wasserstein.ts has the loss): the style's quantiles along each
 * layer's directions, computed once, and per evaluation the image's
 * projections, ranked in ordinary memory into residuals and taken back to
 * the features (R Wᵀ), in a term whose gradient is the loss's. The
 * projections come whole from the backend, or tile by tile
 * (tiling/sliced-term.ts): the ranks are global, so every tile's
 * projections are gathered before any residual is known.
 */

/**
 * What a layer's projections are ranked against: a style's quantiles (or the blend's), κ, and with regions the
 * positions' weights (the region's m² at the layer, regions.ts; null: every position counts 1).
 */
interface SlicePull { quantiles: Float32Array; kappa: number; weights: Float32Array | null }

interface LayerSlices { directions: tf.Tensor2D; transposed: tf.Tensor2D; pulls: SlicePull[] }

/** The images a scale's sliced targets come from: ObjectiveInputs' styles, regions and style masks. */
export type SlicedInputs = Pick<ObjectiveInputs, 'styles' | 'regions' | 'styleMasks'>;

/**
 * A layer's projections on its K directions, N values each, a direction's row at a time: in memory, or in a store
 * at a tiled scale. The residuals replace them in place (setRow).
 */
export interface Projections {
  readonly n: number;
  readonly k: number;
  row(j: number): Float32Array;
  setRow(j: number, values: Float32Array): void;
}

/** Projections K × N in one array (a direction's values in a row). */
export function arrayProjections(values: Float32Array, n: number, k: number): Projections {
  return {
    n, k,
    row: (j) => values.subarray(j * n, (j + 1) * n),
    setRow: (j, row) => { if (row.buffer !== values.buffer) values.set(row, j * n); },
  };
}

/**
 * Each style layer's projections of an image (a painting at its size for the scale), given how a layer's features
 * project (K × n); whole on the backend, or tile by tile. `release` frees them.
 */
export type Projector = (image: HostImage, project: (layer: VggLayer, features: tf.Tensor4D) => tf.Tensor2D,
  layers: readonly VggLayer[]) => Promise<{ projections: Map<VggLayer, Projections>; release: () => void }>;

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

/** The whole image's projections at `layers`, on the backend at once, read back. */
export const wholeProjector = (vgg: FeatureExtractor, pooling: Plan['options']['pooling']): Projector =>
  async (image, projectLayer, layers) => {
    const projected = tf.tidy(() => {
      const features = vgg.extract(toTensor(image), layers, pooling);
      return layers.map((layer) => projectLayer(layer, features.get(layer)!));
    });
    try {
      const read = await readProjections(projected, layers);
      return { projections: new Map([...read].map(([layer, { rows }]) => [layer, rows])), release: () => {} };
    } finally {
      tf.dispose(projected);
    }
  };

/** Each layer's projections (K × N on the backend) read back: their values, and the same values as rows. */
async function readProjections(projected: readonly tf.Tensor2D[], layers: readonly VggLayer[]):
  Promise<Map<VggLayer, { values: Float32Array; rows: Projections }>> {
  const read = new Map<VggLayer, { values: Float32Array; rows: Projections }>();
  for (const [i, layer] of layers.entries()) {
    const [k, n] = projected[i].shape;
    const values = await projected[i].data() as Float32Array;
    read.set(layer, { values, rows: arrayProjections(values, n, k) });
  }
  return read;
}

export class SlicedStyle {
  private constructor(private readonly layers: Map<VggLayer, LayerSlices>, private readonly weights: readonly number[],
    private readonly styleLayers: readonly VggLayer[]) {}

  /**
   * The targets of `scale`: each style image at its size for the scale (in its part, with a style mask), its
   * projections' quantiles blended by plan.styleBlend, or with regions each style's in its region; the directions
   * drawn from the seed, the scale and the layer.
   */
  static async create(vgg: FeatureExtractor, inputs: SlicedInputs, plan: Plan,
    scale: ScalePlan, projector: Projector = wholeProjector(vgg, plan.options.pooling)): Promise<SlicedStyle> {
    const o = plan.options;
    const layers = drawDirections(plan, scale);
    try {
      const projectLayer = (layer: VggLayer, features: tf.Tensor4D) => project(features, layers.get(layer)!.transposed);
      const tables = await styleTables(inputs, plan, scale, projector, projectLayer);
      // κ in the Gram loss's units: squared feature values times feature values squared (sliced-wasserstein.ts).
      const pull = (quantiles: Float32Array, weights: Float32Array | null) =>
        ({ quantiles, kappa: meanSquare(quantiles), weights });
      for (const layer of o.styleLayers) {
        const styles = tables.get(layer)!;
        const pulls = inputs.regions
          ? styles.map((table, r) => pull(table, squares(inputs.regions![r].get(layer)!.mask.data)))
          : [pull(blendTables(styles, plan.styleBlend), null)];
        layers.set(layer, { ...layers.get(layer)!, pulls });
      }
      return new SlicedStyle(layers, plan.styleLayerWeights, o.styleLayers);
    } catch (error) {
      disposeSlices(layers);
      throw error;
    }
  }

  /** A style layer's features (1 × h × w × C) projected on its directions: K × hw. */
  project(layer: VggLayer, features: tf.Tensor4D): tf.Tensor2D {
    return project(features, this.layers.get(layer)!.transposed);
  }

  /**
   * The term's value Σ_l w_l E_l given the image's projections at every style layer, each replaced by its residuals
   * (v − t(rank v)) in place.
   */
  residualsIn(projections: ReadonlyMap<VggLayer, Projections>): number {
    let value = 0;
    for (const [i, layer] of this.styleLayers.entries()) {
      const rows = projections.get(layer)!;
      const ranking = { scratch: rankScratch(rows.n), copy: new Float32Array(rows.n), sum: new Float32Array(rows.n) };
      let sum = 0;
      for (let j = 0; j < rows.k; j++) {
        const row = rows.row(j);
        sum += this.residualsOfRow(layer, j, row, ranking);
        rows.setRow(j, row);
      }
      value += this.factor(i, rows) * sum;
    }
    return value;
  }

  /**
   * Replaces a direction's projections by Σ_r κ_r w_r (v − t_r): each pull's residuals (regions.ts's weights, as
   * residualsInPlace takes them) in its style's units; returns Σ_r κ_r Σ w_r (v − t_r)².
   */
  private residualsOfRow(layer: VggLayer, j: number, row: Float32Array,
    ranking: { scratch: RankScratch; copy: Float32Array; sum: Float32Array }): number {
    const { pulls } = this.layers.get(layer)!;
    const table = (pull: SlicePull) => pull.quantiles.subarray(j * SLICE_QUANTILES, (j + 1) * SLICE_QUANTILES);
    const n = row.length;
    let value = 0;
    if (pulls.length === 1) {
      const [pull] = pulls;
      const weights = pull.weights ?? undefined;
      value = pull.kappa * residualsInPlace(row, n, 1, table(pull), SLICE_QUANTILES, ranking.scratch, weights);
      for (let p = 0; p < n; p++) row[p] *= pull.kappa;
      return value;
    }
    const { copy, sum } = ranking;
    sum.fill(0);
    for (const pull of pulls) {
      copy.set(row);
      value += pull.kappa * residualsInPlace(copy, n, 1, table(pull), SLICE_QUANTILES, ranking.scratch,
        pull.weights ?? undefined);
      for (let p = 0; p < n; p++) sum[p] += pull.kappa * copy[p];
    }
    row.set(sum);
    return value;
  }

  /** w_l / (N K): the layer's weight in the value (its pulls' κ are in their residuals); twice it in the gradient. */
  private factor(i: number, rows: { n: number; k: number }): number {
    return this.weights[i] / (rows.n * rows.k);
  }

  /**
   * The gradient with respect to features of n positions given their residuals (K × n) of a layer of N positions:
   * 2κ_l w_l/(NK) · R Wᵀ, as n × C ((W R)ᵀ, the product untransposed).
   */
  featureGradient(layer: VggLayer, residuals: Float32Array, positions: number): tf.Tensor2D {
    const slices = this.layers.get(layer)!;
    const k = slices.directions.shape[1];
    const factor = this.factor(this.styleLayers.indexOf(layer), { n: positions, k });
    return tf.tidy(() => tf.transpose(tf.mul(
      tf.matMul(slices.directions, tf.tensor2d(residuals, [k, residuals.length / k])), 2 * factor)) as tf.Tensor2D);
  }

  /** The term's value Σ_l w_l E_l at `image` (whole, on the backend) and its feature gradients, the caller's. */
  async residualsOf(net: FeatureExtractor, image: tf.Tensor4D,
    pooling: Plan['options']['pooling']): Promise<SlicedResiduals> {
    const projected = tf.tidy(() => {
      const features = net.extract(image, this.styleLayers, pooling);
      return this.styleLayers.map((layer) => this.project(layer, features.get(layer)!));
    });
    const gradients = new Map<VggLayer, tf.Tensor2D>();
    try {
      const read = await readProjections(projected, this.styleLayers);
      const value = this.residualsIn(new Map([...read].map(([layer, { rows }]) => [layer, rows])));
      for (const [layer, { values, rows }] of read) gradients.set(layer, this.featureGradient(layer, values, rows.n));
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
    layers.set(layer, { directions: w, transposed: tf.transpose(w), pulls: [] });
  }
  return layers;
}

/**
 * Each style's quantile table along each layer's directions, the style at its size for the scale; with a style mask,
 * of its part (each position counting with its m² there, style-masks.ts).
 */
async function styleTables(inputs: SlicedInputs, plan: Plan, scale: ScalePlan, projector: Projector,
  projectLayer: (layer: VggLayer, features: tf.Tensor4D) => tf.Tensor2D): Promise<Map<VggLayer, Float32Array[]>> {
  const o = plan.options;
  const tables = new Map<VggLayer, Float32Array[]>(o.styleLayers.map((layer) => [layer, []]));
  for (const [i, style] of inputs.styles.entries()) {
    const sized = styleAtScale(o, style, scale);
    const mask = inputs.styleMasks?.[i];
    const part = mask ? styleMaskRegion(mask, sized, o.styleLayers) : null;
    const { projections, release } = await projector(sized, projectLayer, o.styleLayers);
    try {
      for (const layer of o.styleLayers) {
        const weights = part && squares(part.get(layer)!.mask.data);
        tables.get(layer)!.push(quantileRows(projections.get(layer)!, weights));
      }
    } finally {
      release();
    }
  }
  return tables;
}

/** S quantiles of each direction's values, K × S; each value counting with its weight where `weights` are given. */
function quantileRows(rows: Projections, weights: Float32Array | null): Float32Array {
  const table = new Float32Array(rows.k * SLICE_QUANTILES);
  const scratch = weights && rankScratch(rows.n);
  for (let j = 0; j < rows.k; j++) {
    const row = rows.row(j);
    table.set(weights ? weightedQuantiles(row, weights, SLICE_QUANTILES, scratch!) : quantileTable(row, rows.n, 1),
      j * SLICE_QUANTILES);
  }
  return table;
}

/** m² of each mask value: the weight a position of a region (or of a painting's part) counts with. */
const squares = (mask: Float32Array): Float32Array => mask.map((m) => m * m);

function disposeSlices(layers: Map<VggLayer, LayerSlices>): void {
  tf.dispose([...layers.values()].flatMap((l) => [l.directions, l.transposed]));
}
