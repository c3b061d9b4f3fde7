import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { toVggImage } from '../../../packages/engine/src/core/image/convert';
import { HostImage, hostImage } from '../../../packages/engine/src/core/image/host-image';
import { uniformNoise } from '../../../packages/engine/src/core/image/noise';
import { resizeHost } from '../../../packages/engine/src/core/image/resize';
import { StylizeOptions } from '../../../packages/engine/src/core/options';
import { planStylization } from '../../../packages/engine/src/core/plan';
import { styleRegion } from '../../../packages/engine/src/core/regions';
import { fromTensor, toTensor } from '../../../packages/engine/src/core/pixels';
import { Stage } from '../../../packages/engine/src/core/tiling/stages';
import { createTiledObjective } from '../../../packages/engine/src/core/tiling/tiled-objective';
import { validateOptions } from '../../../packages/engine/src/core/validate';
import { createWholeImageObjective } from '../../../packages/engine/src/core/whole-objective';
import { decodeImageFile } from '../../../packages/engine/src/node/image';
import { fileStore, storedInMemory, wholeOf } from '../../../packages/engine/src/core/image/stored-image';
import { CONTENT, countedScratchFiles, STYLE, testEngine } from '../helpers';

/** Interiors of `side` pixels at full resolution: many tiles per stage at these sizes. */
const tilesOf = (side: number) => (stage: Stage) => {
  const n = Math.max(1, Math.round(side / (stage.inputScale * stage.factor)));
  return { rows: n, cols: n };
};

const relativeL2 = (a: Float32Array, b: Float32Array) => {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) { d += (a[i] - b[i]) ** 2; n += b[i] ** 2; }
  return Math.sqrt(d / n);
};

/**
 * Two regions of an image, for its two styles: the left ~third all the first's, the rest the second's with a soft edge
 * between, and the bottom-right corner neither's (kept).
 */
function twoRegions(height: number, width: number): HostImage[] {
  const [first, second] = [new Float32Array(height * width), new Float32Array(height * width)];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = Math.min(1, Math.max(0, (x - width / 3) / 6));
      first[y * width + x] = 1 - t;
      second[y * width + x] = y > height * 0.7 && x > width * 0.7 ? 0 : t;
    }
  }
  return [hostImage(height, width, 1, first), hostImage(height, width, 1, second)];
}

/**
 * A mask over a painting: a soft-edged disc off its centre, so that tiles at the painting's border meet both the part
 * and the rest.
 */
function paintingPart(height: number, width: number): HostImage {
  const data = new Float32Array(height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.hypot((x - 0.4 * width) / width, (y - 0.6 * height) / height);
      data[y * width + x] = Math.min(1, Math.max(0, (0.4 - r) * 8));
    }
  }
  return hostImage(height, width, 1, data);
}

/** What a comparison adds to one style over the whole photo. */
interface Setting {
  /** Styles blended (or with `regions`, each in its own). */
  styles?: number;
  /** The tiled objective keeps its stage images in scratch files. */
  inFiles?: boolean;
  /** Two styles each in its region (twoRegions) in place of blended. */
  regions?: boolean;
  /** Each painting's style taken from a part of it (paintingPart). */
  styleMasks?: boolean;
  /** A clip frame's temporal target: another image, held where a soft mask says (temporal.ts). */
  temporal?: boolean;
}

/** Compares at `size` px, tiles of about `tileSide`. */
async function compare(size: number, options: Partial<StylizeOptions>, tileSide: number,
  { styles = 1, inFiles = false, regions = false, styleMasks = false, temporal = false }: Setting = {}): Promise<void> {
  const engine = await testEngine();
  const o = validateOptions({ size, ...options, styleBlendWeights: styles > 1 && !regions ? [2, 1] : [] });
  const contentRgb = await decodeImageFile(CONTENT, { longestSide: size, maxInputPixels: 1e8 });
  const styleRgb = await decodeImageFile(STYLE, { longestSide: Math.round(size * o.styleScale), maxInputPixels: 1e8 });
  const plan = planStylization(o, contentRgb, Array(styles).fill(styleRgb), tf.getBackend());
  const scale = plan.scales[plan.scales.length - 1];
  const content = resizeHost(toVggImage(contentRgb), scale.height, scale.width);
  const style = toVggImage(styleRgb);
  const paintings = styles > 1 ? [style, resizeHost(style, 20, 37)] : [style];
  const inputs = { content, styles: paintings,
    ...regions ? { regions: twoRegions(scale.height, scale.width).map((m) => styleRegion(m, o.styleLayers)) } : {},
    ...styleMasks ? { styleMasks: paintings.map((p, i) => (i === 1 ? null : paintingPart(p.height, p.width))) } : {},
    ...temporal ? { temporal: { weight: 1000, weights: paintingPart(scale.height, scale.width),
      image: { ...content, data: uniformNoise(content.height, content.width, 3, 9).data } } } : {} };
  const image: HostImage = { ...content,
    data: uniformNoise(content.height, content.width, 3, 5).data.map((v, i) => 0.5 * v + 0.5 * content.data[i]) };
  engine.vgg.prepare(plan.layers, o.pooling); // layers keep their transforms from their first use on
  const before = tf.memory().numTensors;
  const whole = await createWholeImageObjective(engine.vgg, inputs, plan, scale);
  const scratch = countedScratchFiles();
  const store = inFiles ? fileStore(scratch.files) : undefined;
  const tiled = await createTiledObjective(engine.vgg, inputs, plan, scale, tilesOf(tileSide), store);
  const x = toTensor(image);
  const expected = await whole.evaluate(x);
  const got = await tiled.evaluate(storedInMemory(image));
  const gotGradient = wholeOf(got.gradient).data;
  got.gradient.dispose();
  const expectedGradient = (await fromTensor(expected.gradient)).data;
  tf.dispose([x, expected.gradient]);
  whole.dispose();
  if (inFiles) expect(scratch.open(), 'the content target\'s file, kept').to.equal(1);
  tiled.dispose();
  expect(tf.memory().numTensors, 'tensors left').to.equal(before);
  expect(scratch.open(), 'scratch files left open').to.equal(0);
  expect(tiled.tiles(scale.height, scale.width), 'tiles per evaluation').to.be.above(8);
  for (const term of ['content', 'style', 'tv', 'total'] as const) {
    const want = expected.terms[term];
    expect(Math.abs(got.terms[term] - want), `${term}: ${got.terms[term]} vs ${want}`).to.be.at.most(1e-4 * Math.abs(want) + 1e-9);
  }
  expect(relativeL2(gotGradient, expectedGradient), 'gradient, relative L2').to.be.below(1e-3);
}

