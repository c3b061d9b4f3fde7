import { HostImage, hostImage } from './host-image';

/*
 * Colour statistics transfer (the linear "colour histogram matching" of
 * Gatys et al. 2016, "Preserving Color in Neural Artistic Style Transfer",
 * used the other way round): an affine map of the content photo's colours
 * whose mean and 3×3 covariance are the style image's,
 *   x' = Σs^½ Σc^-½ (x − μc) + μs.
 * As a starting point it already has the style's palette, which conv1_1 and
 * conv2_1's Gram matrices mostly measure; the optimiser then spends its
 * iterations on texture and structure instead. And colour preservation:
 * luminance from the result, chrominance from the photo (YIQ).
 */

type Matrix3 = number[][];
interface Statistics { mean: number[]; covariance: Matrix3 }

/**
 * Mean and covariance of a 3-channel image's pixels; with `weights` (a mask, one 0..1 value a pixel), each pixel counts
 * by its weight squared, as a masked painting's Gram counts it (style-masks.ts).
 */
function colourStatistics(image: HostImage, weights?: HostImage | null): Statistics {
  const { data } = image;
  const weight = (p: number) => (weights ? weights.data[p] * weights.data[p] : 1);
  let n = 0;
  const mean = [0, 0, 0];
  for (let i = 0; i < data.length; i += 3) {
    const w = weight(i / 3);
    n += w;
    for (let k = 0; k < 3; k++) mean[k] += w * data[i + k];
  }
  for (let k = 0; k < 3; k++) mean[k] /= n;
  const covariance = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let i = 0; i < data.length; i += 3) {
    const w = weight(i / 3);
    const d = [data[i] - mean[0], data[i + 1] - mean[1], data[i + 2] - mean[2]];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) covariance[a][b] += w * d[a] * d[b];
  }
  return { mean, covariance: covariance.map((row) => row.map((x) => x / n)) };
}

/** Eigen-decomposition of a symmetric 3×3 matrix (cyclic Jacobi rotations). */
export function symmetricEigen(matrix: Matrix3): { values: number[]; vectors: Matrix3 } {
  const a = matrix.map((row) => [...row]);
  const v: Matrix3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[0][1] ** 2 + a[0][2] ** 2 + a[1][2] ** 2;
    if (off < 1e-20 * (a[0][0] ** 2 + a[1][1] ** 2 + a[2][2] ** 2 + 1e-30)) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      if (Math.abs(a[p][q]) < 1e-30) continue;
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) { // A ← A J
        const akp = a[k][p]; const akq = a[k][q];
        a[k][p] = c * akp - s * akq; a[k][q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) { // A ← Jᵀ A
        const apk = a[p][k]; const aqk = a[q][k];
        a[p][k] = c * apk - s * aqk; a[q][k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) { // V ← V J
        const vkp = v[k][p]; const vkq = v[k][q];
        v[k][p] = c * vkp - s * vkq; v[k][q] = s * vkp + c * vkq;
      }
    }
  }
  return { values: [a[0][0], a[1][1], a[2][2]], vectors: v };
}

/** f(Σ) for a symmetric positive semi-definite Σ and a scalar function f of its eigenvalues. */
function matrixFunction(matrix: Matrix3, f: (value: number) => number): Matrix3 {
  const { values, vectors } = symmetricEigen(matrix);
  const entry = (i: number, j: number) =>
    [0, 1, 2].reduce((sum, k) => sum + vectors[i][k] * f(values[k]) * vectors[j][k], 0);
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => entry(i, j)));
}

function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => [0, 1, 2].reduce((sum, k) => sum + a[i][k] * b[k][j], 0)));
}

/**
 * The colour statistics of several images taken together, each counting with its weight (a mixture's moments), each in
 * its part where `masks` gives one.
 */
