import { expect } from 'chai';
import * as path from 'path';
import { parseTextureSize, textureCanvas, textureOptions } from '../../../packages/engine/src/core/texture';
import { checkJob } from '../../../packages/engine/src/node/job-check';
import { STYLE, tempDir } from '../helpers';

describe('a texture without a photo', () => {
  it('its size: WIDTHxHEIGHT, or one side for a square, within the size option\'s range', () => {
    expect(parseTextureSize('1024x512')).to.deep.equal({ width: 1024, height: 512 });
    expect(parseTextureSize('256')).to.deep.equal({ width: 256, height: 256 });
    expect(parseTextureSize(' 64X16 ')).to.deep.equal({ width: 64, height: 16 });
    for (const bad of ['15', '64x8193', '-64', '64x64x64', '1e3', '']) {
      expect(() => parseTextureSize(bad), bad).to.throw(`Invalid texture size ${JSON.stringify(bad)}`);
    }
  });

  it('its options: no content weight, a start from noise, the longest side; the rest are the user\'s', () => {
    const o = textureOptions({ styleWeight: 900, seamless: true }, { width: 96, height: 200 });
    expect(o).to.include({ contentWeight: 0, init: 'noise', size: 200, preserveColors: false, styleWeight: 900,
      seamless: true });
    // Saying what a texture says anyway is no contradiction.
    expect(textureOptions({ contentWeight: 0, init: 'noise', size: 200 }, { width: 96, height: 200 }).size).to.equal(200);
    expect(() => textureOptions({ init: 'content' }, { width: 64, height: 64 })).to.throw(/^init "content" does not go/);
    expect(() => textureOptions({ size: 512 }, { width: 64, height: 64 })).to.throw(/^size 512 does not go/);
  });

  it('its canvas is flat grey at its size; a job has a photo or a texture, not both and not neither', async () => {
    const canvas = textureCanvas({ width: 5, height: 3 });
    expect([canvas.width, canvas.height, canvas.data.length, new Set(canvas.data).size]).to.deep.equal([5, 3, 45, 1]);
    const output = path.join(tempDir(), 'out.png');
    const texture = { width: 64, height: 48 };
    expect((await checkJob({ texture, styles: [STYLE], output })).options).to.include({ size: 64, contentWeight: 0 });
    await checkJob({ content: STYLE, texture, styles: [STYLE], output }).then(
      () => expect.fail('a photo and a texture were taken'), (e) => expect(e.message).to.match(/not both/));
    await checkJob({ styles: [STYLE], output }).then(
      () => expect.fail('neither was refused'), (e) => expect(e.message).to.match(/Give a content image, or a texture/));
  });
});
