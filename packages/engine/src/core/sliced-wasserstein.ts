/*
 * The sliced-Wasserstein style loss (Heitz, Vanhoey, Chambon, Belcour, CVPR
 * 2021, "A Sliced Wasserstein Loss for Neural Texture Synthesis"): the
 * features at a layer, N positions of C values, are projected on K = C unit
 * directions; along each, the image's values sorted are compared with the
 * style's sorted, E_l = κ_l / (N K) Σ_k Σ_p (v_pk − t_k(rank_k p))². Where the
 * Gram matches second moments, this matches each projection's whole
 * distribution. Its gradient with respect to v_pk is 2κ_l/(NK) times the
 * residual v_pk − t_k(rank_k p) (the sort is a permutation, constant where
 * no two values cross). The sum is taken as the integral of the two
 * quantile functions' squared difference (residualsInPlace), which also
 * serves positions that count with a weight (a region's).
 *
 * Departures from the paper, each for a reason:
 * - The directions are drawn once per scale from the seed, not every step:
 *   L-BFGS needs one function to minimise, and a run must reproduce.
 * - The style's distribution is kept as SLICE_QUANTILES quantiles a
 *   direction (a style need not have the image's size; the paper assumes
 *   it), blended between styles by averaging quantile functions (the 1-D
 *   Wasserstein barycentre).
 * - The ranks come from a radix sort of each direction's values (linear
 *   time in plain JavaScript), in ordinary memory: the backends have no fast
 *   sort (tfjs's topk takes ~8 s for 64 × 786 k values on wasm).
 * - κ_l scales each layer to the Gram loss's units (the style's mean squared
 *   projection, squared units times units), so one styleWeight serves both.
 * No tfjs here: the objective moves the values to and from the backend.
 */

/** Quantiles kept of the style's values along each direction. */
export const SLICE_QUANTILES = 1024;

/** The style's side of one layer: its K directions as a C×K matrix (row-major), and its quantiles, K × S. */
export interface SliceTargets { channels: number; directions: Float32Array; quantiles: Float32Array; scale: number }

/** A seeded stream of standard normal numbers (mulberry32, Box–Muller). */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** C unit directions in C dimensions from `seed`, the columns of a C×C matrix (row-major). */
export function sliceDirections(channels: number, seed: number): Float32Array {
  const next = normals(seed);
  const m = new Float32Array(channels * channels).map(() => next());
  for (let k = 0; k < channels; k++) {
    let norm = 0;
    for (let c = 0; c < channels; c++) norm += m[c * channels + k] ** 2;
    const scale = 1 / Math.sqrt(norm);
    for (let c = 0; c < channels; c++) m[c * channels + k] *= scale;
  }
  return m;
}

/** S quantiles along each of the K directions of `values` (K × N, a direction's N values in a row): the style's. */
export function quantileTable(values: Float32Array, n: number, k: number, s = SLICE_QUANTILES): Float32Array {
  const table = new Float32Array(k * s);
  for (let j = 0; j < k; j++) {
    const column = values.slice(j * n, (j + 1) * n).sort();
    for (let i = 0; i < s; i++) table[j * s + i] = column[Math.min(n - 1, Math.floor(((i + 0.5) / s) * n))];
  }
  return table;
}

/**
 * S quantiles of one direction's N values, each counting with its weight (a masked painting's m², style-masks.ts):
 * the value where the weights below reach each level. Weights all 1 give quantileTable's.
 */
export function weightedQuantiles(values: Float32Array, weights: Float32Array, s = SLICE_QUANTILES,
  scratch: RankScratch = rankScratch(values.length)): Float32Array {
  const n = values.length;
  const order = sortedOrder(values, scratch);
  let total = 0;
  for (let p = 0; p < n; p++) total += weights[p];
  const out = new Float32Array(s);
  let [below, rank] = [0, 0];
  for (let i = 0; i < s; i++) {
    const level = ((i + 0.5) / s) * total;
    while (rank < n - 1 && below + weights[order[rank]] <= level) below += weights[order[rank++]];
    out[i] = values[order[rank]];
  }
  return out;
}

/** Quantile tables averaged with `weights` (summing to 1): the blend of several styles' distributions. */
export function blendTables(tables: readonly Float32Array[], weights: readonly number[]): Float32Array {
  const out = new Float32Array(tables[0].length);
  for (const [i, table] of tables.entries()) for (let x = 0; x < out.length; x++) out[x] += weights[i] * table[x];
  return out;
}

/** The mean squared value of a quantile table: the style's energy along its directions (κ's). */
export function meanSquare(table: Float32Array): number {
  let sum = 0;
  for (const v of table) sum += v * v;
  return sum / table.length;
}

/**
 * Sorts `keys` (float32 values' bits made to sort as unsigned: sortableKey) and carries `order` along: a stable LSD
 * radix sort, keys and positions moved together (no indirection), in 16-bit digits for long rows and 8-bit ones for
 * short rows (whose 65536 counters would cost more than their values).
 */
