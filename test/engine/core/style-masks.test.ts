import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { stylize } from '../../../packages/engine/src/index';
import { toVggImage } from '../../../packages/engine/src/core/image/convert';
import { RgbImage } from '../../../packages/engine/src/core/pixels';
import { MaskImage } from '../../../packages/engine/src/core/regions';
import { decodeImageFile } from '../../../packages/engine/src/node/image';
import { fixtureImages, ROOT, testEngine } from '../helpers';
import { expectRefusal, gramDistance } from '../style-distance';

/** Two pictures side by side, at the shorter one's height (each cut at its bottom). */
function sideBySide(a: RgbImage, b: RgbImage): RgbImage {
  const height = Math.min(a.height, b.height);
  const width = a.width + b.width;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    data.set(a.data.subarray(y * a.width * 3, (y + 1) * a.width * 3), y * width * 3);
    data.set(b.data.subarray(y * b.width * 3, (y + 1) * b.width * 3), (y * width + a.width) * 3);
  }
  return { width, height, data };
}

/** A mask of `image`'s size, white in the columns [from, to). */
function columnsMask(image: RgbImage, from: number, to: number): MaskImage {
  const data = new Uint8Array(image.width * image.height);
  for (let p = 0; p < data.length; p++) data[p] = p % image.width >= from && p % image.width < to ? 255 : 0;
  return { width: image.width, height: image.height, data };
}

describe('style masks: a style taken from a part of its painting (Gatys et al. 2017)', function () {
  let photo: RgbImage;
  let starry: RgbImage;
  let kandinsky: RgbImage;
  let both: RgbImage;
  const options = { size: 64, multiScale: false, iterations: 40, previewEvery: 0, init: 'content' as const };

  before(async () => {
    await testEngine();
    ({ content: photo, style: starry } = await fixtureImages());
    kandinsky = await decodeImageFile(path.join(ROOT, 'media', 'styles', 'kandinsky_composition_vii.jpg'),
      { longestSide: 64, maxInputPixels: 1e8 });
    starry = await decodeImageFile(path.join(ROOT, 'media', 'styles', 'van_gogh_starry_night.jpg'),
      { longestSide: 64, maxInputPixels: 1e8 });
    both = sideBySide(starry, kandinsky);
    // Layers keep their transforms from their first use on: a first run makes them before tensors are counted.
    const warmUp = { content: photo, styles: [starry], options: { ...options, iterations: 1 } };
    await stylize((await testEngine()).vgg, warmUp);
  });

  for (const styleLoss of ['gram', 'sliced-wasserstein'] as const) {
    it(`paints in the style of the masked part (${styleLoss}): nearer that painting's Grams than the other's`,
      async () => { await paintsFromPart(styleLoss); });
  }

  async function paintsFromPart(styleLoss: 'gram' | 'sliced-wasserstein'): Promise<void> {
    const engine = await testEngine();
    const before = tf.memory().numTensors;
    const from = async (mask: MaskImage) => (await stylize(engine.vgg,
      { content: photo, styles: [both], styleMasks: [mask], options: { ...options, styleLoss } })).image;
    const left = await from(columnsMask(both, 0, starry.width));
    const right = await from(columnsMask(both, starry.width, both.width));
    expect(tf.memory().numTensors, 'tensors left').to.equal(before);
    const to = async (image: RgbImage) => ({ starry: await gramDistance(toVggImage(image), toVggImage(starry)),
      kandinsky: await gramDistance(toVggImage(image), toVggImage(kandinsky)) });
    const [leftTo, rightTo] = [await to(left), await to(right)];
    expect(leftTo.starry, `the left part's: ${JSON.stringify(leftTo)}`).to.be.below(leftTo.kandinsky);
    expect(rightTo.kandinsky, `the right part's: ${JSON.stringify(rightTo)}`).to.be.below(rightTo.starry);
  }

  it('refuses style masks that cannot be the run\'s, before any work, naming them', async () => {
    const engine = await testEngine();
    const run = (styleMasks: (MaskImage | null)[], more = {}, styles = [both]) =>
      stylize(engine.vgg, { content: photo, styles, styleMasks, options: { ...options, ...more } });
    const half = columnsMask(both, 0, starry.width);
    await expectRefusal(run([]), /one entry a style \(none: the whole painting\): 1 style, 0 entries\./);
    await expectRefusal(run([half], {}, [both, starry]), /: 2 styles, 1 entry\./);
    await expectRefusal(run([null, columnsMask(starry, 0, 9)], {}, [both, kandinsky]),
      new RegExp(`^The style mask #2 is ${starry.width}×${starry.height}; a style mask must be its painting's size, `
        + `${kandinsky.width}×${kandinsky.height}\\.`));
    await expectRefusal(run([{ ...half, data: new Uint8Array(half.data.length) }]),
      /^The style mask #1 is black everywhere: it would take nothing from its painting\./);
  });
});
