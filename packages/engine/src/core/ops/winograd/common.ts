import * as tf from '@tensorflow/tfjs';

/*
 * What Winograd's F(2x2, 3x3) (f2x2.ts) and F(4x4, 3x3) (f4x4.ts) share: the filter transform, channel-tiled depthwise
 * filters, the input check and tile grid, and putting the output tiles in place.
 */

/** One Winograd algorithm: its kernel transform, the convolution, and freeing the transform. */
export interface WinogradVariant<Filter> {
  /** Transforms a [3, 3, in, out] kernel once; the caller owns the result, which outlives any tidy. */
  filter(kernel: tf.Tensor4D): Filter;
  /** conv2d(x, kernel, 1, 'same') (+ bias) for batch 1. */
  conv(x: tf.Tensor4D, filter: Filter, bias?: tf.Tensor1D): tf.Tensor4D;
  dispose(filter: Filter): void;
}

/**
 * U_(a,b) = (G g Gᵀ)_(a,b) = Σ_ij G[a][i] G[b][j] g_ij for every tile position
 * k = n·a + b (n = rows of G), each [in, out] and kept: one [1, 9] x [9, in*out]
 * product per position (a split of one [n², 9] product would copy the whole
 * result per piece on wasm).
 */
export function transformKernel(kernel: tf.Tensor4D, G: readonly (readonly number[])[], caller: string): tf.Tensor2D[] {
  const [kh, kw, inChannels, outChannels] = kernel.shape;
  if (kh !== 3 || kw !== 3) throw new Error(`${caller}: a 3x3 kernel is needed, got ${kh}x${kw}`);
  return tf.tidy(() => {
    const taps = tf.reshape(kernel, [9, inChannels * outChannels]) as tf.Tensor2D;
    return G.flatMap((ga) => G.map((gb) => {
      const weights = ga.flatMap((x) => gb.map((y) => x * y));
      return tf.keep(tf.reshape(tf.matMul(tf.tensor2d(weights, [1, 9]), taps),
        [inChannels, outChannels]) as tf.Tensor2D);
    }));
  });
}

/** A depthwise filter `taps` of the given shape, the same for each of `channels` channels, kept. */
export function channelFilter(taps: readonly number[], shape: [number, number], channels: number): tf.Tensor4D {
  return tf.keep(tf.tidy(() => tf.tile(tf.tensor4d([...taps], [...shape, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D));
}

/** An input's size and its grid of n x n output tiles (the last row/column of tiles may reach past the image). */
export interface TileGrid {
  height: number;
  width: number;
  channels: number;
  tileRows: number;
  tileCols: number;
  tiles: number;
}

/** The tile grid of x for n x n output tiles; throws unless x is [1, h, w, inChannels]. */
export function tileGrid(x: tf.Tensor4D, inChannels: number, n: number, caller: string): TileGrid {
  const [batch, height, width, channels] = x.shape;
  if (batch !== 1 || channels !== inChannels) throw new Error(`${caller}: expected [1, h, w, ${inChannels}], got [${x.shape}]`);
  const tileRows = Math.ceil(height / n);
  const tileCols = Math.ceil(width / n);
  return { height, width, channels, tileRows, tileCols, tiles: tileRows * tileCols };
}

/**
 * The n x n output blocks Y_pq ([tiles, channels] each, at index n·p + q) put
 * in place as [1, n·tileRows, n·tileCols, channels]: [p, q, tileRow, tileCol, c]
 * -> [tileRow, p, tileCol, q, c] by two transposes that keep the channel axis
 * innermost (the others are scalar loops on wasm). Frees the blocks.
 */
export function interleaveTiles(blocks: tf.Tensor[], n: number, tileRows: number, tileCols: number,
  channels: number): tf.Tensor4D {
  const stacked = tf.reshape(tf.concat(blocks, 0), [n * n, tileRows, tileCols * channels]);
  tf.dispose(blocks);
  const rowsInterleaved = tf.reshape(tf.transpose(stacked, [1, 0, 2]), [n * tileRows, n, tileCols, channels]);
  stacked.dispose();
  const full = tf.reshape(tf.transpose(rowsInterleaved, [0, 2, 1, 3]),
    [1, n * tileRows, n * tileCols, channels]) as tf.Tensor4D;
  rowsInterleaved.dispose();
  return full;
}
