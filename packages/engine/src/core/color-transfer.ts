import * as tf from '@tensorflow/tfjs';

/*
 * Colour statistics transfer (the linear "colour histogram matching" of
 * Gatys et al. 2016, "Preserving Color in Neural Artistic Style Transfer",
 * used the other way round): an affine map of the content photo's colours
 * whose mean and 3×3 covariance are the style image's,
 *   x' = Σs^½ Σc^-½ (x − μc) + μs.
 * As a starting point it already has the style's palette, which conv1_1 and
 * conv2_1's Gram matrices mostly measure; the optimiser then spends its
 * iterations on texture and structure instead.
 */

type Matrix3 = number[][];

/** Mean and covariance of an [1, H, W, 3] image's pixels. */
function colourStatistics(image: tf.Tensor4D): { mean: number[]; covariance: Matrix3 } {
  const [mean, covariance] = tf.tidy(() => {
    const pixels = tf.reshape(image, [-1, 3]);
    const m = tf.mean(pixels, 0);
    const centred = tf.sub(pixels, m);
    // Σ = Xᵀ X / n: a [3, n] × [n, 3] product (9n multiply-adds, cheap even as wasm's scalar transposed matMul).
    const cov = tf.div(tf.matMul(centred, centred, true, false), pixels.shape[0]);
    return [m, cov];
  });
  const m = Array.from(mean.dataSync());
  const c = Array.from(covariance.dataSync());
  tf.dispose([mean, covariance]);
  return { mean: m, covariance: [c.slice(0, 3), c.slice(3, 6), c.slice(6, 9)] };
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
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => [0, 1, 2].reduce((sum, k) => sum + vectors[i][k] * f(values[k]) * vectors[j][k], 0)));
}

function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => [0, 1, 2].reduce((sum, k) => sum + a[i][k] * b[k][j], 0)));
}

/** The colour statistics of several style images taken together, each counting with its blend weight (a mixture's moments). */
function blendedStatistics(styles: tf.Tensor4D[], blend: number[]): { mean: number[]; covariance: Matrix3 } {
  const stats = styles.map(colourStatistics);
  const total = blend.reduce((a, b) => a + b, 0) || 1;
  const weights = blend.map((b) => b / total);
  const mean = [0, 1, 2].map((i) => stats.reduce((sum, s, n) => sum + weights[n] * s.mean[i], 0));
  const covariance = [0, 1, 2].map((i) => [0, 1, 2].map((j) => stats.reduce(
    (sum, s, n) => sum + weights[n] * (s.covariance[i][j] + s.mean[i] * s.mean[j]), 0) - mean[i] * mean[j]));
  return { mean, covariance };
}

/**
 * `content` recoloured so that its pixels' mean and covariance are those of
 * `styles` (blended by `blend`). Any common colour convention, [1, H, W, 3];
 * sizes may differ.
 */
export function matchColourStatistics(content: tf.Tensor4D, styles: tf.Tensor4D[], blend: number[] = styles.map(() => 1)): tf.Tensor4D {
  const c = colourStatistics(content);
  const s = blendedStatistics(styles, blend);
  // A small ridge keeps a flat (single-colour) photo from dividing by zero.
  const ridge = 1e-3;
  const withRidge = (m: Matrix3) => m.map((row, i) => row.map((x, j) => x + (i === j ? ridge : 0)));
  const transform = multiply(matrixFunction(withRidge(s.covariance), (x) => Math.sqrt(Math.max(x, 0))),
    matrixFunction(withRidge(c.covariance), (x) => 1 / Math.sqrt(Math.max(x, ridge))));
  return tf.tidy(() => {
    const [, h, w] = content.shape;
    // y = A (x − μc) + μs for every pixel: (x − μc) Aᵀ as an [n, 3] × [3, 3] product.
    const centred = tf.sub(tf.reshape(content, [-1, 3]), tf.tensor1d(c.mean));
    const transposed = tf.tensor2d([0, 1, 2].map((i) => [0, 1, 2].map((j) => transform[j][i])));
    return tf.reshape(tf.add(tf.matMul(centred, transposed), tf.tensor1d(s.mean)), [1, h, w, 3]) as tf.Tensor4D;
  });
}
