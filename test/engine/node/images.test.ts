import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { decodeImageFile, encodeImage, writeImageFile } from '../../../packages/engine/src/node/image';
import { readPngText } from '../../../packages/engine/src/node/png-text';
import { CONTENT, tempDir } from '../helpers';

const LIMIT = { maxInputPixels: 268402689 };

describe('image input and output (sharp)', () => {
  let dir: string;
  before(() => { dir = tempDir(); });

  for (const format of ['png', 'jpeg', 'webp', 'tiff', 'gif', 'avif'] as const) {
    it(`reads ${format}`, async () => {
      const file = path.join(dir, `in.${format}`);
      await sharp(CONTENT).toFormat(format).toFile(file);
      const image = await decodeImageFile(file, LIMIT);
      expect([image.width, image.height]).to.deep.equal([64, 43]);
      expect(image.data).to.have.length(64 * 43 * 3);
    });
  }

  it('applies EXIF orientation', async () => {
    const file = path.join(dir, 'rotated.jpg');
    await sharp(CONTENT).jpeg().withMetadata({ orientation: 6 }).toFile(file); // 6: rotate 90° clockwise to display
    const image = await decodeImageFile(file, LIMIT);
    expect([image.width, image.height]).to.deep.equal([43, 64]);
  });

  it('composites transparency onto white', async () => {
    const file = path.join(dir, 'alpha.png');
    await sharp({ create: { width: 4, height: 4, channels: 4,
      background: { r: 255, g: 0, b: 0, alpha: 0 } } }).png().toFile(file);
    const image = await decodeImageFile(file, LIMIT);
    expect(Array.from(image.data.slice(0, 3))).to.deep.equal([255, 255, 255]);
  });

  it('converts greyscale, palette, 16-bit and CMYK to 8-bit RGB', async () => {
    const cases: [string, sharp.Sharp][] = [
      ['grey.png', sharp(CONTENT).greyscale().png()],
      ['palette.png', sharp(CONTENT).png({ palette: true, colours: 16 })],
      ['deep.png', sharp(CONTENT).toColourspace('rgb16').png()],
      ['cmyk.jpg', sharp(CONTENT).toColourspace('cmyk').jpeg()],
    ];
    for (const [name, pipeline] of cases) {
      const file = path.join(dir, name);
      await pipeline.toFile(file);
      const image = await decodeImageFile(file, LIMIT);
      expect(image.data, name).to.have.length(64 * 43 * 3);
      const meanOf = image.data.reduce((a, b) => a + b, 0) / image.data.length;
      expect(meanOf, `${name} mean brightness`).to.be.within(40, 220);
    }
  });

  it('resizes to the longest side', async () => {
    const image = await decodeImageFile(CONTENT, { ...LIMIT, longestSide: 32 });
    expect([image.width, image.height]).to.deep.equal([32, 22]);
  });

  it('writes the format of the output extension, with the parameters in PNG text', async () => {
    const image = await decodeImageFile(CONTENT, LIMIT);
    for (const [ext, format] of [['png', 'png'], ['jpg', 'jpeg'], ['webp', 'webp'], ['avif', 'heif'], ['tiff', 'tiff']]) {
      const file = path.join(dir, `out.${ext}`);
      await writeImageFile(image, file, [CONTENT], '{"seed":7}');
      expect((await sharp(file).metadata()).format, ext).to.equal(format);
    }
    const text = readPngText(fs.readFileSync(path.join(dir, 'out.png')));
    expect(JSON.parse(text['neural-style'])).to.deep.equal({ seed: 7 });
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
  });

  it('refuses an unknown output format and writing over an input', async () => {
    const image = await decodeImageFile(CONTENT, LIMIT);
    const error = await encodeImage(image, 'x.bmp').catch((e) => e);
    expect(error.message).to.match(/unknown output format "\.bmp"\. Use one of: \.png/);
    const copy = path.join(dir, 'source.png');
    fs.copyFileSync(CONTENT, copy);
    const before = fs.readFileSync(copy);
    const refused = await writeImageFile(image, copy, [copy]).catch((e) => e);
    expect(refused.message).to.match(/it is the input image .*source\.png/);
    expect(fs.readFileSync(copy).equals(before)).to.equal(true);
  });
});
