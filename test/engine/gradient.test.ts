import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { prepareConv } from '../../packages/engine/src/core/ops/conv';
import { conv3x3Relu } from '../../packages/engine/src/core/ops/conv-relu';
import { GradientArena } from '../../packages/engine/src/core/ops/gradient-arena';
import { gram, gramDistance } from '../../packages/engine/src/core/ops/gram';
import { conv3x3ReluReference, gramReference } from './references';
import { contentLoss, styleLayerLoss, totalVariationLoss, normalizedGram } from '../../packages/engine/src/core/losses';
import { VggLayer } from '../../packages/engine/src/core/options';
import { testEngine } from './helpers';

const relativeL2 = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0] / tf.norm(b).dataSync()[0]);

describe('gradients', () => {
  before(async () => { await testEngine(); });

  for (const algorithm of ['direct', 'winograd', 'winograd-4x4'] as const) {
    it(`the fast conv3x3+ReLU (${algorithm}) input gradient equals tfjs's own on random inputs`, () => {
      // F(4x4)'s transforms lose ~10x more bits than F(2x2)'s (winograd-4x4.ts).
      const tolerance = algorithm === 'winograd-4x4' ? 5e-5 : 1e-5;
      tf.tidy(() => {
        for (const [h, w, cin, cout] of [[9, 7, 3, 8], [16, 16, 16, 32], [5, 12, 64, 64], [1, 1, 4, 4], [2, 3, 128, 8]]) {
          const kernel = tf.randomNormal([3, 3, cin, cout], 0, 0.2, 'float32', 1) as tf.Tensor4D;
          const bias = tf.randomNormal([cout], 0, 0.5, 'float32', 2) as tf.Tensor1D;
          const layer = prepareConv(tf.clone(kernel), tf.clone(bias), algorithm);
          const x = tf.randomNormal([1, h, w, cin], 0, 1, 'float32', 3) as tf.Tensor4D;
          const dy = tf.randomNormal([1, h, w, cout], 0, 1, 'float32', 4);
          const fast = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(conv3x3Relu(v as tf.Tensor4D, layer), dy)))(x);
          const plain = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(conv3x3ReluReference(v as tf.Tensor4D, kernel, bias), dy)))(x);
          expect(relativeL2(conv3x3Relu(x, layer), conv3x3ReluReference(x, kernel, bias)), 'forward').to.be.below(tolerance);
          expect(relativeL2(fast, plain), `input gradient ${h}x${w}x${cin}→${cout}`).to.be.below(tolerance);
          layer.dispose();
        }
      });
    });
  }

  it('the fast Gram gradient equals tfjs\'s own on random inputs', () => {
    tf.tidy(() => {
      const f = tf.randomNormal([1, 6, 5, 12], 0, 1, 'float32', 5) as tf.Tensor4D;
      const target = tf.randomNormal([12, 12], 0, 1, 'float32', 6);
      const loss = (g: (x: tf.Tensor4D) => tf.Tensor2D) => (v: tf.Tensor) => tf.sum(tf.squaredDifference(g(v as tf.Tensor4D), target));
      expect(relativeL2(gram(f), gramReference(f)), 'forward').to.be.below(1e-6);
      expect(relativeL2(tf.grad(loss(gram))(f), tf.grad(loss(gramReference))(f)), 'gradient').to.be.below(1e-5);
    });
  });

  for (const withArena of [false, true]) {
    it(`the fused style term Σ(G/M − A)² and its gradient equal tfjs's own on random inputs${withArena ? ' (GradientArena)' : ''}`, () => {
      tf.tidy(() => {
        for (const [h, w, c] of [[6, 5, 12], [1, 1, 4], [9, 14, 64]]) {
          const f = tf.relu(tf.randomNormal([1, h, w, c], 0, 1, 'float32', 15)) as tf.Tensor4D;
          const other = tf.relu(tf.randomNormal([1, h + 2, w, c], 0, 1, 'float32', 16)) as tf.Tensor4D;
          const target = tf.div(gramReference(other), (h + 2) * w) as tf.Tensor2D; // symmetric, as a style target is
          const plain = (v: tf.Tensor) => tf.sum(tf.squaredDifference(tf.div(gramReference(v as tf.Tensor4D), h * w), target));
          const arena = withArena ? new GradientArena() : undefined;
          const fast = tf.valueAndGrad((v: tf.Tensor) => gramDistance(v as tf.Tensor4D, target, arena))(f);
          arena?.dispose();
          const reference = tf.valueAndGrad(plain)(f);
          expect(relativeL2(fast.value, reference.value), `value ${h}x${w}x${c}`).to.be.below(1e-5);
          expect(relativeL2(fast.grad, reference.grad), `gradient ${h}x${w}x${c}`).to.be.below(1e-5);
        }
      });
    });
  }

  it('the gradient of the full loss w.r.t. the image matches finite differences', async () => {
    const engine = await testEngine();
    const layers: VggLayer[] = ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1', 'conv4_2'];
    const style: VggLayer[] = ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'];
    tf.tidy(() => {
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
      for (let seed = 10; seed < 13; seed++) {
        const v = tf.add(gradUnit, tf.mul(tf.randomNormal(x0.shape, 0, 1 / Math.sqrt(x0.size), 'float32', seed), 0.5));
        const direction = tf.div(v, tf.norm(v));
        const central = (h: number) => (loss(tf.add(x0, tf.mul(direction, h))).dataSync()[0] - loss(tf.sub(x0, tf.mul(direction, h))).dataSync()[0]) / (2 * h);
        const numeric = (4 * central(1) - central(2)) / 3;
        const analytic = tf.sum(tf.mul(grad, direction)).dataSync()[0];
        expect(Math.abs(numeric - analytic) / Math.abs(analytic), `direction ${seed}: numeric ${numeric} analytic ${analytic}`).to.be.below(2e-2);
      }
    });
  });
});
