import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Lbfgs } from '../../packages/engine/src/core/optimizers';
import { testEngine } from './helpers';

/** f(x) = ½ Σ dᵢ (xᵢ − cᵢ)², an ill-conditioned quadratic with its minimum at c. */
function quadratic(d: tf.Tensor1D, c: tf.Tensor1D) {
  return (x: tf.Tensor) => tf.tidy(() => {
    const diff = tf.sub(x, c);
    return { loss: tf.sum(tf.mul(tf.mul(d, tf.square(diff)), 0.5)).dataSync()[0], grad: tf.mul(d, diff) };
  });
}

describe('L-BFGS', function () {
  before(async () => { await testEngine(); });

  it('stays inside the box it is given and finds the constrained minimum', () => {
    const d = tf.tensor1d([1, 10, 100, 0.5]);
    const c = tf.tensor1d([3, -3, 0.5, 2]);
    const f = quadratic(d, c);
    const opt = new Lbfgs(10, (x) => tf.clipByValue(x, -1, 1));
    let x: tf.Tensor = tf.zeros([4]);
    for (let i = 0; i < 60; i++) {
      const { loss, grad } = f(x);
      const next = opt.next(x, loss, grad);
      grad.dispose(); x.dispose(); x = next;
      const v = Array.from(x.dataSync());
      expect(Math.max(...v.map(Math.abs)), `iteration ${i}`).to.be.at.most(1 + 1e-6);
    }
    const v = Array.from(x.dataSync());
    [1, -1, 0.5, 1].forEach((want, i) => expect(v[i]).to.be.closeTo(want, 1e-3));
    opt.dispose();
    tf.dispose([x, d, c]);
  });

  it('takes a step back when the loss more than doubles, and frees everything', () => {
    const before = tf.memory().numTensors;
    const opt = new Lbfgs(5);
    const x0 = tf.tensor1d([1, 1]);
    const g0 = tf.tensor1d([4, 2]);
    const x1 = opt.next(x0, 1, g0); // first step: the largest coordinate moves by 4 along −g
    expect(Array.from(x1.dataSync())).to.deep.equal([-3, -1]);
    const g1 = tf.tensor1d([5, 5]);
    const x2 = opt.next(x1, 3, g1); // 3 > 2 × 1: back to x0, a quarter of the step
    expect(opt.retreats).to.equal(1);
    expect(Array.from(x2.dataSync())).to.deep.equal([0, 0.5]);
    const x3 = opt.next(x2, 1.5, g1); // in bounds again: a normal step from there
    expect(opt.retreats).to.equal(1);
    opt.dispose();
    tf.dispose([x0, g0, x1, g1, x2, x3]);
    expect(tf.memory().numTensors).to.equal(before);
  });
});
