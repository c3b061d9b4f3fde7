import { expect } from 'chai';
import { matchColourStatistics, symmetricEigen } from '../../../packages/engine/src/core/image/colour';
import { HostImage, hostImage } from '../../../packages/engine/src/core/image/host-image';
import { uniformNoise } from '../../../packages/engine/src/core/image/noise';

function statistics(image: HostImage): { mean: number[]; cov: number[] } {
  const px = image.data;
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

/** A random image with correlated channels: noise mixed by `mix`, plus `offset`. */
function colourful(h: number, w: number, mix: number[][], offset: number[], seed: number): HostImage {
  const noise = uniformNoise(h, w, 3, seed).data;
  const out = new Float32Array(noise.length);
  for (let i = 0; i < noise.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      out[i + c] = 0.4 * (mix[0][c] * noise[i] + mix[1][c] * noise[i + 1] + mix[2][c] * noise[i + 2]) + offset[c];
    }
  }
  return hostImage(h, w, 3, out);
}

describe('colour statistics transfer (init content-in-style-colors)', () => {
  it('symmetricEigen reconstructs a symmetric matrix', () => {
    const m = [[4, 1, -2], [1, 3, 0.5], [-2, 0.5, 6]];
    const { values, vectors: v } = symmetricEigen(m);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const r = [0, 1, 2].reduce((s, k) => s + v[i][k] * values[k] * v[j][k], 0);
      expect(r).to.be.closeTo(m[i][j], 1e-9);
    }
  });

  it("gives the content the style's colour mean and covariance, sizes apart", () => {
    const content = colourful(20, 30, [[1, 0.2, 0], [0, 0.5, 0.3], [0.1, 0, 1.5]], [10, -20, 5], 1);
    const style = colourful(25, 25, [[0.3, 1, 0.2], [1, 0, 0], [0, 0.2, 0.7]], [-40, 30, 60], 2);
    const out = matchColourStatistics(content, [style]);
    const got = statistics(out);
    const want = statistics(style);
    got.mean.forEach((m, i) => expect(m).to.be.closeTo(want.mean[i], 0.05));
    got.cov.forEach((c, i) => expect(c).to.be.closeTo(want.cov[i], 0.01 * Math.abs(want.cov[0]) + 0.05));
    // Twice the same style, blended, is that style.
    const twice = matchColourStatistics(content, [style, style], [3, 1]);
    twice.data.forEach((v, i) => expect(v).to.be.closeTo(out.data[i], 1e-2));
  });

  it('takes a masked painting\'s colours from its masked part alone (a style mask)', () => {
    const content = colourful(20, 30, [[1, 0.2, 0], [0, 0.5, 0.3], [0.1, 0, 1.5]], [10, -20, 5], 1);
    const top = colourful(10, 24, [[0.3, 1, 0.2], [1, 0, 0], [0, 0.2, 0.7]], [-40, 30, 60], 2);
    const bottom = colourful(14, 24, [[1, 0, 0], [0, 0.1, 0], [0, 0, 2]], [70, 0, -50], 3);
    const painting = hostImage(24, 24, 3, Float32Array.from([...top.data, ...bottom.data]));
    const topOnly = hostImage(24, 24, 1, Float32Array.from({ length: 24 * 24 }, (_, p) => (p < 10 * 24 ? 1 : 0)));
    const got = statistics(matchColourStatistics(content, [painting], [1], false, [topOnly]));
    const want = statistics(top);
    got.mean.forEach((m, i) => expect(m, `mean ${i}`).to.be.closeTo(want.mean[i], 0.05));
    got.cov.forEach((c, i) => expect(c, `covariance ${i}`).to.be.closeTo(want.cov[i], 0.01 * Math.abs(want.cov[0]) + 0.05));
  });

  it('survives a flat, single-colour photo', () => {
    const flat = hostImage(8, 8, 3, new Float32Array(8 * 8 * 3).fill(12));
    const style = colourful(8, 8, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0], 3);
    expect(Array.from(matchColourStatistics(flat, [style]).data).every(Number.isFinite)).to.equal(true);
  });

  it('seeded noise is uniform in [-128, 128) and the same for the same seed', () => {
    const a = uniformNoise(30, 40, 3, 7);
    expect(Array.from(uniformNoise(30, 40, 3, 7).data)).to.deep.equal(Array.from(a.data));
    expect(Array.from(uniformNoise(30, 40, 3, 8).data)).to.not.deep.equal(Array.from(a.data));
    const values = Array.from(a.data);
    expect(Math.min(...values)).to.be.at.least(-128);
    expect(Math.max(...values)).to.be.below(128);
    expect(values.reduce((s, v) => s + v, 0) / values.length).to.be.closeTo(0, 3);
  });
});
