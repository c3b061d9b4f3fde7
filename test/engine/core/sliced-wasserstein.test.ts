import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { stylize } from '../../../packages/engine/src/index';
import { toVggImage } from '../../../packages/engine/src/core/image/convert';
import { uniformNoise } from '../../../packages/engine/src/core/image/noise';
import { resizeHost } from '../../../packages/engine/src/core/image/resize';
import { planStylization } from '../../../packages/engine/src/core/plan';
import { toTensor } from '../../../packages/engine/src/core/pixels';
import { hostImage, HostImage } from '../../../packages/engine/src/core/image/host-image';
import { styleRegion } from '../../../packages/engine/src/core/regions';
import {
  quantileTable, residualsInPlace, sliceDirections, SLICE_QUANTILES, weightedQuantiles,
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

  it('weighs positions: weights all 1 are the unweighted ranks and quantiles, weight 0 leaves a position out', () => {
    const n = 3000;
    const values = new Float32Array(n).map((_, i) => Math.sin(i * 12.9898) * 43.7);
    const table = quantileTable(values, n, 1);
    const ones = new Float32Array(n).fill(1);
    expect(Array.from(weightedQuantiles(values, ones))).to.deep.equal(Array.from(table));
    const [plain, weighted] = [values.slice(), values.slice()];
    expect(residualsInPlace(weighted, n, 1, table, SLICE_QUANTILES, undefined, ones))
      .to.equal(residualsInPlace(plain, n, 1, table));
    expect(Array.from(weighted)).to.deep.equal(Array.from(plain));
    // The first half alone: its own quantiles, and the second half's residuals 0.
    const firstHalf = new Float32Array(n).map((_, i) => (i < n / 2 ? 1 : 0));
    expect(Array.from(weightedQuantiles(values, firstHalf)))
      .to.deep.equal(Array.from(quantileTable(values.slice(0, n / 2), n / 2, 1)));
    const half = values.slice();
    const sum = residualsInPlace(half, n, 1, table, SLICE_QUANTILES, undefined, firstHalf);
    const own = values.slice(0, n / 2);
    expect(sum).to.be.closeTo(residualsInPlace(own, n / 2, 1, table), 1e-6 * sum);
    expect(Array.from(half.subarray(0, n / 2))).to.deep.equal(Array.from(own));
    expect(half.subarray(n / 2).every((r) => r === 0)).to.equal(true);
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
    await gradientCheck(false);
  });

  it('… with two styles each in its region (soft masks, weighted ranks), one from a part of its painting', async () => {
    await gradientCheck(true);
  });

  async function gradientCheck(regions: boolean): Promise<void> {
    const engine = await testEngine();
    const { content: photo, style: painting } = await fixtureImages();
    const o = validateOptions({ size: 32, multiScale: false, styleLoss: 'sliced-wasserstein', contentWeight: 0,
      tvWeight: 0 });
    const styles = regions ? [toVggImage(painting), resizeHost(toVggImage(painting), 20, 30)] : [toVggImage(painting)];
    const plan = planStylization(o, photo, styles, tf.getBackend());
    const scale = plan.scales[0];
    const content = resizeHost(toVggImage(photo), scale.height, scale.width);
    engine.vgg.prepare(plan.layers, o.pooling);
    const before = tf.memory().numTensors;
    const masked = regions ? {
      regions: softHalves(scale.height, scale.width).map((mask) => styleRegion(mask, o.styleLayers)),
      styleMasks: [softHalves(styles[0].height, styles[0].width)[0], null],
    } : {};
    const objective = await createWholeImageObjective(engine.vgg, { content, styles, ...masked }, plan, scale);
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
  }

  it('with a white mask (a region, a painting\'s part) is exactly the loss without one', async () => {
    const engine = await testEngine();
    const { content: photo, style: painting } = await fixtureImages();
    const o = validateOptions({ size: 40, multiScale: false, styleLoss: 'sliced-wasserstein' });
    const plan = planStylization(o, photo, [painting], tf.getBackend());
    const scale = plan.scales[0];
    const content = resizeHost(toVggImage(photo), scale.height, scale.width);
    const style = toVggImage(painting);
    const white = (h: number, w: number) => hostImage(h, w, 1, new Float32Array(h * w).fill(1));
    engine.vgg.prepare(plan.layers, o.pooling);
    const evaluate = async (inputs: Parameters<typeof createWholeImageObjective>[1]) => {
      const objective = await createWholeImageObjective(engine.vgg, inputs, plan, scale);
      const { terms, gradient } = await objective.evaluate(toTensor(content));
      const values = await gradient.data();
      gradient.dispose();
      objective.dispose();
      return { style: terms.style, gradient: values };
    };
    const plain = await evaluate({ content, styles: [style] });
    const masked = await evaluate({ content, styles: [style],
      regions: [styleRegion(white(scale.height, scale.width), o.styleLayers)],
      styleMasks: [white(style.height, style.width)] });
    expect(masked.style).to.be.closeTo(plain.style, 1e-6 * plain.style);
    let [d, norm] = [0, 0];
    for (let i = 0; i < plain.gradient.length; i++) {
      d += (masked.gradient[i] - plain.gradient[i]) ** 2;
      norm += plain.gradient[i] ** 2;
    }
    expect(Math.sqrt(d / norm), 'gradient, relative L2').to.be.below(1e-5);
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
});

/** Two masks of height × width: the left part the first's, the right the second's, a soft edge between. */
function softHalves(height: number, width: number): HostImage[] {
  const [left, right] = [new Float32Array(height * width), new Float32Array(height * width)];
  for (let p = 0; p < left.length; p++) {
    const t = Math.min(1, Math.max(0, ((p % width) - width / 2) / 4 + 0.5));
    [left[p], right[p]] = [1 - t, t];
  }
  return [hostImage(height, width, 1, left), hostImage(height, width, 1, right)];
}
