import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { prepareConv } from '../../../packages/engine/src/core/ops/conv';
import { conv3x3Relu } from '../../../packages/engine/src/core/ops/conv-relu';
import { GradientArena } from '../../../packages/engine/src/core/ops/gradient-arena';
import { gram, gramDistance } from '../../../packages/engine/src/core/ops/gram';
import { conv3x3ReluReference, gramReference } from '../references';
import { contentLoss, styleLayerLoss, totalVariationLoss, normalizedGram } from '../../../packages/engine/src/core/losses';
import { VggLayer } from '../../../packages/engine/src/core/options';
import { testEngine } from '../helpers';

/** ‖a − b‖ / ‖b‖, as a scalar tensor. */
const relativeL2 = (a: tf.Tensor, b: tf.Tensor) => tf.div(tf.norm(tf.sub(a, b)), tf.norm(b));

type Check = [what: string, value: tf.Tensor, below: number];

/**
 * Runs `compute` in a tidy and expects each scalar it gives below its bound.
 * The scalars are read back after the tidy, asynchronously, as the engine
 * reads its own on a GPU (WebGPU's synchronous readback is wrong on some
 * adapters), so these checks run on every backend.
 */
async function expectBelow(compute: () => Check[]): Promise<void> {
  const checks: Array<[string, number]> = [];
  const values = tf.tidy(() => {
    const list = compute();
    checks.push(...list.map(([what, , below]) => [what, below] as [string, number]));
    return tf.stack(list.map(([, value]) => tf.reshape(value, [])));
  });
  const got = await values.data();
  values.dispose();
  checks.forEach(([what, below], i) => expect(got[i], what).to.be.below(below));
}

