import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { matchColourStatistics, symmetricEigen } from '../../packages/engine/src/core/color-transfer';
import { testEngine } from './helpers';

function statistics(image: tf.Tensor4D): { mean: number[]; cov: number[] } {
  const px = Array.from(image.dataSync());
  const n = px.length / 3;
  const mean = [0, 1, 2].map((c) => px.filter((_, i) => i % 3 === c).reduce((a, b) => a + b, 0) / n);
  const cov: number[] = [];
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += (px[3 * i + a] - mean[a]) * (px[3 * i + b] - mean[b]);
    cov.push(s / n);
  }
  return { mean, cov };
}

/** A random image with correlated channels. */
function colourful(h: number, w: number, mix: number[][], offset: number[]): tf.Tensor4D {
  return tf.tidy(() => tf.add(tf.reshape(tf.matMul(tf.randomNormal([h * w, 3], 0, 30), tf.tensor2d(mix)), [1, h, w, 3]), tf.tensor1d(offset))) as tf.Tensor4D;
}

describe('colour statistics transfer (init content-in-style-colors)', function () {
  before(async () => { await testEngine(); });

  it('symmetricEigen reconstructs a symmetric matrix', () => {
    const m = [[4, 1, -2], [1, 3, 0.5], [-2, 0.5, 6]];
    const { values, vectors: v } = symmetricEigen(m);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const r = [0, 1, 2].reduce((s, k) => s + v[i][k] * values[k] * v[j][k], 0);
      expect(r).to.be.closeTo(m[i][j], 1e-9);
    }
  });

  it("gives the content the style's colour mean and covariance, sizes apart", () => {
    const content = colourful(20, 30, [[1, 0.2, 0], [0, 0.5, 0.3], [0.1, 0, 1.5]], [10, -20, 5]);
    const style = colourful(25, 25, [[0.3, 1, 0.2], [1, 0, 0], [0, 0.2, 0.7]], [-40, 30, 60]);
    const out = matchColourStatistics(content, [style]);
    const got = statistics(out);
    const want = statistics(style);
    got.mean.forEach((m, i) => expect(m).to.be.closeTo(want.mean[i], 0.05));
    got.cov.forEach((c, i) => expect(c).to.be.closeTo(want.cov[i], 0.01 * Math.abs(want.cov[0]) + 0.05));
    // Twice the same style, blended, is that style.
    const twice = matchColourStatistics(content, [style, style], [3, 1]);
    expect(tf.max(tf.abs(tf.sub(twice, out))).dataSync()[0]).to.be.below(1e-2);
    tf.dispose([content, style, out, twice]);
  });

  it('survives a flat, single-colour photo', () => {
    const flat = tf.fill([1, 8, 8, 3], 12) as tf.Tensor4D;
    const style = colourful(8, 8, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0]);
    const out = matchColourStatistics(flat, [style]);
    expect(Array.from(out.dataSync()).every(Number.isFinite)).to.equal(true);
    tf.dispose([flat, style, out]);
  });
});
