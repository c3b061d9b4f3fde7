import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { toVggImage } from '../../../packages/engine/src/core/image/convert';
import { HostImage } from '../../../packages/engine/src/core/image/host-image';
import { uniformNoise } from '../../../packages/engine/src/core/image/noise';
import { resizeHost } from '../../../packages/engine/src/core/image/resize';
import { prepareConv } from '../../../packages/engine/src/core/ops/conv';
import { conv3x3Relu } from '../../../packages/engine/src/core/ops/conv-relu';
import { onTorus, wrapPad1 } from '../../../packages/engine/src/core/ops/wrap';
import { hostImage } from '../../../packages/engine/src/core/image/host-image';
import {
  circularUpsample2x, circularUpsample2xAdjoint, PyramidBasis, upsample2x,
} from '../../../packages/engine/src/core/optim/pyramid';
import { StylizeOptions } from '../../../packages/engine/src/core/options';
import { RgbImage } from '../../../packages/engine/src/core/pixels';
import { stylize } from '../../../packages/engine/src/core/stylize';
import { planStylization } from '../../../packages/engine/src/core/plan';
import { circularTotalVariation } from '../../../packages/engine/src/core/seamless';
import { fromTensor, toTensor } from '../../../packages/engine/src/core/pixels';
import { Stage } from '../../../packages/engine/src/core/tiling/stages';
import { createTiledObjective } from '../../../packages/engine/src/core/tiling/tiled-objective';
import { validateOptions } from '../../../packages/engine/src/core/validate';
import { createWholeImageObjective } from '../../../packages/engine/src/core/whole-objective';
import { conv3x3ReluReference } from '../references';
import { fileStore, storedInMemory, wholeOf } from '../../../packages/engine/src/core/image/stored-image';
import { countedScratchFiles, fixtureImages, storedPyramid, testEngine } from '../helpers';

/** ‖a − b‖ / ‖b‖ of two tensors, read back. */
const relativeL2 = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.div(tf.norm(tf.sub(a, b)), tf.norm(b)).dataSync()[0]);

/**
 * The torus by brute force, independent of ops/wrap.ts: the image tiled 3x3 (tf.tile), `f` on that, the centre
 * cut out. Every centre pixel's neighbourhood is the torus's, and tfjs differentiates it all by itself.
 */
function torusReference(x: tf.Tensor4D, f: (t: tf.Tensor4D) => tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = x.shape;
  const big = f(tf.tile(x, [1, 3, 3, 1]) as tf.Tensor4D);
  return tf.slice(big, [0, h, w, 0], [1, h, w, big.shape[3]]);
}

/** A host image rolled by (dy, dx): the pixel at (r, c) goes to ((r + dy) mod h, (c + dx) mod w). */
function rolled(image: HostImage, dy: number, dx: number): HostImage {
  const { height: h, width: w, channels: c } = image;
  const data = new Float32Array(image.data.length);
  for (let r = 0; r < h; r++) {
    for (let col = 0; col < w; col++) {
      const from = (r * w + col) * c;
      const to = (((r + dy) % h) * w + ((col + dx) % w)) * c;
      for (let k = 0; k < c; k++) data[to + k] = image.data[from + k];
    }
  }
  return { ...image, data };
}

/** The whole-image objective's total loss at `image` and at it rolled by each shift, style and TV only. */
async function lossesRolled(options: Partial<StylizeOptions>, shifts: [number, number][]): Promise<number[]> {
  const engine = await testEngine();
  const { content: contentRgb, style: styleRgb } = await fixtureImages();
  const o = validateOptions({ size: 64, contentWeight: 0, multiScale: false, ...options });
  const plan = planStylization(o, contentRgb, [styleRgb], tf.getBackend());
  const scale = plan.scales[0];
  const image: HostImage = { ...uniformNoise(scale.height, scale.width, 3, 7) };
  engine.vgg.prepare(plan.layers, o.pooling); // layers keep their transforms from their first use on
  const before = tf.memory().numTensors;
  const objective = await createWholeImageObjective(engine.vgg, { content: image, styles: [toVggImage(styleRgb)] },
    plan, scale);
  const losses: number[] = [];
  try {
    for (const [dy, dx] of [[0, 0], ...shifts]) {
      const x = tf.tensor4d(rolled(image, dy, dx).data, [1, scale.height, scale.width, 3]);
      const { terms, gradient } = await objective.evaluate(x);
      tf.dispose([x, gradient]);
      losses.push(terms.total);
    }
  } finally {
    objective.dispose();
  }
  expect(tf.memory().numTensors, 'tensors left').to.equal(before);
  return losses;
}

