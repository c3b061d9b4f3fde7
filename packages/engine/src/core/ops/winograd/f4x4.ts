import * as tf from '@tensorflow/tfjs';
import { channelFilter, interleaveTiles, tileGrid, transformKernel, WinogradVariant } from './common';

/*
 * 3x3 stride-1 'same' convolution by Winograd's F(4x4, 3x3) (Lavin & Gray
 * 2016): each 4x4 block of outputs from a 6x6 input tile, 36 multiplications
 * per channel pair instead of 144 (1.78x fewer than F(2x2), f2x2.ts):
 *
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A     summed over input channels,
 *
 * the ⊙ over channels being 36 matMuls [tiles, in] x [in, out]. More fixed
 * costs per call than F(2x2), and transformed kernels 4x a kernel's size per
 * direction: conv.ts's rule says where it pays (docs/PERFORMANCE.md).
 *
 * Built like f2x2.ts from ops that are fast on wasm: a separable input
 * transform whose filters have 4 or 9 taps (XNNPACK's fast depthwise tap
 * counts; rows 0 and 5 of Bᵀ span 5 and are zero-padded to 9), the 1-D
 * output transform twice with its even/odd symmetry, and one-tap 4-tap
 * filters to drop the 1-3 rows/columns a size not divisible by 4 leaves.
 * Float32 error ~2e-5 relative: the larger transforms' coefficients (up to
 * 5 and 1/24) lose more bits.
 */

/** G: the filter transform (6x3). */
const G = [
  [1 / 4, 0, 0],
  [-1 / 6, -1 / 6, -1 / 6],
  [-1 / 6, 1 / 6, -1 / 6],
  [1 / 24, 1 / 12, 1 / 6],
  [1 / 24, -1 / 12, 1 / 6],
  [0, 0, 1],
];

/**
 * Bᵀ for F(4x4, 3x3) (interpolation points 0, ±1, ±2, ∞), row a as a
 * depthwise filter: the first tile row it reads and its taps from there,
 * 4 of them or 9 (zero-padded: XNNPACK's fast tap counts).
 *   Bᵀ = [4  0 -5  0  1  0]   [0 -4 -4  1  1  0]   [0  4 -4 -1  1  0]
 *        [0 -2 -1  2  1  0]   [0  2 -1 -2  1  0]   [0  4  0 -5  0  1]
 */
const INPUT_ROWS: ReadonlyArray<{ offset: 0 | 1; taps: readonly number[] }> = [
  { offset: 0, taps: [4, 0, -5, 0, 1, 0, 0, 0, 0] },
  { offset: 1, taps: [-4, -4, 1, 1] },
  { offset: 1, taps: [4, -4, -1, 1] },
  { offset: 1, taps: [-2, -1, 2, 1] },
  { offset: 1, taps: [2, -1, -2, 1] },
  { offset: 1, taps: [4, 0, -5, 0, 1, 0, 0, 0, 0] },
];

/** Column 1 of Aᵀ is all ones on both sides: M_(1,1) reaches every output with weight 1, so the bias rides on it. */
const BIAS_POSITION = 6 * 1 + 1;

export interface Winograd4x4Filter {
  readonly inChannels: number;
  readonly outChannels: number;
  /** U_k = (G g Gᵀ)_k for the 36 tile positions k = 6a + b, each [in, out]. */
  readonly transformed: readonly tf.Tensor2D[];
  /** Row a of Bᵀ as a depthwise filter down the rows ([n, 1, in, 1]) and along the columns ([1, n, in, 1]). */
  readonly rows: readonly tf.Tensor4D[];
  readonly columns: readonly tf.Tensor4D[];
  /** One-tap [4, 1, out, 1] and [1, 4, out, 1] filters that drop trailing rows / columns (see crop). */
  readonly cropRows: tf.Tensor4D;
  readonly cropColumns: tf.Tensor4D;
}

/** Transforms a [3, 3, in, out] kernel once; the caller owns (and disposes) the result, which outlives any tidy. */
export function winograd4x4Filter(kernel: tf.Tensor4D): Winograd4x4Filter {
  const [, , inChannels, outChannels] = kernel.shape;
  return {
    inChannels,
    outChannels,
    transformed: transformKernel(kernel, G, 'winograd4x4Filter'),
    rows: INPUT_ROWS.map(({ taps }) => channelFilter(taps, [taps.length, 1], inChannels)),
    columns: INPUT_ROWS.map(({ taps }) => channelFilter(taps, [1, taps.length], inChannels)),
    cropRows: channelFilter([1, 0, 0, 0], [4, 1], outChannels),
    cropColumns: channelFilter([1, 0, 0, 0], [1, 4], outChannels),
  };
}

export function disposeWinograd4x4Filter(filter: Winograd4x4Filter): void {
  tf.dispose([...filter.transformed, ...filter.rows, ...filter.columns, filter.cropRows, filter.cropColumns]);
}

