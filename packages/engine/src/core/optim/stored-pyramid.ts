import { HostImage, hostImage } from '../image/host-image';
import { cropRows, rowBands, StoredImage, Values } from '../image/stored-image';
import { pyramidLevels, PyramidLevel } from './pyramid';
import { PYRAMID_LEVEL_WEIGHT as LEVEL_WEIGHT } from '../tuning';

/*
 * The Laplacian-style pyramid of pyramid.ts (x = z₀ + w·up(z₁ + w·up(z₂ + …)))
 * for a tiled scale, whose image and value live where their stores keep them
 * (scratch files at a print's size), so a tiled scale is optimised as a whole
 * one is. up() is the same bilinear 2× upsampling, the transposed
 * convolution with taps [¼, ¾, ¾, ¼] and zero padding, here as its two
 * phases: y[2j] = ¾ x[j] + ¼ x[j−1], y[2j+1] = ¾ x[j] + ¼ x[j+1].
 * Not pyramid.ts's code: that runs on the backend, which cannot hold a tiled
 * scale's image whole. The finest level (three quarters of the values) moves
 * a band of rows at a time; the coarser ones, a quarter of the image's values
 * at most, are collapsed in memory. The levels and the weight are shared;
 * pyramid.test.ts holds the two equal. `circular` (seamless): the neighbour
 * past an edge is the opposite edge's, as in pyramid.ts's circularUpsample2x
 * (seamless.test.ts holds the two equal). With one level, the value is the
 * pixels themselves.
 */

/** Upsamples `src` (rows × cols × 3) 2× along one axis, to `length` along it. */
function upAxis(src: Float32Array, rows: number, cols: number, axis: 0 | 1, length: number,
  circular: boolean): Float32Array {
  const outRows = axis === 0 ? length : rows;
  const outCols = axis === 1 ? length : cols;
  const out = new Float32Array(outRows * outCols * 3);
  const n = axis === 0 ? rows : cols;
  const at = (r: number, c: number, k: number) => src[(r * cols + c) * 3 + k];
  for (let r = 0; r < outRows; r++) {
    for (let c = 0; c < outCols; c++) {
      const i = axis === 0 ? r : c;
      const j = i >> 1;
      const step = i % 2 === 0 ? j - 1 : j + 1;
      const neighbour = circular ? (step + n) % n : step;
      for (let k = 0; k < 3; k++) {
        const near = axis === 0 ? at(j, c, k) : at(r, j, k);
        const far = neighbour < 0 || neighbour >= n ? 0 : axis === 0 ? at(neighbour, c, k) : at(r, neighbour, k);
        out[(r * outCols + c) * 3 + k] = 0.75 * near + 0.25 * far;
      }
    }
  }
  return out;
}

/** The adjoint of upAxis: from `length` along the axis back to `n`. */
function upAxisAdjoint(g: Float32Array, rows: number, cols: number, axis: 0 | 1, n: number,
  circular: boolean): Float32Array {
  const outRows = axis === 0 ? n : rows;
  const outCols = axis === 1 ? n : cols;
  const length = axis === 0 ? rows : cols;
  const out = new Float32Array(outRows * outCols * 3);
  const read = (i: number, r: number, c: number, k: number) => (i < 0 || i >= length ? 0
    : axis === 0 ? g[(i * cols + c) * 3 + k] : g[(r * cols + i) * 3 + k]);
  const at = (i: number, r: number, c: number, k: number) => read(circular ? (i + length) % length : i, r, c, k);
  for (let r = 0; r < outRows; r++) {
    for (let c = 0; c < outCols; c++) {
      const j = axis === 0 ? r : c;
      for (let k = 0; k < 3; k++) {
        out[(r * outCols + c) * 3 + k] = 0.25 * at(2 * j - 1, r, c, k) + 0.75 * at(2 * j, r, c, k)
          + 0.75 * at(2 * j + 1, r, c, k) + 0.25 * at(2 * j + 2, r, c, k);
      }
    }
  }
  return out;
}

/** Bilinear 2× upsampling of level `from` to the size of level `to` (one level finer). */
function upsample(data: Float32Array, from: PyramidLevel, to: PyramidLevel, circular: boolean): Float32Array {
  const rows = upAxis(data, from.height, from.width, 0, to.height, circular);
  return upAxis(rows, to.height, from.width, 1, to.width, circular);
}

function upsampleAdjoint(data: Float32Array, to: PyramidLevel, from: PyramidLevel, circular: boolean): Float32Array {
  const cols = upAxisAdjoint(data, to.height, to.width, 1, from.width, circular);
  return upAxisAdjoint(cols, to.height, from.width, 0, from.height, circular);
}

/** Rows [top, top + count) of upsample(x, from, to): the rows' phase first, then upAxis along the columns. */
function upsampleRows(x: Float32Array, from: PyramidLevel, to: PyramidLevel, top: number, count: number,
  circular: boolean): Float32Array {
  const n = from.height;
  const row = from.width * 3;
  const rows = new Float32Array(count * row);
  for (let r = 0; r < count; r++) {
    const i = top + r;
    const j = i >> 1;
    const step = i % 2 === 0 ? j - 1 : j + 1;
    const neighbour = circular ? (step + n) % n : step;
    for (let v = 0; v < row; v++) {
      const far = neighbour < 0 || neighbour >= n ? 0 : x[neighbour * row + v];
      rows[r * row + v] = 0.75 * x[j * row + v] + 0.25 * far;
    }
  }
  return upAxis(rows, count, from.width, 1, to.width, circular);
}

/**
 * Rows [top, top + count) of upsampleAdjoint(g, to, from), g read from its store: each output row takes input rows
 * 2j − 1 … 2j + 2, which the band reads (wrapping on a torus; zero past the edges otherwise).
 */
