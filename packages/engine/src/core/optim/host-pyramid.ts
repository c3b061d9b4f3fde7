import { HostImage, hostImage } from '../image/host-image';
import { Parameterization } from './parameterization';
import { pyramidLevels, PyramidLevel } from './pyramid';
import { PYRAMID_LEVEL_WEIGHT as LEVEL_WEIGHT } from '../tuning';
import { HostMaps } from './host-variable';
import { Projection } from './vector-space';

/*
 * The Laplacian-style pyramid of pyramid.ts (x = z₀ + w·up(z₁ + w·up(z₂ + …)))
 * for an image in ordinary memory, so a tiled scale is optimised as a whole
 * one is. up() is the same bilinear 2× upsampling, the transposed
 * convolution with taps [¼, ¾, ¾, ¼] and zero padding, here as its two
 * phases: y[2j] = ¾ x[j] + ¼ x[j−1], y[2j+1] = ¾ x[j] + ¼ x[j+1].
 * Not pyramid.ts's code: that runs on the backend, and a tiled scale's image
 * is in ordinary memory because the backend cannot hold it whole. The levels
 * and the weight are shared; pyramid.test.ts holds the two equal. `circular`
 * (seamless): the neighbour past an edge is the opposite edge's, as in
 * pyramid.ts's circularUpsample2x (seamless.test.ts holds the two equal).
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

/** The pyramid's maps for an image of height × width in ordinary memory. */
export class HostPyramidMaps implements HostMaps {
  private readonly levels: PyramidLevel[];

  readonly length: number;

  constructor(height: number, width: number, private readonly circular = false) {
    this.levels = pyramidLevels(height, width, undefined, circular);
    this.length = this.levels.reduce((sum, l) => sum + l.size, 0);
  }

  /** The image in level 0, the coarser levels zero. */
  fromImage(image: HostImage): Float32Array {
    const z = new Float32Array(this.length);
    z.set(image.data);
    return z;
  }

  toImage(z: Float32Array): HostImage {
    const last = this.levels.length - 1;
    let x: Float32Array = z.slice(this.levels[last].offset, this.levels[last].offset + this.levels[last].size);
    for (let k = last - 1; k >= 0; k--) {
      const level = this.levels[k];
      const up = upsample(x, this.levels[k + 1], level, this.circular);
      for (let i = 0; i < up.length; i++) up[i] = z[level.offset + i] + LEVEL_WEIGHT * up[i];
      x = up;
    }
    return hostImage(this.levels[0].height, this.levels[0].width, 3, x);
  }

  /** The adjoint of toImage. */
  gradient(imageGradient: HostImage): Float32Array {
    const out = new Float32Array(this.length);
    this.gradientParts(imageGradient, (offset, values) => out.set(values, offset));
    return out;
  }

  /** The gradient level by level, the finest first: level 0 is the image's gradient itself. */
  gradientParts(imageGradient: HostImage, visit: (offset: number, values: Float32Array) => void): void {
    let r: Float32Array = imageGradient.data;
    visit(0, r);
    for (let k = 1; k < this.levels.length; k++) {
      r = upsampleAdjoint(r, this.levels[k - 1], this.levels[k], this.circular);
      for (let i = 0; i < r.length; i++) r[i] *= LEVEL_WEIGHT;
      visit(this.levels[k].offset, r);
    }
  }

  /**
   * A z whose image is clip(image(candidate)): the difference goes into level 0, so the coarse levels keep what they
   * hold. With `reuse`, in the candidate's own values (the caller's copy).
   */
  project(candidate: Float32Array, clip: Projection<HostImage>, reuse = false): { z: Float32Array; image: HostImage } {
    const image = this.toImage(candidate);
    const clipped = clip(image);
    const z = reuse ? candidate : candidate.slice();
    for (let i = 0; i < clipped.data.length; i++) z[i] += clipped.data[i] - image.data[i];
    return { z, image: clipped };
  }
}
