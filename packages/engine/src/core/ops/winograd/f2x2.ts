import * as tf from '@tensorflow/tfjs';
import { channelFilter, interleaveTiles, tileGrid, TileGrid, transformKernel, WinogradVariant } from './common';

/*
 * 3x3 stride-1 'same' convolution by Winograd's minimal filtering F(2x2, 3x3)
 * (Lavin & Gray 2016, "Fast Algorithms for Convolutional Neural Networks"):
 * each 2x2 block of outputs comes from a 4x4 input tile with 16
 * multiplications per channel pair instead of 36:
 *
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A     summed over input channels,
 *
 * the ⊙ over channels being 16 matMuls [tiles, in] x [in, out].
 *
 * Built from tfjs ops chosen for what is fast on wasm (docs/PERFORMANCE.md):
 * the input transform is separable and each row of Bᵀ reads at most 3
 * consecutive tile rows, so it runs as 4 + 16 one-dimensional strided
 * depthwise convolutions (XNNPACK, padding without copies); the output
 * transform is whole-tensor adds (Aᵀ holds only 0 and ±1); two transposes
 * that keep the channel axis innermost put the blocks in place. Avoided:
 * tf.slice/split (copies through JS), batched matMul, transposes moving the
 * innermost axis. Float32 error ~1e-6 relative, like a direct convolution's.
 */

/** Rows of Bᵀ for F(2x2, 3x3), each as (first tile row it reads, its 3 taps from there). */
const INPUT_ROWS: ReadonlyArray<readonly [0 | 1, readonly number[]]> = [
  [0, [1, 0, -1]],
  [1, [1, 1, 0]],
  [1, [-1, 1, 0]],
  [1, [1, 0, -1]],
];

/** Aᵀ: the output transform (2x4). */
const OUTPUT_ROWS = [
  [1, 1, 1, 0],
  [0, 1, -1, -1],
];

/** G: the filter transform (4x3). */
const G = [
  [1, 0, 0],
  [0.5, 0.5, 0.5],
  [0.5, -0.5, 0.5],
  [0, 0, 1],
];

export interface WinogradFilter {
  readonly inChannels: number;
  readonly outChannels: number;
  /** U_k = (G g Gᵀ)_k for the 16 tile positions k = 4a + b, each [in, out]. */
  readonly transformed: readonly tf.Tensor2D[];
  /**
   * The input transform Bᵀ d B, separable: row a of Bᵀ as a depthwise filter
   * [3, 1, in, 1] down the rows, then as [1, 3, in, 1] along the columns, each
   * with the tile offset it reads from.
   */
  readonly inputTransforms: {
    readonly rows: ReadonlyArray<{ offset: 0 | 1; filter: tf.Tensor4D }>;
    readonly columns: ReadonlyArray<{ offset: 0 | 1; filter: tf.Tensor4D }>;
  };
  /**
   * A depthwise identity [3, 3, out, 1] (centre tap 1): with padding on one side only, it drops the last row and/or
   * column (see crop).
   */
  readonly identity: tf.Tensor4D;
}

/** Transforms a [3, 3, in, out] kernel once; the caller owns (and disposes) the result, which outlives any tidy. */
export function winogradFilter(kernel: tf.Tensor4D): WinogradFilter {
  const [, , inChannels, outChannels] = kernel.shape;
  const transformed = transformKernel(kernel, G, 'winogradFilter');
  const transformFilters = (shape: [number, number]) => INPUT_ROWS.map(([offset, taps]) => ({
    offset,
    filter: channelFilter(taps, shape, inChannels),
  }));
  const inputTransforms = { rows: transformFilters([3, 1]), columns: transformFilters([1, 3]) };
  const identity = channelFilter([0, 0, 0, 0, 1, 0, 0, 0, 0], [3, 3], outChannels);
  return { inChannels, outChannels, transformed, inputTransforms, identity };
}

export function disposeWinogradFilter(filter: WinogradFilter): void {
  const { rows, columns } = filter.inputTransforms;
  tf.dispose([...filter.transformed, ...[...rows, ...columns].map((t) => t.filter), filter.identity]);
}

/**
 * Drops the last row and/or column that a size not divisible by 2 leaves:
 * a 3x3 depthwise identity padded on the leading side only of the axes to
 * shorten (tf.slice copies through JS, and XNNPACK's other small depthwise
 * kernels take a slow path on wasm).
 */
function crop(full: tf.Tensor4D, extraRow: boolean, extraColumn: boolean, filter: WinogradFilter): tf.Tensor4D {
  if (!extraRow && !extraColumn) return full;
  return tf.depthwiseConv2d(full, filter.identity, 1,
    [[0, 0], [1, extraRow ? 0 : 1], [1, extraColumn ? 0 : 1], [0, 0]]);
}

