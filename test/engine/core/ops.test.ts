import * as assert from 'assert';
import { tf } from '../../../packages/engine/src/node/engine';
import { chooseBackend } from '../../../packages/engine/src/node/backend';
import { ConvAlgorithm, ConvLayer, prepareConv, rotateForInputGradient } from '../../../packages/engine/src/core/ops/conv';
import { conv3x3Relu } from '../../../packages/engine/src/core/ops/conv-relu';
import { GradientArena } from '../../../packages/engine/src/core/ops/gradient-arena';
import { gram } from '../../../packages/engine/src/core/ops/gram';
import { avgPool2x2 } from '../../../packages/engine/src/core/ops/pool';
import { WINOGRAD_SMALL_ELEMENTS } from '../../../packages/engine/src/core/tuning';
import { conv3x3ReluReference, gramReference } from '../references';

/*
 * Every speed trick of the engine checked against tfjs's plain gradients on
 * random inputs, on the backend the engine runs on (wasm, threaded when the
 * machine has several cores). Small sizes: this file runs in a few seconds.
 */

function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0] / Math.max(1e-12, tf.norm(b).dataSync()[0]));
}

interface TestLayer extends ConvLayer {
  /** The same layer in plain tfjs ops. */
  reference(x: tf.Tensor4D): tf.Tensor4D;
}

/** A random layer; the layer owns its copy of the weights, the reference keeps its own. */
function randomLayer(cin: number, cout: number, seed: number, algorithm: ConvAlgorithm = 'direct'): TestLayer {
  const kernel = tf.randomNormal([3, 3, cin, cout], 0, 0.2, 'float32', seed) as tf.Tensor4D;
  const bias = tf.randomNormal([cout], 0, 0.1, 'float32', seed + 1) as tf.Tensor1D;
  const layer = prepareConv(tf.clone(kernel), tf.clone(bias), algorithm);
  return {
    ...layer,
    reference: (x) => conv3x3ReluReference(x, kernel, bias),
    dispose: () => { layer.dispose(); tf.dispose([kernel, bias]); },
  };
}

