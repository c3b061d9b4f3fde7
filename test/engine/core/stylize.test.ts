import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { CancelledError, scaleIterations, scaleSizes, stylize, validateOptions } from '../../../packages/engine/src/index';
import { RgbImage } from '../../../packages/engine/src/core/pixels';
import { fixtureImages, recordedRun, testEngine } from '../helpers';

describe('stylize (64 px)', function () {
  let content: RgbImage;
  let style: RgbImage;
  const base = { size: 64, multiScale: false, previewEvery: 0 };

  const run = recordedRun(base);

  before(async () => {
    await testEngine();
    ({ content, style } = await fixtureImages());
  });

  for (const [optimizer, iterations, factor] of [['lbfgs', 20, 4], ['adam', 20, 2]] as const) {
    it(`${optimizer} lowers the total loss at least ${factor}x in ${iterations} iterations`, async () => {
      const { result, seen } = await run({ optimizer, iterations, learningRate: 5 });
      expect(seen).to.have.length(iterations);
      const first = seen[0].losses.total;
      const last = seen[seen.length - 1].losses.total;
      expect(first / last, `loss ${first} → ${last}`).to.be.above(factor);
      expect(result.image.width).to.equal(64);
      expect(result.image.height).to.equal(43);
      expect(result.image.data).to.have.length(64 * 43 * 3);
    });
  }

  it('reports every iteration with losses per term, ETA, backend, and previews at the first step and every N', async () => {
    const { seen } = await run({ iterations: 6, previewEvery: 3, previewSize: 32 });
    expect(seen.map((p) => p.step)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    for (const p of seen) {
      expect(p.losses.content).to.be.at.least(0);
      expect(p.losses.style).to.be.above(0);
      // The default normalisation scales the content and TV sums to a 256×256 image: conv4_2 has 8×5 positions here,
      // 32×32 there.
      const weighted = (1024 / 40) * p.losses.content + 1500 * p.losses.style + (65536 / (64 * 43)) * p.losses.tv;
      expect(p.losses.total).to.be.closeTo(weighted, p.losses.total * 1e-5);
      expect(p.backend).to.equal(tf.getBackend());
      expect(p.etaMs).to.be.at.least(0);
    }
    expect(seen[seen.length - 1].etaMs).to.equal(0);
    expect(seen.filter((p) => p.preview).map((p) => p.step)).to.deep.equal([1, 3, 6]);
    const preview = seen[2].preview!;
    expect(Math.max(preview.width, preview.height)).to.equal(32);
    expect(preview.data).to.have.length(preview.width * preview.height * 3);
  });

  it('stops a scale early once the loss changes less than the tolerance over 10 iterations', async () => {
    const { seen } = await run({ optimizer: 'adam', init: 'content', learningRate: 0.5, iterations: 30, tolerance: 0.5 });
    expect(seen.length).to.equal(11);
    expect(seen[0].losses.total - seen[10].losses.total).to.be.below(0.5 * seen[10].losses.total);
    const full = await run({ optimizer: 'adam', init: 'content', learningRate: 0.5, iterations: 12, tolerance: 0 });
    expect(full.seen.length).to.equal(12);
  });

  it('runs coarse to fine above the draft size, each scale twice the last, the finer ones with fineIterations', async () => {
    expect(scaleSizes(validateOptions({ size: 512 }))).to.deep.equal([512]);
    expect(scaleSizes(validateOptions({ size: 2048 }))).to.deep.equal([512, 1024, 2048]);
    expect(scaleSizes(validateOptions({ size: 1500 }))).to.deep.equal([375, 750, 1500]);
    expect(scaleSizes(validateOptions({ size: 2048, multiScale: false }))).to.deep.equal([2048]);
    expect(scaleIterations(validateOptions({ iterations: 30, fineIterations: 4 }), 3)).to.deep.equal([30, 4, 4]);
    const { seen, result } = await run({ size: 128, draftSize: 64, multiScale: true, iterations: 2,
      fineIterations: 1 });
    expect(seen.map((p) => [p.scale, p.width])).to.deep.equal([[1, 64], [1, 64], [2, 128]]);
    expect(result.image.width).to.equal(128);
  });

  it('the same seed on the same backend gives identical bytes; another seed does not', async () => {
    const options = { init: 'noise', iterations: 3, seed: 42 };
    const a = await run(options);
    const b = await run(options);
    const c = await run({ ...options, seed: 43 });
    expect(Buffer.from(a.result.image.data).equals(Buffer.from(b.result.image.data))).to.equal(true);
    expect(Buffer.from(a.result.image.data).equals(Buffer.from(c.result.image.data))).to.equal(false);
  });

  it('blends several styles and preserves the content colours on request', async () => {
    const engine = await testEngine();
    const result = await stylize(engine.vgg, {
      content, styles: [style, content], options: { ...base, iterations: 3, styleBlendWeights: [3, 1],
        preserveColors: true },
    });
    // Colour preservation keeps the content's chrominance: the mean colour stays close.
    const mean = (img: RgbImage, c: number) =>
      img.data.filter((_, i) => i % 3 === c).reduce((a, b) => a + b, 0) / (img.width * img.height);
    for (let c = 0; c < 3; c++) expect(Math.abs(mean(result.image, c) - mean(content, c))).to.be.below(25);
    await expectRejection(stylize(engine.vgg, { content, styles: [style], options: { styleBlendWeights: [1, 2] } }), /styleBlendWeights: 2 weights for 1 style/);
  });

  it('style scale and init change the picture; every init starts where it says', async () => {
    // Two steps: the first L-BFGS step is scaled by 1/‖g‖₁, too small to show in 8-bit pixels.
    const a = await run({ iterations: 3, styleScale: 1 });
    const b = await run({ iterations: 3, styleScale: 0.5 });
    expect(Buffer.from(a.result.image.data).equals(Buffer.from(b.result.image.data))).to.equal(false);
    // The first reported content loss measures the distance of the start from the photo.
    const startContent = async (init: string,
      noiseRatio = 0.6) => (await run({ iterations: 1, init, noiseRatio })).seen[0].losses.content;
    const fromContent = await startContent('content');
    const fromBlend = await startContent('blend', 0.3);
    const fromNoise = await startContent('noise');
    const fromRecolored = await startContent('content-in-style-colors');
    expect(fromContent).to.be.below(1e-2); // 0 up to float rounding
    expect(fromBlend).to.be.above(0);
    expect(fromRecolored).to.be.above(0).and.below(fromNoise);
    expect(fromNoise).to.be.above(fromBlend);
  });

  it('a cancel stops within one iteration and frees every tensor', async () => {
    const engine = await testEngine();
    const before = tf.memory().numTensors;
    const abort = new AbortController();
    let steps = 0;
    const error = await stylize(engine.vgg, { content, styles: [style], options: { ...base, iterations: 50 } }, {
      signal: abort.signal,
      onProgress: (p) => { steps = p.step; if (p.step === 3) abort.abort(); },
    }).catch((e) => e);
    expect(error).to.be.instanceOf(CancelledError);
    expect(steps).to.equal(3);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('tf.memory() does not grow across runs (both optimizers, multi-scale, previews)', async () => {
    await run({ iterations: 2 });
    const before = tf.memory();
    for (const optimizer of ['lbfgs', 'adam']) await run({ optimizer, iterations: 3, size: 128, multiScale: true, draftSize: 64, previewEvery: 1, preserveColors: true });
    const after = tf.memory();
    expect(after.numTensors).to.equal(before.numTensors);
    expect(after.numBytes).to.equal(before.numBytes);
  });
});

async function expectRejection(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.then(() => null, (e) => e);
  expect(error, 'expected a rejection').to.be.instanceOf(Error);
  expect((error as Error).message).to.match(message);
}
