import * as assert from 'assert';
import * as path from 'path';
import { decodeImageFile } from '../../packages/engine/src/node/image';

const dir = path.join(__dirname, '..', 'fixtures', 'bmp');
const decode = (name: string) => decodeImageFile(path.join(dir, name), { maxInputPixels: 1e8 });

describe('BMP input (sharp reads none; the engine decodes it)', () => {
  for (const kind of ['24bit', 'palette', 'argb']) {
    it(`a ${kind} BMP reads as the same pixels ImageMagick reads`, async () => {
      const bmp = await decode(`starry-16-${kind}.bmp`);
      const png = await decode(`starry-16-${kind}.png`);
      assert.deepStrictEqual([bmp.width, bmp.height], [png.width, png.height]);
      assert.deepStrictEqual(Buffer.from(bmp.data), Buffer.from(png.data));
    });
  }

  it('a BMP is resized like any other input', async () => {
    const img = await decodeImageFile(path.join(dir, 'starry-16-24bit.bmp'), { maxInputPixels: 1e8, longestSide: 32 });
    assert.strictEqual(Math.max(img.width, img.height), 32);
  });

  it('an RLE-compressed BMP is refused by name', async () => {
    await assert.rejects(decode('starry-16-rle.bmp'), /is a BMP we cannot read \(RLE compression\)\. Convert it to PNG\./);
  });

  it('the pixel limit applies to BMPs too', async () => {
    await assert.rejects(decodeImageFile(path.join(dir, 'starry-16-24bit.bmp'), { maxInputPixels: 100 }), /too large/);
  });
});
