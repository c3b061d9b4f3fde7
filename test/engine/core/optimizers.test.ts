import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import * as fs from 'fs';
import { FileSpace, FileVector } from '../../../packages/engine/src/core/optim/file-space';
import { HOST_SPACE } from '../../../packages/engine/src/core/optim/host-space';
import { openScratchFile } from '../../../packages/engine/src/node/scratch-file';
import { Adam, Lbfgs, Optimizer } from '../../../packages/engine/src/core/optim/optimizers';
import { TENSOR_SPACE } from '../../../packages/engine/src/core/optim/tensor-space';
import { countedScratchFiles, tempDir, testEngine } from '../helpers';

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

  it('L-BFGS takes the same steps with every vector in a file, its history a ring that forgets the oldest', async () => {
    const inMemory = await onHost((p) => new Lbfgs(HOST_SPACE, 3, p), 25);
    const dir = tempDir();
    let open = 0;
    const files = (values: number) => {
      open += 1;
      const file = openScratchFile(values, dir);
      return { ...file, close: () => { open -= 1; file.close(); } };
    };
    const space = new FileSpace(files);
    const clip = (x: FileVector) => space.fromArray(space.toArray(x).map((v) => Math.min(1, Math.max(-1, v))));
    const onFiles = () => iterates((p) => new Lbfgs(space, 3, p), (a) => space.fromArray(Float32Array.from(a)),
      (v) => Array.from(space.toArray(v)), clip, (v) => space.dispose(v), 25);
    const inFiles = await onFiles();
    expect(inFiles).to.deep.equal(inMemory); // the same float32 values, read back bit for bit
    expect(open).to.equal(0); // every vector's file closed
    expect(fs.readdirSync(dir)).to.deep.equal([]); // removed, their folders too
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

describe('vectors in scratch files (a print\'s optimiser)', () => {
  it('computes what host arrays do, bit for bit, across several chunks, and closes every file', async () => {
    const scratch = countedScratchFiles();
    const space = new FileSpace(scratch.files);
    const n = 2_500_003; // three chunks, the last a short one
    const random = (seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 0.37) * 3);
    const [a, b, c] = [random(1), random(2), random(3).map(Math.abs)];
    const [fa, fb, fc] = [a, b, c].map((v) => space.fromArray(v));
    const same = (file: FileVector, host: Float32Array, what: string) =>
      expect(Buffer.compare(Buffer.from(space.toArray(file).buffer), Buffer.from(host.buffer)), what).to.equal(0);
    expect(await space.dot(fa, fb)).to.equal(await HOST_SPACE.dot(a, b));
    expect(await space.maxAbs(fa)).to.equal(await HOST_SPACE.maxAbs(a));
    const made = [
      [space.combine(2, fa, -0.5, fb), HOST_SPACE.combine(2, a, -0.5, b), 'combine'],
      [space.scale(-3, fa), HOST_SPACE.scale(-3, a), 'scale'],
      [space.clone(fb), b, 'clone'],
      [space.decayedSquare(fc, fa, 0.9), HOST_SPACE.decayedSquare(c, a, 0.9), 'decayedSquare'],
      [space.decayedSquare(null, fa, 0.9), HOST_SPACE.decayedSquare(null, a, 0.9), 'decayedSquare, first'],
      [space.adamUpdate(fa, fb, fc, 0.01, 0.3, 1e-8), HOST_SPACE.adamUpdate(a, b, c, 0.01, 0.3, 1e-8), 'adamUpdate'],
    ] as const;
    for (const [file, host, what] of made) same(file, host, what);
    same(space.update(0.5, fa, 2, fb), HOST_SPACE.update(0.5, a.slice(), 2, b), 'update, in place');
    for (const v of [fa, fb, fc, ...made.map(([file]) => file)]) space.dispose(v);
    expect(scratch.open()).to.equal(0);
  });
});