describe('tiled objective: the whole image\'s loss and gradient, tile by tile', function () {
  before(async () => { await testEngine(); });

  it('equals the whole-image objective at 64x43 with 16 px tiles (odd sizes, tiles at every border)', async () => {
    await compare(64, {}, 16);
  });

  it('… with max pooling, TV off, the paper\'s Gram normalisation', async () => {
    await compare(64, { pooling: 'max', tvWeight: 0, normalization: 'paper' }, 24);
  });

  it('… with every layer a style layer and conv1_2 as the content layer', async () => {
    await compare(57, {
      styleLayers: ['conv1_1', 'conv1_2', 'conv2_1', 'conv2_2', 'conv3_1', 'conv3_2', 'conv3_3', 'conv3_4', 'conv4_1', 'conv4_2', 'conv4_3', 'conv4_4', 'conv5_1', 'conv5_2', 'conv5_3', 'conv5_4'],
      contentLayer: 'conv1_2',
    }, 20);
  });

  it('… with two styles blended, a style scale, no content term and conv5_1 as the content layer', async () => {
    await compare(61, { styleScale: 0.6, contentWeight: 0, contentLayer: 'conv5_1' }, 16, { styles: 2 });
  });

  it('… with the content layer deeper than every style layer', async () => {
    await compare(70, { styleLayers: ['conv1_1', 'conv2_1'], contentLayer: 'conv4_2' }, 18);
  });

  it('… with the stage outputs, their gradients and the content target in scratch files (a print\'s)', async () => {
    await compare(64, { styleScale: 0.8 }, 16, { inFiles: true });
  });

  it('… with two styles each in its own region (masks with a soft edge and a kept corner)', async () => {
    await compare(64, {}, 16, { styles: 2, regions: true });
  });

  it('… with regions on a torus (seamless), the stage images in scratch files', async () => {
    await compare(61, { seamless: true, styleScale: 0.7 }, 20, { styles: 2, inFiles: true, regions: true });
  });

  it('… with a part of each painting its style is taken from (a style mask), the paper\'s normalisation', async () => {
    await compare(64, { normalization: 'paper', styleScale: 0.8 }, 16, { styleMasks: true });
  });

  it('… with style masks on two styles in their regions: one painting masked, one whole', async () => {
    await compare(61, {}, 20, { styles: 2, regions: true, styleMasks: true });
  });

  it('… with a clip frame\'s temporal target held where a soft mask says, in scratch files', async () => {
    await compare(61, {}, 20, { inFiles: true, temporal: true });
  });

  // The sliced loss ranks every position of a layer: tiles rank the same values, up to the last bits of the features.
  it('… with the sliced-Wasserstein loss (each direction ranked over every tile\'s projections)', async () => {
    await compare(64, { styleLoss: 'sliced-wasserstein' }, 16);
  });

  it('… with the sliced-Wasserstein loss, two styles each in its region (weighted ranks), one from a part', async () => {
    await compare(64, { styleLoss: 'sliced-wasserstein' }, 16, { styles: 2, regions: true, styleMasks: true });
  });

  it('… with the sliced-Wasserstein loss, two styles blended, on a torus, its projections in scratch files', async () => {
    await compare(61, { styleLoss: 'sliced-wasserstein', seamless: true, styleScale: 0.7 }, 20,
      { styles: 2, inFiles: true });
  });
});