describe('gradients', () => {
  before(async () => { await testEngine(); });

  for (const algorithm of ['direct', 'winograd', 'winograd-4x4'] as const) {
    it(`the fast conv3x3+ReLU (${algorithm}) input gradient equals tfjs's own on random inputs`, async () => {
      // F(4x4)'s transforms lose ~10x more bits than F(2x2)'s (winograd-4x4.ts).
      const tolerance = algorithm === 'winograd-4x4' ? 5e-5 : 1e-5;
      await expectBelow(() => {
        const checks: Check[] = [];
        for (const [h, w, cin, cout] of [[9, 7, 3, 8], [16, 16, 16, 32], [5, 12, 64, 64], [1, 1, 4, 4],
          [2, 3, 128, 8]]) {
          const kernel = tf.randomNormal([3, 3, cin, cout], 0, 0.2, 'float32', 1) as tf.Tensor4D;
          const bias = tf.randomNormal([cout], 0, 0.5, 'float32', 2) as tf.Tensor1D;
          const layer = prepareConv(tf.clone(kernel), tf.clone(bias), algorithm);
          const x = tf.randomNormal([1, h, w, cin], 0, 1, 'float32', 3) as tf.Tensor4D;
          const dy = tf.randomNormal([1, h, w, cout], 0, 1, 'float32', 4);
          const fast = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(conv3x3Relu(v as tf.Tensor4D, layer), dy)))(x);
          const reference = (v: tf.Tensor) => conv3x3ReluReference(v as tf.Tensor4D, kernel, bias);
          const plain = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(reference(v), dy)))(x);
          checks.push([`forward ${h}x${w}x${cin}→${cout}`, relativeL2(conv3x3Relu(x, layer), conv3x3ReluReference(x, kernel, bias)), tolerance]);
          checks.push([`input gradient ${h}x${w}x${cin}→${cout}`, relativeL2(fast, plain), tolerance]);
          layer.dispose();
        }
        return checks;
      });
    });
  }

  it('the fast Gram gradient equals tfjs\'s own on random inputs', async () => {
    await expectBelow(() => {
      const f = tf.randomNormal([1, 6, 5, 12], 0, 1, 'float32', 5) as tf.Tensor4D;
      const target = tf.randomNormal([12, 12], 0, 1, 'float32', 6);
      const loss = (g: (x: tf.Tensor4D) => tf.Tensor2D) => (v: tf.Tensor) =>
        tf.sum(tf.squaredDifference(g(v as tf.Tensor4D), target));
      return [
        ['forward', relativeL2(gram(f), gramReference(f)), 1e-6],
        ['gradient', relativeL2(tf.grad(loss(gram))(f), tf.grad(loss(gramReference))(f)), 1e-5],
      ];
    });
  });

  for (const withArena of [false, true]) {
    it(`the fused style term Σ(G/M − A)² and its gradient equal tfjs's own on random inputs${withArena ? ' (GradientArena)' : ''}`, async () => {
      await expectBelow(() => {
        const checks: Check[] = [];
        for (const [h, w, c] of [[6, 5, 12], [1, 1, 4], [9, 14, 64]]) {
          const f = tf.relu(tf.randomNormal([1, h, w, c], 0, 1, 'float32', 15)) as tf.Tensor4D;
          const other = tf.relu(tf.randomNormal([1, h + 2, w, c], 0, 1, 'float32', 16)) as tf.Tensor4D;
          const target = tf.div(gramReference(other), (h + 2) * w) as tf.Tensor2D; // symmetric, as a style target is
          const plain = (v: tf.Tensor) =>
            tf.sum(tf.squaredDifference(tf.div(gramReference(v as tf.Tensor4D), h * w), target));
          const arena = withArena ? new GradientArena() : undefined;
          const fast = tf.valueAndGrad((v: tf.Tensor) => gramDistance(v as tf.Tensor4D, target, arena))(f);
          arena?.dispose();
          const reference = tf.valueAndGrad(plain)(f);
          checks.push([`value ${h}x${w}x${c}`, relativeL2(fast.value, reference.value), 1e-5]);
          checks.push([`gradient ${h}x${w}x${c}`, relativeL2(fast.grad, reference.grad), 1e-5]);
        }
        return checks;
      });
    });
  }

  it('the gradient of the full loss w.r.t. the image matches finite differences', async () => {
    const engine = await testEngine();
    const layers: VggLayer[] = ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1', 'conv4_2'];
    const style: VggLayer[] = ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'];
    const seeds = [10, 11, 12];
    // Per direction: the loss at x0 + h·d for h = 1, −1, 2, −2, and ⟨grad, d⟩; read back once, after the tidy.
    const measured = tf.tidy(() => {
      const x0 = tf.randomUniform([1, 16, 16, 3], -100, 100, 'float32', 7) as tf.Tensor4D;
      const contentImage = tf.randomUniform([1, 16, 16, 3], -100, 100, 'float32', 8) as tf.Tensor4D;
      const styleImage = tf.randomUniform([1, 16, 16, 3], -100, 100, 'float32', 9) as tf.Tensor4D;
      const target = engine.vgg.extract(contentImage, ['conv4_2']).get('conv4_2')!;
      const sf = engine.vgg.extract(styleImage, style);
      const grams = style.map((l) => normalizedGram(sf.get(l)!));
      const loss = (x: tf.Tensor) => tf.tidy(() => {
        const feats = engine.vgg.extract(x as tf.Tensor4D, layers);
        const s = tf.addN(style.map((l, i) => styleLayerLoss(feats.get(l)!, grams[i])));
        return tf.addN([contentLoss(feats.get('conv4_2')!, target), tf.mul(s, 1000), tf.mul(totalVariationLoss(x as tf.Tensor4D), 0.1)]) as tf.Scalar;
      });
      const grad = tf.grad(loss)(x0);
      // Directional derivatives by central differences. float32 losses are noisy, so the
      // directions lean on the gradient (a strong signal) plus a random part, and
      // Richardson extrapolation over h = 2, 1 cancels the O(h²) error.
      const gradUnit = tf.div(grad, tf.norm(grad));
      return tf.stack(seeds.flatMap((seed) => {
        const v = tf.add(gradUnit, tf.mul(tf.randomNormal(x0.shape, 0, 1 / Math.sqrt(x0.size), 'float32', seed), 0.5));
        const direction = tf.div(v, tf.norm(v));
        return [...[1, -1, 2, -2].map((h) => loss(tf.add(x0, tf.mul(direction, h)))), tf.sum(tf.mul(grad, direction))];
      }));
    });
    const values = await measured.data();
    measured.dispose();
    seeds.forEach((seed, i) => {
      const [plus1, minus1, plus2, minus2, analytic] = values.slice(5 * i, 5 * i + 5);
      const central = (plus: number, minus: number, h: number) => (plus - minus) / (2 * h);
      const numeric = (4 * central(plus1, minus1, 1) - central(plus2, minus2, 2)) / 3;
      expect(Math.abs(numeric - analytic) / Math.abs(analytic), `direction ${seed}: numeric ${numeric} analytic ${analytic}`).to.be.below(2e-2);
    });
  });
});
