import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { gram } from '../../../packages/engine/src/core/ops/gram';
import { contentLoss, normalizedGram, styleLayerLoss, totalVariationLoss } from '../../../packages/engine/src/core/losses';
import { testEngine } from '../helpers';

describe('losses on hand-computed cases', () => {
  before(async () => { await testEngine(); });

  it('Gram matrix is FᵀF over positions', () => {
    // 2 positions (1x2), 2 channels: F = [[1,2],[3,4]] → FᵀF = [[10,14],[14,20]]
    const f = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]);
    expect(Array.from(gram(f).dataSync())).to.deep.equal([10, 14, 14, 20]);
    expect(Array.from(normalizedGram(f).dataSync())).to.deep.equal([5, 7, 7, 10]);
  });

  it('content loss is 1/2 Σ (F − P)²', () => {
    const f = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]);
    const p = tf.tensor4d([0, 2, 5, 1], [1, 1, 2, 2]);
    // differences 1, 0, -2, 3 → squares 1 + 0 + 4 + 9 = 14 → 7
    expect(contentLoss(f, p).dataSync()[0]).to.equal(7);
  });

  it('style loss is 1/(4N²) Σ (G/M − A)², the paper\'s E_l when sizes match', () => {
    const f = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]); // G/M = [[5,7],[7,10]], N = 2
    const a = tf.tensor2d([[4, 7], [7, 12]]); // differences 1, 0, 0, -2 → 5
    expect(styleLayerLoss(f, a).dataSync()[0]).to.be.closeTo(5 / 16, 1e-7);
    // The paper's form with A = raw Gram of a same-size style image: 1/(4 N² M²) Σ (G − A_raw)²
    const aRaw = tf.mul(a, 2);
    const paper = tf.sum(tf.squaredDifference(gram(f), aRaw)).dataSync()[0] / (4 * 4 * 4);
    expect(styleLayerLoss(f, a).dataSync()[0]).to.be.closeTo(paper, 1e-7);
  });

  it('total variation sums squared differences of neighbours', () => {
    // 2x2 image, 1 channel: [[0,1],[3,7]] → down: (3-0)²+(7-1)² = 45, right: (1-0)²+(7-3)² = 17
    const x = tf.tensor4d([0, 1, 3, 7], [1, 2, 2, 1]);
    expect(totalVariationLoss(x).dataSync()[0]).to.equal(62);
  });
});
