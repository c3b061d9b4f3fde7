import * as assert from 'assert';
import { tf } from '../../packages/engine/src/node/engine';
import { chooseBackend } from '../../packages/engine/src/node/backend';
import { conv3x3Relu, conv3x3ReluReference, gram, gramReference, prepareConv } from '../../packages/engine/src/core/fast-ops';

/*
 * Every speed trick of the engine checked against tfjs's plain gradients on
 * random inputs, on the backend the engine runs on (wasm, threaded when the
 * machine has several cores). Small sizes: this file runs in a few seconds.
 */

function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0] / Math.max(1e-12, tf.norm(b).dataSync()[0]));
}

function randomLayer(cin: number, cout: number, seed: number) {
  return prepareConv(tf.randomNormal([3, 3, cin, cout], 0, 0.2, 'float32', seed) as tf.Tensor4D,
    tf.randomNormal([cout], 0, 0.1, 'float32', seed + 1) as tf.Tensor1D);
}

function disposeLayer(layer: ReturnType<typeof prepareConv>): void {
  tf.dispose([layer.kernel, layer.bias, layer.kernelForInputGrad]);
}

describe('fast ops (wasm)', () => {
  before(async () => {
    const report = await chooseBackend('wasm');
    assert.strictEqual(tf.getBackend(), 'wasm', report.detail);
  });

  it('uses every core through the threaded wasm build', async () => {
    const report = await chooseBackend('wasm');
    const cores = require('os').availableParallelism?.() ?? require('os').cpus().length;
    const wanted = Number(process.env.NEURAL_STYLE_WASM_THREADS) || Math.min(8, cores);
    assert.match(report.detail, wanted > 1 ? new RegExp(`${wanted} threads`) : /1 thread/);
  });

  it('conv3x3Relu: same value and input gradient as tfjs (odd sizes, bias, ReLU)', () => {
    const layer = randomLayer(5, 7, 1);
    const x = tf.randomNormal([1, 9, 11, 5], 0, 1, 'float32', 3) as tf.Tensor4D;
    const dy = tf.randomNormal([1, 9, 11, 7], 0, 1, 'float32', 4);
    const before = tf.memory().numTensors;
    const loss = (f: typeof conv3x3Relu) => (input: tf.Tensor4D) => tf.sum(tf.mul(f(input, layer), dy)) as tf.Scalar;
    const fast = tf.valueAndGrad(loss(conv3x3Relu))(x);
    const plain = tf.valueAndGrad(loss(conv3x3ReluReference))(x);
    assert.ok(Math.abs(fast.value.dataSync()[0] - plain.value.dataSync()[0]) < 1e-4 * Math.abs(plain.value.dataSync()[0]));
    assert.ok(relativeError(fast.grad, plain.grad) < 1e-5, `relative error ${relativeError(fast.grad, plain.grad)}`);
    tf.dispose([fast.value, fast.grad, plain.value, plain.grad]);
    assert.strictEqual(tf.memory().numTensors, before, 'no tensor leaks');
    tf.dispose([x, dy]);
    disposeLayer(layer);
  });

  it('gram: same value and gradient as tfjs\'s transposed matMul', () => {
    const x = tf.randomNormal([1, 6, 5, 8], 0, 1, 'float32', 5) as tf.Tensor4D;
    const w = tf.randomNormal([8, 8], 0, 1, 'float32', 6);
    const before = tf.memory().numTensors;
    const loss = (f: typeof gram) => (input: tf.Tensor4D) => tf.sum(tf.mul(f(input), w)) as tf.Scalar;
    const fast = tf.valueAndGrad(loss(gram))(x);
    const plain = tf.valueAndGrad(loss(gramReference))(x);
    assert.ok(relativeError(fast.value, plain.value) < 1e-5);
    assert.ok(relativeError(fast.grad, plain.grad) < 1e-5, `relative error ${relativeError(fast.grad, plain.grad)}`);
    tf.dispose([fast.value, fast.grad, plain.value, plain.grad]);
    assert.strictEqual(tf.memory().numTensors, before, 'no tensor leaks');
    tf.dispose([x, w]);
  });

  it('a VGG-like chain (conv, shared output, avg pool, Gram and content terms): same gradient, tape freed early', () => {
    // The early frees in the custom gradients must be safe when an output feeds several consumers.
    const l1 = randomLayer(3, 8, 10);
    const l2 = randomLayer(8, 8, 12);
    const l3 = randomLayer(8, 16, 14);
    const x = tf.randomNormal([1, 16, 12, 3], 0, 1, 'float32', 20) as tf.Tensor4D;
    const target = tf.randomNormal([1, 8, 6, 16], 0, 1, 'float32', 21);
    const net = (conv: typeof conv3x3Relu, g: typeof gram) => (input: tf.Tensor4D) => {
      const a = conv(input, l1);
      const b = conv(a, l2);
      const c = conv(tf.avgPool(b, 2, 2, 'valid'), l3);
      const style = tf.add(tf.sum(tf.square(g(a))), tf.sum(tf.square(g(c))));
      return tf.add(tf.mul(style, 1e-3), tf.sum(tf.squaredDifference(c, target))) as tf.Scalar;
    };
    const before = tf.memory().numTensors;
    const fast = tf.valueAndGrad(net(conv3x3Relu, gram))(x);
    const plain = tf.valueAndGrad(net(conv3x3ReluReference, gramReference))(x);
    assert.ok(Math.abs(fast.value.dataSync()[0] - plain.value.dataSync()[0]) < 1e-4 * Math.abs(plain.value.dataSync()[0]));
    assert.ok(relativeError(fast.grad, plain.grad) < 1e-4, `relative error ${relativeError(fast.grad, plain.grad)}`);
    tf.dispose([fast.value, fast.grad, plain.value, plain.grad]);
    assert.strictEqual(tf.memory().numTensors, before, 'no tensor leaks');
    tf.dispose([x, target]);
    [l1, l2, l3].forEach(disposeLayer);
  });
});