/**
 * Where a bias can be added once for all four outputs of a tile: row and
 * column 1 of Aᵀ are all ones, so M_(1,1) reaches every output with weight 1.
 */
const BIAS_POSITION = 4 * 1 + 1;

const free = (...tensors: tf.Tensor[]) => tf.dispose(tensors);

/**
 * Tile row a of the products, transformed over the tile columns:
 * C_0 = M_0 + M_1 + M_2, C_1 = M_1 - M_2 - M_3, in an order that keeps at
 * most two products and two partial sums alive.
 */
function tileRowColumns(x: tf.Tensor4D, grid: TileGrid, a: number, filter: WinogradFilter,
  bias?: tf.Tensor1D): [tf.Tensor, tf.Tensor] {
  const { height, width, channels, tileRows, tileCols, tiles } = grid;
  // Tile (i, j) reads rows 2i-1 .. 2i+2 of x (zero outside): from tile row
  // `offset` on, 3-tap stride-2 windows with this padding give exactly
  // tileRows (then tileCols) outputs. Rows first, then columns: faster than
  // 16 two-dimensional depthwise convolutions.
  const row = filter.inputTransforms.rows[a];
  const rows = tf.depthwiseConv2d(x, row.filter, [2, 1],
    [[0, 0], [1 - row.offset, 2 * tileRows - height + row.offset], [0, 0], [0, 0]]);
  const product = (b: number): tf.Tensor => {
    const column = filter.inputTransforms.columns[b];
    const k = 4 * a + b;
    const v = tf.depthwiseConv2d(rows, column.filter, [1, 2],
      [[0, 0], [0, 0], [1 - column.offset, 2 * tileCols - width + column.offset], [0, 0]]);
    const lhs = tf.reshape(v, [tiles, channels]) as tf.Tensor2D;
    const m = bias && k === BIAS_POSITION ? tf.fused.matMul({ a: lhs, b: filter.transformed[k], bias })
      : tf.matMul(lhs, filter.transformed[k]);
    free(v, lhs);
    return m;
  };
  const m1 = product(1);
  const m2 = product(2);
  const sum = tf.add(m1, m2);
  const difference = tf.sub(m1, m2);
  free(m1, m2);
  const m0 = product(0);
  const c0 = tf.add(sum, m0);
  free(sum, m0);
  const m3 = product(3);
  const c1 = tf.sub(difference, m3);
  free(difference, m3, rows);
  return [c0, c1];
}

/** Y_pq += Aᵀ[p][a] C_q (every coefficient 0 or ±1) for the outputs Y_pq at 2p + q; frees the columns. */
function accumulateRows(outputs: Array<tf.Tensor | null>, a: number, columns: tf.Tensor[]): void {
  for (let p = 0; p < 2; p++) {
    const sign = OUTPUT_ROWS[p][a];
    if (sign === 0) continue;
    for (let q = 0; q < 2; q++) {
      const previous = outputs[2 * p + q];
      // A reshape shares its data: the first term costs no copy (tf.clone copies on wasm).
      outputs[2 * p + q] = previous ? (sign > 0 ? tf.add(previous, columns[q]) : tf.sub(previous, columns[q]))
        : (sign > 0 ? tf.reshape(columns[q], columns[q].shape) : tf.neg(columns[q]));
      if (previous) free(previous);
    }
  }
  free(...columns);
}

/**
 * conv2d(x, kernel, 1, 'same') (+ bias) for batch 1, the kernel given as
 * winogradFilter(kernel). The bias rides on one of the 16 matMuls, fused.
 * A tidy frees only at its end and the wasm heap keeps its peak, so each step
 * frees what it no longer needs: at most one tile row's four V_k or M_k and
 * the four output accumulators are alive at once.
 */
export function winogradConv3x3(x: tf.Tensor4D, filter: WinogradFilter, bias?: tf.Tensor1D): tf.Tensor4D {
  const grid = tileGrid(x, filter.inChannels, 2, 'winogradConv3x3');
  return tf.tidy(() => {
    const outputs: Array<tf.Tensor | null> = [null, null, null, null];
    for (let a = 0; a < 4; a++) accumulateRows(outputs, a, tileRowColumns(x, grid, a, filter, bias));
    const full = interleaveTiles(outputs as tf.Tensor[], 2, grid.tileRows, grid.tileCols, filter.outChannels);
    return crop(full, grid.height !== 2 * grid.tileRows, grid.width !== 2 * grid.tileCols, filter);
  });
}

export const WINOGRAD_2X2: WinogradVariant<WinogradFilter> = { filter: winogradFilter, conv: winogradConv3x3,
  dispose: disposeWinogradFilter };