function disposeLayer(layer: TestLayer): void {
  layer.dispose();
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

  for (const algorithm of ['direct', 'winograd', 'winograd-4x4'] as const) {
    it(`conv3x3Relu (${algorithm}): same value and input gradient as tfjs (odd sizes, bias, ReLU)`, () => {
      const layer = randomLayer(5, 7, 1, algorithm);
      const x = tf.randomNormal([1, 9, 11, 5], 0, 1, 'float32', 3) as tf.Tensor4D;
      const dy = tf.randomNormal([1, 9, 11, 7], 0, 1, 'float32', 4);
      const before = tf.memory().numTensors;
      const loss = (f: (t: tf.Tensor4D) => tf.Tensor4D) => (input: tf.Tensor4D) =>
        tf.sum(tf.mul(f(input), dy)) as tf.Scalar;
      const fast = tf.valueAndGrad(loss((t) => conv3x3Relu(t, layer)))(x);
      const plain = tf.valueAndGrad(loss(layer.reference))(x);
      const [fastValue, plainValue] = [fast.value.dataSync()[0], plain.value.dataSync()[0]];
      assert.ok(Math.abs(fastValue - plainValue) < 1e-4 * Math.abs(plainValue));
      // F(4x4)'s transforms lose ~10x more bits than F(2x2)'s (winograd-4x4.ts).
      const tolerance = algorithm === 'winograd-4x4' ? 5e-5 : 1e-5;
      assert.ok(relativeError(fast.grad, plain.grad) < tolerance, `relative error ${relativeError(fast.grad, plain.grad)}`);
      tf.dispose([fast.value, fast.grad, plain.value, plain.grad]);
      assert.strictEqual(tf.memory().numTensors, before, 'no tensor leaks');
      tf.dispose([x, dy]);
      disposeLayer(layer);
    });
  }

  for (const algorithm of ['winograd-4x4-when-small', 'winograd-4x4-when-small-else-2x2'] as const) {
    it(`${algorithm}: right on both sides of WINOGRAD_SMALL_ELEMENTS (forward and input gradient), frees everything`, () => {
      const layer = randomLayer(4, 4, 50, algorithm);
      const rotated = tf.tidy(() => rotateForInputGradient(tf.randomNormal([3, 3, 4, 4], 0, 0.2, 'float32', 50) as tf.Tensor4D));
      const before = tf.memory().numTensors;
      // 1024 x 1024 x 4 is exactly the limit (F(4x4)); one more row is over it (the other algorithm).
      for (const height of [1024, 1025]) {
        const x = tf.randomNormal([1, height, 1024, 4], 0, 1, 'float32', height) as tf.Tensor4D;
        assert.strictEqual(x.size <= WINOGRAD_SMALL_ELEMENTS, height === 1024);
        const fast = layer.forward(x);
        const plain = tf.tidy(() => layer.reference(x));
        assert.ok(relativeError(fast, plain) < 5e-5, `forward, ${height} rows: relative error ${relativeError(fast, plain)}`);
        const gradient = layer.inputGradient(x);
        const plainGradient = tf.conv2d(x, rotated, 1, 'same');
        assert.ok(relativeError(gradient, plainGradient) < 5e-5, `input gradient, ${height} rows: relative error ${relativeError(gradient, plainGradient)}`);
        tf.dispose([x, fast, plain, gradient, plainGradient]);
      }
      assert.strictEqual(tf.memory().numTensors, before, 'no tensor leaks');
      rotated.dispose();
      disposeLayer(layer);
    });
  }

  it('rotateForInputGradient equals reverse + transpose in tfjs ops', () => {
    const kernel = tf.randomNormal([3, 3, 5, 7], 0, 1, 'float32', 40) as tf.Tensor4D;
    const fast = rotateForInputGradient(kernel);
    const plain = tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]);
    assert.deepStrictEqual(fast.shape, [3, 3, 7, 5]);
    assert.deepStrictEqual(Array.from(fast.dataSync()), Array.from(plain.dataSync()));
    tf.dispose([kernel, fast, plain]);
  });

  it('avgPool2x2: same value and gradient as tfjs, odd sizes included', () => {
    for (const [h, w] of [[8, 6], [9, 7]]) {
      const x = tf.randomNormal([1, h, w, 3], 0, 1, 'float32', h) as tf.Tensor4D;
      const dy = tf.randomNormal([1, Math.floor(h / 2), Math.floor(w / 2), 3], 0, 1, 'float32', w);
      const loss = (f: typeof avgPool2x2) => (input: tf.Tensor4D) => tf.sum(tf.mul(f(input), dy)) as tf.Scalar;
      const fast = tf.valueAndGrad(loss(avgPool2x2))(x);
      const plain = tf.valueAndGrad(loss((t) => tf.avgPool(t, 2, 2, 'valid')))(x);
      assert.ok(relativeError(fast.grad, plain.grad) < 1e-6, `${h}x${w}: relative error ${relativeError(fast.grad, plain.grad)}`);
      tf.dispose([fast.value, fast.grad, plain.value, plain.grad, x, dy]);
    }
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

  for (const [withArena, algorithm] of [[false, 'direct'], [true, 'direct'], [true, 'winograd'], [true, 'winograd-4x4']] as const) {
    it(`a VGG-like chain (conv, shared output, avg pool, Gram and content terms)${withArena ? ' with a GradientArena' : ''}, ${algorithm} convolutions: same gradient, no leak`, () => {
      // The early frees in the custom gradients must be safe when an output feeds several consumers.
      const l1 = randomLayer(3, 8, 10, algorithm);
      const l2 = randomLayer(8, 8, 12, algorithm);
      const l3 = randomLayer(8, 16, 14, algorithm);
      const x = tf.randomNormal([1, 17, 13, 3], 0, 1, 'float32', 20) as tf.Tensor4D;
      const target = tf.randomNormal([1, 8, 6, 16], 0, 1, 'float32', 21);
      const arena = withArena ? new GradientArena() : undefined;
      const fastConv = (input: tf.Tensor4D, layer: typeof l1) => conv3x3Relu(input, layer, arena);
      const fastGram = (features: tf.Tensor4D) => gram(features, arena);
      const referenceConv = (input: tf.Tensor4D, layer: typeof l1) => layer.reference(input);
      const net = (conv: typeof fastConv, g: typeof fastGram, pool: typeof avgPool2x2) => (input: tf.Tensor4D) => {
        const a = conv(input, l1);
        const b = conv(a, l2);
        const c = conv(pool(b), l3);
        const style = tf.add(tf.sum(tf.square(g(a))), tf.sum(tf.square(g(c))));
        return tf.add(tf.mul(style, 1e-3), tf.sum(tf.squaredDifference(c, target))) as tf.Scalar;
      };
      const before = tf.memory().numTensors;
      const fast = tf.valueAndGrad(net(fastConv, fastGram, avgPool2x2))(x);
      arena?.dispose();
      const plain = tf.valueAndGrad(net(referenceConv, gramReference, (t) => tf.avgPool(t, 2, 2, 'valid')))(x);
      const [fastValue, plainValue] = [fast.value.dataSync()[0], plain.value.dataSync()[0]];
      assert.ok(Math.abs(fastValue - plainValue) < 1e-4 * Math.abs(plainValue));
      assert.ok(relativeError(fast.grad, plain.grad) < 1e-4, `relative error ${relativeError(fast.grad, plain.grad)}`);
      tf.dispose([fast.value, fast.grad, plain.value, plain.grad]);
      assert.strictEqual(tf.memory().numTensors, before, 'no tensor leaks');
      tf.dispose([x, target]);
      [l1, l2, l3].forEach(disposeLayer);
    });
  }

  for (const mask of ['float32', 'bool'] as const) {
    it(`with a GradientArena and ${mask} ReLU masks: the same input gradient as tfjs, no leak`, () => {
      const layer = randomLayer(5, 16, 32);
      const x = tf.randomNormal([1, 13, 10, 5], 0, 1, 'float32', 33) as tf.Tensor4D;
      const dy = tf.randomNormal([1, 13, 10, 16], 0, 1, 'float32', 34);
      const before = tf.memory().numTensors;
      const arena = new GradientArena();
      const fast = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(conv3x3Relu(t as tf.Tensor4D, layer, arena, mask), dy)))(x);
      arena.dispose();
      const plain = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.reference(t as tf.Tensor4D), dy)))(x);
      assert.ok(relativeError(fast, plain) < 1e-5, `relative error ${relativeError(fast, plain)}`);
      tf.dispose([fast, plain]);
      assert.strictEqual(tf.memory().numTensors, before, 'no tensor leaks');
      tf.dispose([x, dy]);
      disposeLayer(layer);
    });
  }

  it('a GradientArena frees what it kept when no gradient is taken', () => {
    const layer = randomLayer(3, 4, 30);
    const x = tf.randomNormal([1, 8, 8, 3], 0, 1, 'float32', 31) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const arena = new GradientArena();
    tf.dispose(tf.tidy(() => gram(conv3x3Relu(x, layer, arena), arena)));
    arena.dispose();
    assert.strictEqual(tf.memory().numTensors, before);
    tf.dispose(x);
    disposeLayer(layer);
  });
});
