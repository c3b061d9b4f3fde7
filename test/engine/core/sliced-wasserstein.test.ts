import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { stylize } from '../../../packages/engine/src/index';
import { toVggImage } from '../../../packages/engine/src/core/image/convert';
import { uniformNoise } from '../../../packages/engine/src/core/image/noise';
import { resizeHost } from '../../../packages/engine/src/core/image/resize';
import { planStylization } from '../../../packages/engine/src/core/plan';
import { toTensor } from '../../../packages/engine/src/core/pixels';
import {
  quantileTable, residualsInPlace, sliceDirections, SLICE_QUANTILES,
} from '../../../packages/engine/src/core/sliced-wasserstein';
import { validateOptions } from '../../../packages/engine/src/core/validate';
import { createWholeImageObjective } from '../../../packages/engine/src/core/whole-objective';
import { fixtureImages, testEngine } from '../helpers';

describe('sliced-Wasserstein style loss (Heitz et al. 2021)', function () {
  before(async () => { await testEngine(); });

  // Long rows sort in 16-bit digits, short ones in 8-bit digits.
  for (const n of [20_000, 1_000]) it(`ranks exactly (${n} values a direction): a permutation of the style's values `
    + 'has no residual but the table\'s, a shifted one the shift', () => {
    const k = 3;
    // K × N: a direction's values in a row.
    const style = new Float32Array(n * k).map((_, i) => Math.sin(i * 12.9898) * 43.7 + Math.floor(i / n) * 10);
    const table = quantileTable(style, n, k);
    const shuffled = new Float32Array(n * k);
    for (let p = 0; p < n; p++) for (let j = 0; j < k; j++) shuffled[j * n + p] = style[j * n + ((p * 7919) % n)];
    const same = shuffled.slice();
    const spread = 2 * 43.7;
    // Within a quantile step or two of the range: the table's resolution.
    const resolution = spread * (2 / SLICE_QUANTILES);
    expect(Math.sqrt(residualsInPlace(same, n, k, table) / (n * k)), 'rms residual').to.be.below(resolution);
    const shifted = shuffled.map((v) => v + 5);
    residualsInPlace(shifted, n, k, table);
    const mean = shifted.reduce((s, r) => s + r, 0) / shifted.length;
    expect(mean).to.be.closeTo(5, resolution);
  });

  it('draws unit directions from the seed: the same seed the same, another seed others', () => {
    const a = sliceDirections(8, 3);
    expect(sliceDirections(8, 3)).to.deep.equal(a);
    expect(sliceDirections(8, 4)).to.not.deep.equal(a);
    for (let k = 0; k < 8; k++) {
      let norm = 0;
      for (let c = 0; c < 8; c++) norm += a[c * 8 + k] ** 2;
      expect(norm).to.be.closeTo(1, 1e-6);
    }
  });

  it('its gradient matches finite differences of its value (the Gram\'s check)', async () => {
    const engine = await testEngine();
    const { content: photo, style: painting } = await fixtureImages();
    const o = validateOptions({ size: 32, multiScale: false, styleLoss: 'sliced-wasserstein', contentWeight: 0,
      tvWeight: 0 });
    const plan = planStylization(o, photo, [painting], tf.getBackend());
    const scale = plan.scales[0];
    const content = resizeHost(toVggImage(photo), scale.height, scale.width);
    engine.vgg.prepare(plan.layers, o.pooling);
    const before = tf.memory().numTensors;
    const objective = await createWholeImageObjective(engine.vgg, { content, styles: [toVggImage(painting)] }, plan,
      scale);
    const x0 = toTensor({ ...content, data: uniformNoise(content.height, content.width, 3, 5).data
      .map((v, i) => 0.5 * v + 0.5 * content.data[i]) });
    const loss = async (x: tf.Tensor4D) => {
      const { terms, gradient } = await objective.evaluate(x);
      gradient.dispose();
      return terms.style;
    };
    const { terms, gradient } = await objective.evaluate(x0);
    expect(terms.style).to.be.above(0);
    for (const seed of [10, 11]) {
      // Leaning on the gradient (a strong signal) plus a random part, Richardson over h = 2, 1.
      const direction = tf.tidy(() => {
        const unit = tf.div(gradient, tf.norm(gradient));
        const v = tf.add(unit, tf.mul(tf.randomNormal(x0.shape, 0, 1 / Math.sqrt(x0.size), 'float32', seed), 0.5));
        return tf.div(v, tf.norm(v)) as tf.Tensor4D;
      });
      const at = async (h: number) => {
        const x = tf.tidy(() => tf.add(x0, tf.mul(direction, h)) as tf.Tensor4D);
        try { return await loss(x); } finally { x.dispose(); }
      };
      const central = async (h: number) => ((await at(h)) - (await at(-h))) / (2 * h);
      const numeric = (4 * await central(1) - await central(2)) / 3;
      const product = tf.tidy(() => tf.sum(tf.mul(gradient, direction)));
      // The gradient is the weighted total's: here styleWeight × the style term.
      const analytic = (await product.data())[0] / o.styleWeight;
      tf.dispose([product, direction]);
      expect(Math.abs(numeric - analytic) / Math.abs(analytic), `direction ${seed}: numeric ${numeric}, analytic ${analytic}`)
        .to.be.below(2e-2);
    }
    tf.dispose([x0, gradient]);
    objective.dispose();
    expect(tf.memory().numTensors, 'tensors left').to.equal(before);
  });

  it('paints: the loss falls, and the same seed gives the same picture', async () => {
    const engine = await testEngine();
    const { content, style } = await fixtureImages();
    const options = { size: 48, multiScale: false, iterations: 8, styleLoss: 'sliced-wasserstein' as const,
      previewEvery: 0, seed: 2 };
    const seen: number[] = [];
    const first = await stylize(engine.vgg, { content, styles: [style], options },
      { onProgress: (p) => seen.push(p.losses.total) });
    expect(seen[0] / seen[seen.length - 1], `total ${seen[0]} → ${seen[seen.length - 1]}`).to.be.above(2);
    const again = await stylize(engine.vgg, { content, styles: [style], options });
    expect(Buffer.from(again.image.data).equals(Buffer.from(first.image.data))).to.equal(true);
  });

  it('paints a tiled scale coarse to fine; the same seed gives the same picture, and no tensor is left', async () => {
    const engine = await testEngine();
    const { content, style } = await fixtureImages();
    const options = { size: 64, draftSize: 32, iterations: 1, fineIterations: 2, tileSize: 32,
      styleLoss: 'sliced-wasserstein' as const, previewEvery: 0, seed: 3 };
    const tiles: number[] = [];
    const styleLosses: number[] = [];
    const first = await stylize(engine.vgg, { content, styles: [style], options }, {
      onProgress: (p) => {
        tiles.push(p.tiles ?? 0);
        if (p.scale === 2 && p.losses.style > 0) styleLosses.push(p.losses.style);
      } });
    expect(Math.max(...tiles), 'tiles an evaluation').to.be.above(4);
    expect(styleLosses[0] / styleLosses[styleLosses.length - 1], `style ${styleLosses[0]} → ${styleLosses.at(-1)}`)
      .to.be.above(1.05);
    // The first run prepares the network's kernels for its sizes, which stay; a second run adds nothing.
    const before = tf.memory().numTensors;
    const again = await stylize(engine.vgg, { content, styles: [style], options });
    expect(tf.memory().numTensors, 'tensors left').to.equal(before);
    expect(Buffer.from(again.image.data).equals(Buffer.from(first.image.data))).to.equal(true);
  });

  it('is refused with masks, before any work, saying why', async () => {
    const engine = await testEngine();
    const { content, style } = await fixtureImages();
    const refused = async (request: Parameters<typeof stylize>[1]) =>
      stylize(engine.vgg, request).then(() => null, (e: Error) => e.message);
    const options = { size: 64, multiScale: false, iterations: 1, styleLoss: 'sliced-wasserstein' as const };
    const white = new Uint8Array(content.width * content.height).fill(255);
    const mask = { width: content.width, height: content.height, data: white };
    expect(await refused({ content, styles: [style], masks: [mask], options }))
      .to.match(/^styleLoss sliced-wasserstein and masks do not go together yet/);
  });
});
