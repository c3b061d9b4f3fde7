import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { fromVggInput, keepContentColors, RgbImage, toVggInput } from '../../packages/engine/src/core/pixels';
import { MEAN_BGR } from '../../packages/engine/src/core/vgg19';
import { testEngine } from './helpers';

function randomImage(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) { s = (s * 1103515245 + 12345) >>> 0; data[i] = s >>> 24; }
  return { width, height, data };
}

describe('pixel conversions (RGB bytes ↔ VGG input)', function () {
  before(async () => { await testEngine(); });

  it('puts RGB bytes in BGR order with the mean subtracted', () => {
    const image: RgbImage = { width: 2, height: 1, data: Uint8Array.from([255, 0, 10, 1, 2, 3]) };
    const x = toVggInput(image);
    expect(x.shape).to.deep.equal([1, 1, 2, 3]);
    const got = Array.from(x.dataSync());
    const want = [10 - MEAN_BGR[0], 0 - MEAN_BGR[1], 255 - MEAN_BGR[2], 3 - MEAN_BGR[0], 2 - MEAN_BGR[1], 1 - MEAN_BGR[2]];
    got.forEach((v, i) => expect(v).to.be.closeTo(want[i], 1e-4));
    x.dispose();
  });

  it('round-trips bytes exactly, and clips and rounds what is outside 0..255', () => {
    const image = randomImage(7, 5, 3);
    const x = toVggInput(image);
    expect(Array.from(fromVggInput(x).data)).to.deep.equal(Array.from(image.data));
    x.dispose();
    const outside = tf.tensor4d([-500, 0.4 - MEAN_BGR[1], 500, 254.6 - MEAN_BGR[0], 1e6, -1e6], [1, 1, 2, 3]);
    expect(Array.from(fromVggInput(outside).data)).to.deep.equal([255, 0, 0, 0, 255, 255]);
    outside.dispose();
  });

  it('keepContentColors takes the luminance (YIQ) of one image and the colour of the other', () => {
    const stylized = randomImage(6, 4, 11);
    const content = randomImage(6, 4, 29);
    const out = tf.tidy(() => fromVggInput(keepContentColors(toVggInput(stylized), toVggInput(content))));
    // The same in plain RGB arithmetic.
    const y = (d: Uint8Array, i: number) => 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
    const iq = (d: Uint8Array, i: number) => [
      0.596 * d[i] - 0.274 * d[i + 1] - 0.322 * d[i + 2],
      0.211 * d[i] - 0.523 * d[i + 1] + 0.312 * d[i + 2],
    ];
    for (let i = 0; i < out.data.length; i += 3) {
      const l = y(stylized.data, i);
      const [ci, cq] = iq(content.data, i);
      const rgb = [l + 0.956 * ci + 0.621 * cq, l - 0.272 * ci - 0.647 * cq, l - 1.106 * ci + 1.703 * cq];
      rgb.forEach((v, c) => expect(out.data[i + c]).to.be.closeTo(Math.min(255, Math.max(0, v)), 1.01));
    }
  });
});
