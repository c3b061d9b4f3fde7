/**
 * The look at an image file's bytes before it is queued (imageHeader.ts):
 * real pictures of each kind pass, a file that is not one or was cut short is
 * named with what is wrong.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { imageFileProblem, sortImageFiles } from '../../../extension/src/imageHeader';

describe('image files checked by their bytes (imageHeader)', () => {
  let dir: string;
  const at = (name: string) => path.join(dir, name);
  const write = (name: string, bytes: Buffer | string) => {
    fs.writeFileSync(at(name), bytes);
    return at(name);
  };
  const picture = sharp({ create: { width: 23, height: 17, channels: 3, background: { r: 200, g: 40, b: 90 } } });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-header-'));
    write('cat.png', await picture.clone().png().toBuffer());
    write('cat.jpeg', await picture.clone().jpeg().toBuffer());
    write('cat.webp', await picture.clone().webp().toBuffer());
    write('cat.gif', await picture.clone().gif().toBuffer());
    write('cat.tif', await picture.clone().tiff().toBuffer());
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes real pictures of each kind, and a PNG named .jpg (its bytes decide)', async () => {
    const files = ['cat.png', 'cat.jpeg', 'cat.webp', 'cat.gif', 'cat.tif'].map(at);
    files.push(write('really-a-png.jpg', fs.readFileSync(at('cat.png'))));
    for (const file of files) assert.strictEqual(await imageFileProblem(file), undefined, file);
  });

  it('a JPEG with padding after its end marker is whole', async () => {
    const padded = Buffer.concat([fs.readFileSync(at('cat.jpeg')), Buffer.alloc(20)]);
    assert.strictEqual(await imageFileProblem(write('padded.jpg', padded)), undefined);
  });

  it('names a file whose bytes are not a picture by the format its name claims', async () => {
    assert.strictEqual(await imageFileProblem(write('notes.jpg', 'shopping list: eggs, milk\n')),
      'not a JPEG: its bytes are not an image');
    assert.strictEqual(await imageFileProblem(write('notes.webp', Buffer.from('RIFF\0\0\0\0WAVEfmt '))),
      'not a WebP: its bytes are not an image');
  });

  it('says a file cut short is truncated, and an empty or missing one what it is', async () => {
    const png = fs.readFileSync(at('cat.png'));
    const jpeg = fs.readFileSync(at('cat.jpeg'));
    assert.match(await imageFileProblem(write('half.png', png.subarray(0, png.length - 30))) ?? '', /^truncated: the PNG/);
    assert.match(await imageFileProblem(write('half.jpg', jpeg.subarray(0, jpeg.length / 2))) ?? '', /^truncated: the JPEG/);
    assert.strictEqual(await imageFileProblem(write('empty.png', '')), 'the file is empty');
    assert.strictEqual(await imageFileProblem(at('gone.png')), 'the file is not there');
  });

  it('sorts a batch: the readable ones in order, each bad one with its problem', async () => {
    const broken = write('broken.jpg', Buffer.from('<html>not found</html>'));
    const { good, bad } = await sortImageFiles([at('cat.png'), broken, at('cat.gif')]);
    assert.deepStrictEqual(good, [at('cat.png'), at('cat.gif')]);
    assert.deepStrictEqual(bad, [{ file: broken, problem: 'not a JPEG: its bytes are not an image' }]);
  });
});
