import * as assert from 'assert';
import * as path from 'path';
import { decodeImageFile } from '../../../packages/engine/src/node/image';

const dir = path.join(__dirname, '..', '..', 'fixtures', 'bmp');
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

  it('a bit-field BMP cut short before its masks is refused by name (it used to throw a RangeError)', async () => {
    const fs = await import('fs');
    const os = await import('os');
    const bytes = Buffer.alloc(60);
    bytes.write('BM', 0);
    bytes.writeUInt32LE(40, 14); // header size
    bytes.writeInt32LE(1, 18); // 1×1
    bytes.writeInt32LE(1, 22);
    bytes.writeUInt16LE(32, 28); // 32 bits per pixel
    bytes.writeUInt32LE(3, 30); // BI_BITFIELDS: the masks would be at 54..66
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ns-bmp-')), 'short.bmp');
    fs.writeFileSync(file, bytes);
    await assert.rejects(decodeImageFile(file, { maxInputPixels: 1e8 }), /short\.bmp is a BMP we cannot read \(truncated bit fields\)/);
  });

  it('the pixel limit applies to BMPs too', async () => {
    await assert.rejects(decodeImageFile(path.join(dir, 'starry-16-24bit.bmp'), { maxInputPixels: 100 }), /too large/);
  });
});