function radixSort(keys: Uint32Array, order: Uint32Array, scratch: RadixScratch): void {
  const n = keys.length;
  const bits = n > 0x4000 ? 16 : 8;
  const mask = (1 << bits) - 1;
  let [k0, o0, k1, o1] = [keys, order, scratch.keys, scratch.order];
  for (let shift = 0; shift < 32; shift += bits) {
    const counts = scratch.counts.fill(0, 0, mask + 2);
    for (let p = 0; p < n; p++) counts[((k0[p] >>> shift) & mask) + 1]++;
    for (let d = 1; d <= mask + 1; d++) counts[d] += counts[d - 1];
    for (let p = 0; p < n; p++) {
      const at = counts[(k0[p] >>> shift) & mask]++;
      k1[at] = k0[p];
      o1[at] = o0[p];
    }
    [k0, o0, k1, o1] = [k1, o1, k0, o0];
  }
  // An even number of passes: the sorted keys and positions are back in `keys` and `order`.
}

/** What ranking a direction of n values uses besides the values: reused from one direction to the next. */
export interface RankScratch { keys: Uint32Array; order: Uint32Array; scratch: RadixScratch }

interface RadixScratch { keys: Uint32Array; order: Uint32Array; counts: Uint32Array }

export function rankScratch(n: number): RankScratch {
  return { keys: new Uint32Array(n), order: new Uint32Array(n),
    scratch: { keys: new Uint32Array(n), order: new Uint32Array(n), counts: new Uint32Array(0x10001) } };
}

/** A float32's bits as an unsigned integer that sorts as the float does (negative ones flipped whole). */
function sortableKey(bits: number): number {
  return (bits & 0x80000000 ? ~bits : bits | 0x80000000) >>> 0;
}

/** The positions of `values` (n of them) in the order of their values, ties in position order: `scratch.order`. */
function sortedOrder(values: Float32Array, { keys, order, scratch }: RankScratch): Uint32Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let p = 0; p < values.length; p++) {
    keys[p] = sortableKey(bits[p]);
    order[p] = p;
  }
  radixSort(keys, order, scratch);
  return order;
}

/**
 * The target quantile function t(u) of one direction (`table`: S quantiles,
 * linear between them at u = (i + ½)/S, flat beyond the first and last) as
 * its integrals from 0: u ↦ [∫₀ᵘ t, ∫₀ᵘ t²], exact, in float64.
 */
function quantileIntegrals(table: Float32Array, s: number): (u: number) => [number, number] {
  const [first, last] = [table[0], table[s - 1]];
  const [one, two] = [new Float64Array(s), new Float64Array(s)];
  one[0] = first * (0.5 / s);
  two[0] = first * first * (0.5 / s);
  for (let i = 0; i + 1 < s; i++) {
    const [p, q] = [table[i], table[i + 1]];
    one[i + 1] = one[i] + (p + q) / (2 * s);
    two[i + 1] = two[i] + (p * p + p * q + q * q) / (3 * s);
  }
  return (u) => {
    const at = u * s - 0.5;
    if (at <= 0) return [first * u, first * first * u];
    if (at >= s - 1) return [one[s - 1] + last * (at - s + 1) / s, two[s - 1] + last * last * (at - s + 1) / s];
    const i = Math.floor(at);
    const f = at - i;
    const [p, q] = [table[i], table[i] * (1 - f) + table[i + 1] * f];
    return [one[i] + (f / s) * (p + q) / 2, two[i] + (f / s) * (p * p + p * q + q * q) / 3];
  };
}

/**
 * Overwrites `values` (K × N: the image's projections, a direction's in a
 * row) with their residuals against the quantile `table` (K × S), and
 * returns the loss's sum. Ranks are exact: each row is sorted (ties in
 * position order). The sorted values are the image's quantile function, a
 * step each on an interval of u of width w/W (`weights`: a region's m² a
 * position, regions.ts; without them 1 each, W = N), and the sum is
 * W ∫₀¹ (v(u) − t(u))² du: a position's residual is w (v − t̄), t̄ the
 * target's mean over its interval, half the sum's gradient. The integral
 * is continuous where two values cross, whatever their weights (a sum of
 * w (v − t(midpoint))² would jump there); a position of weight 0 has no
 * interval and a residual of 0.
 */
export function residualsInPlace(values: Float32Array, n: number, k: number, table: Float32Array,
  s = SLICE_QUANTILES, scratch: RankScratch = rankScratch(n), weights?: Float32Array): number {
  let total = n;
  if (weights) {
    total = 0;
    for (let p = 0; p < n; p++) total += weights[p];
  }
  if (total === 0) {
    values.fill(0);
    return 0;
  }
  let sum = 0;
  for (let j = 0; j < k; j++) {
    const row = values.subarray(j * n, (j + 1) * n);
    const integrals = quantileIntegrals(table.subarray(j * s, (j + 1) * s), s);
    const order = sortedOrder(row, scratch);
    let below = 0;
    let [one, two] = [0, 0]; // the integrals up to the weight below
    for (let rank = 0; rank < n; rank++) {
      const x = order[rank];
      const w = weights ? weights[x] : 1;
      if (w === 0) {
        row[x] = 0;
        continue;
      }
      below += w;
      const [oneTo, twoTo] = integrals(Math.min(1, below / total));
      const mean = (total * (oneTo - one)) / w; // t̄
      const v = row[x];
      // W ∫ (v − t)² over the interval: w (v − t̄)² and the target's spread within it.
      sum += w * (v - mean) ** 2 + (total * (twoTo - two) - w * mean * mean);
      row[x] = w * (v - mean);
      [one, two] = [oneTo, twoTo];
    }
  }
  return sum;
}
