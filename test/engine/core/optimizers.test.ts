import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import * as fs from 'fs';
import { FilePairs } from '../../../packages/engine/src/core/optim/curvature-pairs';
import { HOST_SPACE } from '../../../packages/engine/src/core/optim/host-space';
import { openVectorFile } from '../../../packages/engine/src/node/vector-file';
import { Adam, Lbfgs, Optimizer } from '../../../packages/engine/src/core/optim/optimizers';
import { TENSOR_SPACE } from '../../../packages/engine/src/core/optim/tensor-space';
import { tempDir, testEngine } from '../helpers';

const D = [1, 10, 100, 0.5];
const C = [3, -3, 0.5, 2];
/** f(x) = ½ Σ dᵢ (xᵢ − cᵢ)², an ill-conditioned quadratic with its minimum at c. */
function quadratic(x: number[]): { loss: number; grad: number[] } {
  const diff = x.map((v, i) => v - C[i]);
  return { loss: diff.reduce((s, v, i) => s + 0.5 * D[i] * v * v, 0), grad: diff.map((v, i) => D[i] * v) };
}

/** Runs an optimiser on tensors or on host arrays for `steps` iterations; returns every iterate. */
async function iterates<V>(make: (project: (x: V) => V) => Optimizer<V>, fromArray: (a: number[]) => V,
  toArray: (v: V) => number[], project: (x: V) => V, free: (v: V) => void, steps: number): Promise<number[][]> {
  const opt = make(project);
  let x = fromArray([0, 0, 0, 0]);
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    const { loss, grad } = quadratic(toArray(x));
    const g = fromArray(grad);
    const next = await opt.next(x, loss, g);
    free(g);
    free(x);
    x = next;
    out.push(toArray(x));
  }
  free(x);
  opt.dispose();
  return out;
}

type Make<V, T> = (project: (x: V) => V) => T;
const onTensors = <T extends Optimizer<tf.Tensor>>(make: Make<tf.Tensor, T>, steps: number) => iterates(make,
  (a) => tf.tensor1d(a), (v) => Array.from(v.dataSync()), (x) => tf.clipByValue(x, -1, 1), (v) => v.dispose(), steps);
const onHost = <T extends Optimizer<Float32Array>>(make: Make<Float32Array, T>, steps: number) => iterates(make,
  (a) => Float32Array.from(a), (v) => Array.from(v), (x) => x.map((v) => Math.min(1, Math.max(-1, v))), () => {},
  steps);

describe('optimizers on tensors and on host arrays', function () {
  before(async () => { await testEngine(); });

  it('L-BFGS stays inside the box it is given and finds the constrained minimum', async () => {
    const before = tf.memory().numTensors;
    const xs = await onTensors((p) => new Lbfgs(TENSOR_SPACE, 10, p), 60);
    xs.forEach((x, i) => expect(Math.max(...x.map(Math.abs)), `iteration ${i}`).to.be.at.most(1 + 1e-6));
    [1, -1, 0.5, 1].forEach((want, i) => expect(xs[59][i]).to.be.closeTo(want, 1e-3));
    expect(tf.memory().numTensors).to.equal(before);
  });

  type Make<V> = (p: (x: V) => V) => Optimizer<V>;
  const both: [string, Make<tf.Tensor>, Make<Float32Array>][] = [
    ['L-BFGS', (p) => new Lbfgs(TENSOR_SPACE, 10, p), (p) => new Lbfgs(HOST_SPACE, 10, p)],
    ['Adam', (p) => new Adam(TENSOR_SPACE, 0.1, p), (p) => new Adam(HOST_SPACE, 0.1, p)],
  ];
  for (const [name, tensor, host] of both) {
    it(`${name} takes the same steps on host arrays as on tensors`, async () => {
      const a = await onTensors(tensor, 25);
      const b = await onHost(host, 25);
      a.forEach((x, i) => x.forEach((v, j) => expect(b[i][j], `iteration ${i}`).to.be.closeTo(v, 1e-4)));
    });
  }

  it('L-BFGS takes the same steps with its history in a file, a ring that forgets the oldest pair', async () => {
    const inMemory = await onHost((p) => new Lbfgs(HOST_SPACE, 3, p), 25);
    const dir = tempDir();
    let opened = 0;
    const files = (length: number, slots: number) => {
      opened += 1;
      return openVectorFile(length, slots, dir);
    };
    const inFile = await onHost((p) => new Lbfgs(HOST_SPACE, 3, p, 1, new FilePairs(files, 4, 3)), 25);
    expect(opened).to.equal(1);
    expect(inFile).to.deep.equal(inMemory); // the same float32 values, read back bit for bit
    expect(fs.readdirSync(dir)).to.deep.equal([]); // removed, its folder too
  });

  it('takes a step back when the loss more than doubles, and frees everything', async () => {
    const before = tf.memory().numTensors;
    const opt = new Lbfgs(TENSOR_SPACE, 5, (x) => tf.clone(x));
    const x0 = tf.tensor1d([1, 1]);
    const g0 = tf.tensor1d([4, 2]);
    const x1 = await opt.next(x0, 1, g0); // first step: the largest coordinate moves by 4 along −g
    expect(Array.from(x1.dataSync())).to.deep.equal([-3, -1]);
    const g1 = tf.tensor1d([5, 5]);
    const x2 = await opt.next(x1, 3, g1); // 3 > 2 × 1: back to x0, a quarter of the step
    expect(opt.retreats).to.equal(1);
    expect(Array.from(x2.dataSync())).to.deep.equal([0, 0.5]);
    const x3 = await opt.next(x2, 1.5, g1); // in bounds again: a normal step from there
    expect(opt.retreats).to.equal(1);
    opt.dispose();
    tf.dispose([x0, g0, x1, g1, x2, x3]);
    expect(tf.memory().numTensors).to.equal(before);
  });
});