/**
 * Mean |difference| of neighbouring pixels across the wrap lines (last column to first, last row to first) over the
 * same across the interior lines of the 16 px pooling grid: the wrap lines are such lines too, and VGG's 2x2
 * poolings make pixels across a grid line differ more than others, on the torus as well.
 */
function seamRatio(image: RgbImage): number {
  const { width: w, height: h, data } = image;
  const at = (r: number, c: number, k: number) => data[(r * w + c) * 3 + k];
  const sums = { wrap: 0, wraps: 0, grid: 0, grids: 0 };
  const add = (wrap: boolean, d: number) => {
    if (wrap) { sums.wrap += d; sums.wraps++; } else { sums.grid += d; sums.grids++; }
  };
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      for (let k = 0; k < 3; k++) {
        if ((c + 1) % 16 === 0) add(c === w - 1, Math.abs(at(r, (c + 1) % w, k) - at(r, c, k)));
        if ((r + 1) % 16 === 0) add(r === h - 1, Math.abs(at((r + 1) % h, c, k) - at(r, c, k)));
      }
    }
  }
  return (sums.wrap / sums.wraps) / (sums.grid / sums.grids);
}

describe('seamless: the objective on a torus', () => {
  before(async () => { await testEngine(); });

  it('wrap padding and its gradient equal tfjs\'s autodiff of the image tiled 3x3', () => {
    const x = tf.randomNormal([1, 5, 7, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const dy = tf.randomNormal([1, 7, 9, 3], 0, 1, 'float32', 2);
    // The padded image is the 3x3 tiling's window one pixel wider than the centre.
    const reference = (v: tf.Tensor4D) => tf.slice(tf.tile(v, [1, 3, 3, 1]), [0, 4, 6, 0], [1, 7, 9, 3]);
    expect(relativeL2(wrapPad1(x), reference(x))).to.equal(0);
    const got = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(wrapPad1(v as tf.Tensor4D), dy)))(x);
    const want = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(reference(v as tf.Tensor4D), dy)))(x);
    expect(relativeL2(got, want)).to.be.below(1e-6);
    tf.dispose([x, dy, got, want]);
  });

  for (const algorithm of ['direct', 'winograd', 'winograd-4x4'] as const) {
    it(`a conv3x3+ReLU (${algorithm}) on the torus: value and input gradient equal the 3x3 tiling's`, () => {
      const tolerance = algorithm === 'winograd-4x4' ? 5e-5 : 1e-5;
      for (const [h, w, cin, cout] of [[6, 9, 3, 8], [16, 16, 16, 32], [2, 3, 64, 8]]) {
        const kernel = tf.randomNormal([3, 3, cin, cout], 0, 0.2, 'float32', 1) as tf.Tensor4D;
        const bias = tf.randomNormal([cout], 0, 0.5, 'float32', 2) as tf.Tensor1D;
        const layer = prepareConv(tf.clone(kernel), tf.clone(bias), algorithm);
        const x = tf.randomNormal([1, h, w, cin], 0, 1, 'float32', 3) as tf.Tensor4D;
        const dy = tf.randomNormal([1, h, w, cout], 0, 1, 'float32', 4);
        const fast = (v: tf.Tensor) => onTorus(v as tf.Tensor4D, (p) => conv3x3Relu(p, layer));
        const plain = (v: tf.Tensor) => torusReference(v as tf.Tensor4D, (t) => conv3x3ReluReference(t, kernel, bias));
        const value = relativeL2(fast(x), plain(x));
        const gradientOf = (f: (v: tf.Tensor) => tf.Tensor) => tf.grad((v) => tf.sum(tf.mul(f(v), dy)))(x);
        const gradient = relativeL2(gradientOf(fast), gradientOf(plain));
        expect(value, `value ${h}x${w}x${cin}→${cout}`).to.be.below(tolerance);
        expect(gradient, `input gradient ${h}x${w}x${cin}→${cout}`).to.be.below(tolerance);
        layer.dispose();
        tf.dispose([kernel, bias, x, dy]);
      }
    });
  }

  it('total variation on the torus counts the wrap-around neighbours, and its gradient is tfjs\'s', () => {
    const x = tf.tensor4d([1, 2, 4, 8, 16, 32], [1, 2, 3, 1]);
    // Rows: (1-8)²+(2-16)²+(4-32)² twice (down, and wrapping back up); columns: each row's 3 cyclic pairs.
    const rows = 2 * (49 + 196 + 784);
    const cols = (1 + 4 + 9) + (64 + 256 + 576);
    expect(circularTotalVariation(x).dataSync()[0]).to.equal(rows + cols);
    // Its gradient against tfjs's autodiff of the same sum written with tf.tile: each pixel's right and lower
    // neighbours read from the image repeated once to the right and once below.
    const reference = (v: tf.Tensor4D) => {
      const next = (reps: number[], begin: number[]) => tf.slice(tf.tile(v, reps), begin, v.shape);
      return tf.add(tf.sum(tf.squaredDifference(next([1, 1, 2, 1], [0, 0, 1, 0]), v)),
        tf.sum(tf.squaredDifference(next([1, 2, 1, 1], [0, 1, 0, 0]), v)));
    };
    const y = tf.randomNormal([1, 5, 4, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    expect(relativeL2(circularTotalVariation(y), reference(y))).to.be.below(1e-6);
    const got = tf.grad((v: tf.Tensor) => circularTotalVariation(v as tf.Tensor4D))(y);
    const want = tf.grad((v: tf.Tensor) => reference(v as tf.Tensor4D))(y);
    expect(relativeL2(got, want)).to.be.below(1e-6);
    tf.dispose([x, y, got, want]);
  });

  it('the loss is the same for the image rolled by the pooling grid (16 px), and not without seamless', async () => {
    const shifts: [number, number][] = [[16, 32], [32, 16]];
    const torus = await lossesRolled({ seamless: true }, shifts);
    for (const loss of torus.slice(1)) expect(Math.abs(loss - torus[0]) / torus[0]).to.be.below(1e-5);
    const plain = await lossesRolled({}, shifts);
    expect(Math.abs(plain[1] - plain[0]) / plain[0], 'without seamless').to.be.above(1e-3);
  });

  it('the loss is the same for any roll when no layer is pooled (conv1_1, TV)', async () => {
    const torus = await lossesRolled({ seamless: true, styleLayers: ['conv1_1'], styleLayerWeights: [1],
      contentLayer: 'conv1_1', tvWeight: 10 }, [[5, 3], [1, 40]]);
    for (const loss of torus.slice(1)) expect(Math.abs(loss - torus[0]) / torus[0]).to.be.below(1e-5);
  });

  it('the pyramid\'s circular upsampling equals the 3x3 tiling\'s, and its adjoint is its transpose', () => {
    const x = tf.randomNormal([1, 3, 4, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    const y = tf.randomNormal([1, 6, 8, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    // The torus by brute force: the coarse image tiled 3x3, upsampled with zero padding, the centre cut out.
    const tiled = tf.slice(upsample2x(tf.tile(x, [1, 3, 3, 1]) as tf.Tensor4D, 18, 24), [0, 6, 8, 0], [1, 6, 8, 3]);
    expect(relativeL2(circularUpsample2x(x), tiled)).to.be.below(1e-6);
    const forward = tf.sum(tf.mul(circularUpsample2x(x), y)).dataSync()[0];
    const adjoint = tf.sum(tf.mul(x, circularUpsample2xAdjoint(y))).dataSync()[0];
    expect(Math.abs(forward - adjoint) / Math.abs(forward)).to.be.below(1e-5);
    tf.dispose([x, y, tiled]);
  });

  it('a texture from noise tiles without a seam; without seamless it has one (64 px, 20 iterations)', async () => {
    const engine = await testEngine();
    const { content, style } = await fixtureImages();
    const ratio = async (seamless: boolean) => seamRatio((await stylize(engine.vgg, { content, styles: [style],
      options: { size: 64, multiScale: false, previewEvery: 0, iterations: 20, init: 'noise', contentWeight: 0,
        seed: 1, seamless } })).image);
    const [torus, plain] = [await ratio(true), await ratio(false)];
    expect(torus, `seamless: wrap / grid lines ${torus}`).to.be.below(1.1);
    expect(plain, `not seamless: wrap / grid lines ${plain}`).to.be.above(1.1);
  });

  it('plans sizes on the 16 px grid, the output\'s too, whole or tiled', () => {
    const plan = (options: Partial<StylizeOptions>) => planStylization(validateOptions({ seamless: true, ...options }),
      { width: 451, height: 300 }, [{ width: 451, height: 300 }], 'wasm');
    const sizes = (options: Partial<StylizeOptions>) => plan(options).scales.map((s) => `${s.width}×${s.height}`);
    expect(sizes({ size: 100 })).to.deep.equal(['96×64']);
    expect(sizes({ size: 512 })).to.deep.equal(['512×336']);
    // To the nearest multiple: 600×399 becomes 608×400; the draft, 300×197 fitted to that, 304×192.
    expect(sizes({ size: 600, draftSize: 300 })).to.deep.equal(['304×192', '608×400']);
    expect(plan({ size: 600, draftSize: 300 }).final).to.deep.equal({ width: 608, height: 400 });
    // A scale too large for the backend is tiled, as without seamless (its halos wrap: tiled-objective's tests below).
    expect(plan({ size: 1024 }).scales.map((s) => s.tileSize)).to.deep.equal([null, 0]);
  });

  // The second keeps its stage images in scratch files, whose crops and sums wrap around the edges as memory's do.
  const tiledCases: [string, Partial<StylizeOptions>, number, boolean][] = [['style, content and TV', {}, 16, false],
    ['max pooling, every 2nd layer, the stage images in files', {
      pooling: 'max', styleLayers: ['conv1_2', 'conv2_2', 'conv3_2', 'conv4_2', 'conv5_2'], contentLayer: 'conv3_1',
    }, 24, true]];
  for (const [what, options, side, inFiles] of tiledCases) {
    it(`tiled on the torus equals whole on the torus: ${what}, tiles of ${side} px at every stage`, async () => {
      const engine = await testEngine();
      const { content: contentRgb, style: styleRgb } = await fixtureImages();
      const o = validateOptions({ size: 64, seamless: true, ...options });
      const plan = planStylization(o, contentRgb, [styleRgb], tf.getBackend());
      const scale = plan.scales[plan.scales.length - 1];
      const content = resizeHost(toVggImage(contentRgb), scale.height, scale.width);
      const inputs = { content, styles: [toVggImage(styleRgb)] };
      const image: HostImage = { ...content, data: uniformNoise(scale.height, scale.width, 3, 5).data
        .map((v, i) => 0.5 * v + 0.5 * content.data[i]) };
      engine.vgg.prepare(plan.layers, o.pooling);
      const before = tf.memory().numTensors;
      const whole = await createWholeImageObjective(engine.vgg, inputs, plan, scale);
      const tiles = (stage: Stage) => {
        const n = Math.max(1, Math.round(side / (stage.inputScale * stage.factor)));
        return { rows: n, cols: n };
      };
      const scratch = countedScratchFiles();
      const tiled = await createTiledObjective(engine.vgg, inputs, plan, scale, tiles,
        inFiles ? fileStore(scratch.files) : undefined);
      const x = toTensor(image);
      const want = await whole.evaluate(x);
      const got = await tiled.evaluate(storedInMemory(image));
      const wantGradient = toTensor({ ...image, data: (await fromTensor(want.gradient)).data });
      const gotGradient = toTensor(wholeOf(got.gradient));
      got.gradient.dispose();
      const gradientError = relativeL2(gotGradient, wantGradient);
      tf.dispose([x, want.gradient, wantGradient, gotGradient]);
      whole.dispose();
      tiled.dispose();
      expect(tf.memory().numTensors, 'tensors left').to.equal(before);
      expect(scratch.open(), 'scratch files left open').to.equal(0);
      expect(tiled.tiles(scale.height, scale.width), 'tiles per evaluation').to.be.above(8);
      for (const term of ['content', 'style', 'tv', 'total'] as const) {
        const [a, b] = [got.terms[term], want.terms[term]];
        expect(Math.abs(a - b), `${term}: ${a} vs ${b}`).to.be.at.most(1e-4 * Math.abs(b) + 1e-9);
      }
      expect(gradientError, 'gradient, relative L2').to.be.below(1e-3);
    });
  }

  it('the circular pyramid stops at an odd level; its gradient is the adjoint; the host twin equals it', () => {
    expect(new PyramidBasis(48, 20, 8, true).levels.map((l) => `${l.height}×${l.width}`))
      .to.deep.equal(['48×20', '24×10', '12×5']);
    const [h, w] = [32, 16];
    const basis = new PyramidBasis(h, w, 8, true);
    const z = tf.randomNormal([basis.length], 0, 1, 'float32', 11);
    const dx = tf.randomNormal([1, h, w, 3], 0, 1, 'float32', 12) as tf.Tensor4D;
    const image = basis.toImage(z);
    const gradient = basis.gradient(dx);
    const forward = tf.sum(tf.mul(image, dx)).dataSync()[0];
    const adjoint = tf.sum(tf.mul(z, gradient)).dataSync()[0];
    expect(Math.abs(forward - adjoint) / Math.abs(forward), 'adjoint').to.be.below(1e-5);
    for (const bandValues of [undefined, 3 * w * 3]) { // whole, and in bands of three rows
      const host = storedPyramid(h, w, z.dataSync() as Float32Array, dx.dataSync() as Float32Array, true, bandValues);
      expect(relativeL2(tf.tensor(host.image), tf.reshape(image, [-1])), 'host image').to.be.below(1e-6);
      expect(relativeL2(tf.tensor(host.gradient), gradient), 'host gradient').to.be.below(1e-6);
    }
    tf.dispose([z, dx, image, gradient]);
  });
});