/**
 * The 1-D output transform Aᵀ m for m_0..m_5, each a list of tensors (one
 * tensor, or the four columns of a tile row), transformed element by element:
 *   y0 = m0 + (m1 + m2) + (m3 + m4)      y1 = (m1 - m2) + 2 (m3 - m4)
 *   y2 = (m1 + m2) + 4 (m3 + m4)         y3 = (m1 - m2) + 8 (m3 - m4) + m5
 * `get` makes its inputs on demand and the result takes ownership of them,
 * in an order that keeps at most four inputs alive.
 */
function outputTransform(get: (i: number) => tf.Tensor[]): tf.Tensor[][] {
  const free = (...lists: tf.Tensor[][]) => tf.dispose(lists.flat());
  const pair = (i: number) => {
    const a = get(i);
    const b = get(i + 1);
    const sum = a.map((t, j) => tf.add(t, b[j]));
    const difference = a.map((t, j) => tf.sub(t, b[j]));
    free(a, b);
    return { sum, difference };
  };
  const p12 = pair(1);
  const p34 = pair(3);
  const m0 = get(0);
  const y0 = m0.map((t, j) => tf.addN([t, p12.sum[j], p34.sum[j]]));
  free(m0);
  const y1 = p12.difference.map((t, j) => tf.add(t, tf.mul(p34.difference[j], 2)));
  const y2 = p12.sum.map((t, j) => tf.add(t, tf.mul(p34.sum[j], 4)));
  free(p12.sum, p34.sum);
  const m5 = get(5);
  const y3 = p12.difference.map((t, j) => tf.addN([t, tf.mul(p34.difference[j], 8), m5[j]]));
  free(m5, p12.difference, p34.difference);
  return [y0, y1, y2, y3];
}

/**
 * Drops the 1-3 trailing rows and columns a size not divisible by 4 leaves:
 * a [4, 1] (then [1, 4]) depthwise filter with only its first tap set, short
 * of padding by as many rows as are dropped.
 */
function crop(full: tf.Tensor4D, extraRows: number, extraColumns: number, filter: Winograd4x4Filter): tf.Tensor4D {
  let y = full;
  if (extraRows > 0) y = tf.depthwiseConv2d(y, filter.cropRows, 1, [[0, 0], [0, 3 - extraRows], [0, 0], [0, 0]]);
  if (extraColumns > 0) y = tf.depthwiseConv2d(y, filter.cropColumns, 1,
    [[0, 0], [0, 0], [0, 3 - extraColumns], [0, 0]]);
  return y;
}

/**
 * conv2d(x, kernel, 1, 'same') (+ bias) for batch 1, the kernel given as
 * winograd4x4Filter(kernel).
 */
export function winograd4x4Conv3x3(x: tf.Tensor4D, filter: Winograd4x4Filter, bias?: tf.Tensor1D): tf.Tensor4D {
  const { height, width, channels, tileRows, tileCols, tiles } = tileGrid(x, filter.inChannels, 4, 'winograd4x4Conv3x3');
  const out = filter.outChannels;
  // Tile (i, j) reads rows 4i-1 .. 4i+4 of x (zero outside). A filter of n
  // taps starting at tile row `offset`, stride 4, with this padding gives
  // exactly tileRows (then tileCols) outputs; XNNPACK pads without a copy.
  const padding = (offset: number, taps: number, size: number, tilesAlong: number): [number, number] => {
    const before = 1 - offset;
    return [before, 4 * (tilesAlong - 1) + taps - size - before];
  };
  return tf.tidy(() => {
    // Tile row a of the products, transformed over its columns: C_a = [Aᵀ M_a·]_q, q = 0..3.
    const tileRow = (a: number): tf.Tensor[] => {
      const rowFilter = INPUT_ROWS[a];
      const rows = tf.depthwiseConv2d(x, filter.rows[a], [4, 1],
        [[0, 0], padding(rowFilter.offset, rowFilter.taps.length, height, tileRows), [0, 0], [0, 0]]);
      const product = (b: number): tf.Tensor[] => {
        const columnFilter = INPUT_ROWS[b];
        const k = 6 * a + b;
        const v = tf.depthwiseConv2d(rows, filter.columns[b], [1, 4],
          [[0, 0], [0, 0], padding(columnFilter.offset, columnFilter.taps.length, width, tileCols), [0, 0]]);
        const lhs = tf.reshape(v, [tiles, channels]) as tf.Tensor2D;
        const m = bias && k === BIAS_POSITION ? tf.fused.matMul({ a: lhs, b: filter.transformed[k], bias })
          : tf.matMul(lhs, filter.transformed[k]);
        tf.dispose([v, lhs]);
        return [m];
      };
      const columns = outputTransform(product).map(([c]) => c);
      rows.dispose();
      return columns;
    };
    // ... then over the tile rows: Y_p = [Aᵀ C]_p, four columns q each.
    const blocks = outputTransform(tileRow).flat(); // Y_pq at 4p + q
    const full = interleaveTiles(blocks, 4, tileRows, tileCols, out);
    return crop(full, 4 * tileRows - height, 4 * tileCols - width, filter);
  });
}

export const WINOGRAD_4X4: WinogradVariant<Winograd4x4Filter> = { filter: winograd4x4Filter, conv: winograd4x4Conv3x3,
  dispose: disposeWinograd4x4Filter };
