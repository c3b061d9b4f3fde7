import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { stylize } from '../../../packages/engine/src/index';
import { toVggImage } from '../../../packages/engine/src/core/image/convert';
import { cropHost } from '../../../packages/engine/src/core/image/host-image';
import { RgbImage } from '../../../packages/engine/src/core/pixels';
import { checkMasks, MaskImage } from '../../../packages/engine/src/core/regions';
import { decodeImageFile } from '../../../packages/engine/src/node/image';
import { fixtureImages, ROOT, testEngine } from '../helpers';
import { expectRefusal, gramDistance } from '../style-distance';

/** A mask the photo's size, white left of `split` (a fraction of the width) or, with `right`, right of it. */
function halfMask(photo: RgbImage, split: number, right = false): MaskImage {
  const data = new Uint8Array(photo.width * photo.height);
  for (let p = 0; p < data.length; p++) data[p] = ((p % photo.width) < photo.width * split) !== right ? 255 : 0;
  return { width: photo.width, height: photo.height, data };
}

/** The columns [from, to) of an RGB picture, in the network's units. */
function columns(image: RgbImage, from: number, to: number) {
  return cropHost(toVggImage(image), { top: 0, left: from, height: image.height, width: to - from });
}

/** Mean absolute difference, in 0..255 levels, between two pictures' columns [from, to). */
function meanDifference(a: RgbImage, b: RgbImage, from: number, to: number): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = from; x < to; x++) {
      const p = (y * a.width + x) * 3;
      for (let k = 0; k < 3; k++, n++) sum += Math.abs(a.data[p + k] - b.data[p + k]);
    }
  }
  return sum / n;
}

describe('regions: a style per mask (Gatys et al. 2017)', function () {
  let photo: RgbImage;
  let starry: RgbImage;
  let kandinsky: RgbImage;
  const options = { size: 64, multiScale: false, iterations: 40, previewEvery: 0 };

  before(async () => {
    await testEngine();
    ({ content: photo, style: starry } = await fixtureImages());
    kandinsky = await decodeImageFile(path.join(ROOT, 'media', 'styles', 'kandinsky_composition_vii.jpg'),
      { longestSide: 64, maxInputPixels: 1e8 });
    // Layers keep their transforms from their first use on: a first run makes them before tensors are counted.
    const warmUp = { content: photo, styles: [starry], options: { ...options, iterations: 1 } };
    await stylize((await testEngine()).vgg, warmUp);
  });

  // From the photo itself: the start, recoloured per region by default, must not be what sets the halves apart.
  for (const styleLoss of ['gram', 'sliced-wasserstein'] as const) {
    it(`paints each half in its own style (${styleLoss}): each half's Grams are nearer its style's than the other's`,
      async () => { await paintsHalves(styleLoss); });
  }

  async function paintsHalves(styleLoss: 'gram' | 'sliced-wasserstein'): Promise<void> {
    const engine = await testEngine();
    const before = tf.memory().numTensors;
    const result = await stylize(engine.vgg, { content: photo, styles: [starry, kandinsky],
      masks: [halfMask(photo, 0.5), halfMask(photo, 0.5, true)], options: { ...options, init: 'content', styleLoss } });
    expect(tf.memory().numTensors, 'tensors left').to.equal(before);
    const half = photo.width / 2;
    const [left, right] = [columns(result.image, 0, half), columns(result.image, half, photo.width)];
    const [s, k] = [toVggImage(starry), toVggImage(kandinsky)];
    const leftTo = { starry: await gramDistance(left, s), kandinsky: await gramDistance(left, k) };
    const rightTo = { starry: await gramDistance(right, s), kandinsky: await gramDistance(right, k) };
    expect(leftTo.starry, `left half: ${JSON.stringify(leftTo)}`).to.be.below(leftTo.kandinsky);
    expect(rightTo.kandinsky, `right half: ${JSON.stringify(rightTo)}`).to.be.below(rightTo.starry);
  }

  it('keeps the photo where no mask is white: far nearer it there than where the style paints', async () => {
    const engine = await testEngine();
    const masked = await stylize(engine.vgg, { content: photo, styles: [starry], masks: [halfMask(photo, 0.5)],
      options });
    const unmasked = await stylize(engine.vgg, { content: photo, styles: [starry], options });
    const quarter = photo.width / 4;
    const kept = meanDifference(masked.image, photo, photo.width - quarter, photo.width);
    const painted = meanDifference(masked.image, photo, 0, quarter);
    const paintedThere = meanDifference(unmasked.image, photo, photo.width - quarter, photo.width);
    const story = `kept ${kept.toFixed(1)}, painted ${painted.toFixed(1)}, unmasked there ${paintedThere.toFixed(1)}`;
    expect(kept, story).to.be.below(painted / 3);
    expect(kept, story).to.be.below(paintedThere / 3);
  });

  it('refuses masks that cannot be the run\'s, before any work, naming them', async () => {
    const engine = await testEngine();
    const run = (masks: MaskImage[], more = {}) =>
      stylize(engine.vgg, { content: photo, styles: [starry], masks, options: { ...options, ...more } });
    await expectRefusal(run([]), /Give one mask per style: 1 style, 0 masks\./);
    await expectRefusal(run([{ width: 10, height: 10, data: new Uint8Array(100).fill(255) }]),
      /The mask #1 is 10×10; a mask must be the photo's size, 64×43\./);
    await expectRefusal(run([{ ...halfMask(photo, 0.5), data: new Uint8Array(64 * 43) }]),
      /^The mask #1 is black everywhere: its style would paint nothing\./);
    await expectRefusal(run([halfMask(photo, 0.5)], { styleBlendWeights: [1] }), /styleBlendWeights and masks/);
    expect(() => checkMasks([halfMask(photo, 0.5)], 1, photo, ['sky.png'])).not.to.throw();
    expect(() => checkMasks([{ ...halfMask(photo, 0.5), data: new Uint8Array(64 * 43) }], 1, photo, ['sky.png']))
      .to.throw(/^The mask sky\.png is black everywhere/);
  });
});