function upsampleAdjointRows(g: StoredImage, to: PyramidLevel, from: PyramidLevel, top: number, count: number,
  circular: boolean): Float32Array {
  const first = circular ? 2 * top - 1 : Math.max(0, 2 * top - 1);
  const end = circular ? 2 * (top + count) + 1 : Math.min(to.height, 2 * (top + count) + 1);
  const cols = upAxisAdjoint(cropRows(g, first, end - first, circular).data, end - first, to.width, 1, from.width,
    circular);
  const row = from.width * 3;
  const at = (i: number, v: number) => (!circular && (i < 0 || i >= to.height) ? 0 : cols[(i - first) * row + v]);
  const out = new Float32Array(count * row);
  for (let r = 0; r < count; r++) {
    const j = top + r;
    for (let v = 0; v < row; v++) {
      out[r * row + v] = 0.25 * at(2 * j - 1, v) + 0.75 * at(2 * j, v) + 0.75 * at(2 * j + 1, v)
        + 0.25 * at(2 * j + 2, v);
    }
  }
  return out;
}

/**
 * The maps between a pyramid's value (its levels in one flat vector, in Values) and its image (a StoredImage), for
 * an image of height × width; with `maxLevels` 1, the pixels themselves.
 */
export class StoredPyramidMaps {
  readonly levels: PyramidLevel[];
  readonly length: number;

  constructor(height: number, width: number, private readonly circular = false, maxLevels?: number,
    private readonly bandValues?: number) {
    this.levels = pyramidLevels(height, width, maxLevels, circular);
    this.length = this.levels.reduce((sum, l) => sum + l.size, 0);
  }

  /** Writes the value of `image` into `z`, which holds zeros: the image in level 0, the coarser levels zero. */
  fromImage(image: StoredImage, z: Values): void {
    const row = this.levels[0].width * 3;
    for (const { top, count } of this.bands()) z.write(top * row, cropRows(image, top, count).data);
  }

  /** Writes the image of `z` into `out`. */
  toImage(z: Values, out: StoredImage): void {
    const coarse = this.coarseImage(z);
    const fine = this.levels[0];
    for (const { top, count } of this.bands()) {
      const band = new Float32Array(count * fine.width * 3);
      z.read(top * fine.width * 3, band);
      out.write(this.imageBand(band, coarse, top, count), top, 0);
    }
  }

  /** Writes d/dz into `out`, given d/d(image): the adjoint of toImage. */
  gradient(imageGradient: StoredImage, out: Values): void {
    const row = this.levels[0].width * 3;
    for (const { top, count } of this.bands()) out.write(top * row, cropRows(imageGradient, top, count).data);
    if (this.levels.length === 1) return;
    const [fine, next] = this.levels;
    let r: Float32Array = new Float32Array(next.size);
    for (const { top, count } of this.bands(next)) {
      r.set(upsampleAdjointRows(imageGradient, fine, next, top, count, this.circular), top * next.width * 3);
    }
    for (let k = 1; k < this.levels.length; k++) {
      if (k > 1) r = upsampleAdjoint(r, this.levels[k - 1], this.levels[k], this.circular);
      for (let i = 0; i < r.length; i++) r[i] *= LEVEL_WEIGHT;
      out.write(this.levels[k].offset, r);
    }
  }

  /**
   * Writes into `out` the value `z` with level 0 moved by after − before (images of the same size): the value whose
   * image is `after` when `before` is z's image, the coarse levels unchanged.
   */
  shiftFinest(z: Values, out: Values, before: StoredImage, after: StoredImage): void {
    const row = this.levels[0].width * 3;
    for (const { top, count } of this.bands()) {
      const band = new Float32Array(count * row);
      z.read(top * row, band);
      const [from, to] = [cropRows(before, top, count).data, cropRows(after, top, count).data];
      for (let i = 0; i < band.length; i++) band[i] += to[i] - from[i];
      out.write(top * row, band);
    }
    if (this.levels.length === 1) return;
    const coarse = new Float32Array(this.length - this.levels[1].offset);
    z.read(this.levels[1].offset, coarse);
    out.write(this.levels[1].offset, coarse);
  }

  /** Bands of rows of a level (the finest by default). */
  private bands(level = this.levels[0]): { top: number; count: number }[] {
    return rowBands(level.height, level.width * 3, this.bandValues);
  }

  /** The coarse levels collapsed to level 1's image, in memory; null with one level. */
  private coarseImage(z: Values): Float32Array | null {
    if (this.levels.length === 1) return null;
    const base = this.levels[1].offset;
    const coarse = new Float32Array(this.length - base);
    z.read(base, coarse);
    const last = this.levels[this.levels.length - 1];
    let x: Float32Array = coarse.slice(last.offset - base, last.offset - base + last.size);
    for (let k = this.levels.length - 2; k >= 1; k--) {
      const level = this.levels[k];
      const up = upsample(x, this.levels[k + 1], level, this.circular);
      for (let i = 0; i < up.length; i++) up[i] = coarse[level.offset - base + i] + LEVEL_WEIGHT * up[i];
      x = up;
    }
    return x;
  }

  /** Rows [top, top + count) of the image: level 0's band, plus the upsampled coarse image's rows. */
  private imageBand(band: Float32Array, coarse: Float32Array | null, top: number, count: number): HostImage {
    const fine = this.levels[0];
    if (!coarse) return hostImage(count, fine.width, 3, band);
    const up = upsampleRows(coarse, this.levels[1], fine, top, count, this.circular);
    for (let i = 0; i < up.length; i++) up[i] = band[i] + LEVEL_WEIGHT * up[i];
    return hostImage(count, fine.width, 3, up);
  }
}