function blendedStatistics(images: HostImage[], blend: number[], masks?: readonly (HostImage | null)[]): Statistics {
  const stats = images.map((image, i) => colourStatistics(image, masks?.[i]));
  const total = blend.reduce((a, b) => a + b, 0) || 1;
  const weights = blend.map((b) => b / total);
  const mean = [0, 1, 2].map((i) => stats.reduce((sum, s, n) => sum + weights[n] * s.mean[i], 0));
  const covariance = [0, 1, 2].map((i) => [0, 1, 2].map((j) => stats.reduce(
    (sum, s, n) => sum + weights[n] * (s.covariance[i][j] + s.mean[i] * s.mean[j]), 0) - mean[i] * mean[j]));
  return { mean, covariance };
}

/** y = A x + b for every pixel of a 3-channel image. */
/** a·x + b at every pixel, into a new image or (`inPlace`) into image's own values. */
function affine(image: HostImage, a: Matrix3, b: number[], inPlace = false): HostImage {
  const d = image.data;
  const out = inPlace ? d : new Float32Array(d.length);
  for (let i = 0; i < d.length; i += 3) {
    const [x0, x1, x2] = [d[i], d[i + 1], d[i + 2]];
    for (let r = 0; r < 3; r++) out[i + r] = a[r][0] * x0 + a[r][1] * x1 + a[r][2] * x2 + b[r];
  }
  return hostImage(image.height, image.width, 3, out);
}

/**
 * `content` recoloured so that its pixels' mean and covariance are those of `styles` (blended by `blend`; each in its
 * part where `styleMasks`, at its size, gives one); sizes may differ. `inPlace`: in content's own values (at a
 * print's size a second copy would be the scale's peak).
 */
export function matchColourStatistics(content: HostImage, styles: HostImage[],
  blend: number[] = styles.map(() => 1), inPlace = false, styleMasks?: readonly (HostImage | null)[]): HostImage {
  const c = colourStatistics(content);
  const s = blendedStatistics(styles, blend, styleMasks);
  // A small ridge keeps a flat (single-colour) photo from dividing by zero.
  const ridge = 1e-3;
  const withRidge = (m: Matrix3) => m.map((row, i) => row.map((x, j) => x + (i === j ? ridge : 0)));
  const transform = multiply(matrixFunction(withRidge(s.covariance), (x) => Math.sqrt(Math.max(x, 0))),
    matrixFunction(withRidge(c.covariance), (x) => 1 / Math.sqrt(Math.max(x, ridge))));
  // y = T (x − μc) + μs = T x + (μs − T μc).
  const offset = [0, 1, 2].map((r) => s.mean[r] - [0, 1, 2].reduce((sum, k) => sum + transform[r][k] * c.mean[k], 0));
  return affine(content, transform, offset, inPlace);
}

// YIQ, for colour preservation. The pixels are BGR, so the RGB matrices' channel order is reversed.
const RGB_TO_YIQ = [[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]];
const YIQ_TO_RGB = [[1, 0.956, 0.621], [1, -0.272, -0.647], [1, -1.106, 1.703]];
const reverseColumns = (m: Matrix3) => m.map((row) => [...row].reverse());
const BGR_TO_YIQ = reverseColumns(RGB_TO_YIQ);
const YIQ_TO_BGR = [...YIQ_TO_RGB].reverse();

/**
 * Luminance of `stylized`, chrominance of `content` (both in the network's
 * convention, the same size). Like jcjohnson's -original_colors 1.
 */
export function keepContentColors(stylized: HostImage, content: HostImage, mean: readonly number[]): HostImage {
  const out = new Float32Array(stylized.data.length);
  const s = stylized.data;
  const c = content.data;
  const yiq = (d: Float32Array, i: number, row: number) =>
    BGR_TO_YIQ[row][0] * (d[i] + mean[0]) + BGR_TO_YIQ[row][1] * (d[i + 1] + mean[1])
    + BGR_TO_YIQ[row][2] * (d[i + 2] + mean[2]);
  for (let i = 0; i < s.length; i += 3) {
    const y = yiq(s, i, 0);
    const iq = [yiq(c, i, 1), yiq(c, i, 2)];
    for (let r = 0; r < 3; r++) {
      out[i + r] = YIQ_TO_BGR[r][0] * y + YIQ_TO_BGR[r][1] * iq[0] + YIQ_TO_BGR[r][2] * iq[1] - mean[r];
    }
  }
  return hostImage(stylized.height, stylized.width, 3, out);
}
