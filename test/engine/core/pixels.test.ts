import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { keepContentColors } from '../../../packages/engine/src/core/image/colour';
import { MEAN_BGR, toRgbImage, toVggImage } from '../../../packages/engine/src/core/image/convert';
import { hostImage, RgbImage } from '../../../packages/engine/src/core/image/host-image';
import { resizeHost } from '../../../packages/engine/src/core/image/resize';
import { fromTensor, toTensor } from '../../../packages/engine/src/core/pixels';
import { testEngine } from '../helpers';

function randomImage(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) { s = (s * 1103515245 + 12345) >>> 0; data[i] = s >>> 24; }
  return { width, height, data };
}

describe('pixel conversions (RGB bytes ↔ the network’s convention)', function () {
  before(async () => { await testEngine(); });

  it('puts RGB bytes in BGR order with the mean subtracted', () => {
    const x = toVggImage({ width: 2, height: 1, data: Uint8Array.from([255, 0, 10, 1, 2, 3]) });
    expect([x.height, x.width, x.channels]).to.deep.equal([1, 2, 3]);
    const want = [10 - MEAN_BGR[0], 0 - MEAN_BGR[1], 255 - MEAN_BGR[2], 3 - MEAN_BGR[0], 2 - MEAN_BGR[1],
      1 - MEAN_BGR[2]];
    Array.from(x.data).forEach((v, i) => expect(v).to.be.closeTo(want[i], 1e-4));
  });

  it('round-trips bytes exactly, and clips and rounds what is outside 0..255 (half to even, as tf.round)', () => {
    const image = randomImage(7, 5, 3);
    expect(Array.from(toRgbImage(toVggImage(image)).data)).to.deep.equal(Array.from(image.data));
    const outside = hostImage(1, 3, 3,
      Float32Array.from([-500, 0.4 - MEAN_BGR[1], 500, 254.6 - MEAN_BGR[0], 1e6, -1e6, 2.5 - MEAN_BGR[0],
        3.5 - MEAN_BGR[1], 0.5 - MEAN_BGR[2]]));
    const got = Array.from(toRgbImage(outside).data);
    const viaTensors = tf.tidy(() =>
      Array.from(tf.add(toTensor(outside), tf.tensor1d([...MEAN_BGR])).clipByValue(0, 255).round().dataSync()));
    expect(got).to.deep.equal([255, 0, 0, 0, 255, 255, 0, 4, 2]);
    expect([viaTensors[2], viaTensors[1], viaTensors[0], viaTensors[5], viaTensors[4], viaTensors[3], viaTensors[8],
      viaTensors[7], viaTensors[6]]).to.deep.equal(got);
  });

  it('moves images to tensors and back unchanged', async () => {
    const x = toVggImage(randomImage(5, 4, 7));
    const t = toTensor(x);
    expect(t.shape).to.deep.equal([1, 4, 5, 3]);
    expect(Array.from((await fromTensor(t)).data)).to.deep.equal(Array.from(x.data));
    t.dispose();
  });

  for (const [h, w, toH, toW] of [[17, 23, 5, 7], [9, 8, 4, 4], [6, 10, 13, 21], [5, 5, 5, 5], [40, 30, 9, 14]]) {
    it(`resizes ${h}x${w} to ${toH}x${toW} as the tensor path did (2x2 averages, then bilinear with half-pixel centres)`, () => {
      const x = toVggImage(randomImage(w, h, h * w));
      const want = tf.tidy(() => {
        let y = toTensor(x);
        while (y.shape[1] >= 2 * toH && y.shape[2] >= 2 * toW) y = tf.avgPool(y, 2, 2, 'valid');
        return y.shape[1] === toH && y.shape[2] === toW ? y : tf.image.resizeBilinear(y, [toH, toW], false, true);
      });
      const got = resizeHost(x, toH, toW);
      const expected = want.dataSync();
      expect([got.height, got.width]).to.deep.equal([toH, toW]);
      got.data.forEach((v, i) => expect(v).to.be.closeTo(expected[i], 1e-3));
      want.dispose();
    });
  }

  it('keepContentColors takes the luminance (YIQ) of one image and the colour of the other', () => {
    const stylized = randomImage(6, 4, 11);
    const content = randomImage(6, 4, 29);
    const out = toRgbImage(keepContentColors(toVggImage(stylized), toVggImage(content), MEAN_BGR));
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
