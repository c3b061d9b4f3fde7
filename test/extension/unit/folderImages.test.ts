import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { withPngText } from '../../../packages/engine/src/node/png-text';
import { imagesInFolder, MAX_FOLDER_IMAGES } from '../../../extension/src/folderImages';

const root = path.resolve(__dirname, '..', '..', '..');
const photo = fs.readFileSync(path.join(root, 'test', 'fixtures', 'chelsea-64.png'));

describe('the photos of a folder (Stylize Images in Folder…)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-folder-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const put = (name: string, bytes: Buffer = photo) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), bytes);
  };

  it('lists images sorted, leaves out results, other files, hidden folders and node_modules; subfolders on request', () => {
    for (const name of ['b.png', 'a.JPG', 'notes.txt', 'sub/c.webp', '.git/d.png', 'node_modules/e.png']) put(name);
    put('a.starry.png', withPngText(photo, 'neural-style', '{}'));
    const flat = imagesInFolder(dir, false);
    assert.deepStrictEqual(flat.images.map((f) => path.relative(dir, f)), ['a.JPG', 'b.png']);
    assert.deepStrictEqual([flat.results, flat.truncated], [1, false]);
    assert.deepStrictEqual(imagesInFolder(dir, true).images.map((f) => path.relative(dir, f)), ['a.JPG', 'b.png', path.join('sub', 'c.webp')]);
  });

  it('leaves out the region masks the panel saved beside a photo, and counts them with the results', () => {
    put('a.png');
    put('a.region-1.png', withPngText(photo, 'neural-style-region', '{"photo":"a.png","style":1}'));
    put('mine.region-1.png'); // named like a mask, but the user's own picture
    const found = imagesInFolder(dir, false);
    assert.deepStrictEqual(found.images.map((f) => path.basename(f)), ['a.png', 'mine.region-1.png']);
    assert.strictEqual(found.results, 1);
  });

  it('stops at the limit and says so; does not follow links out of the folder', () => {
    for (let i = 0; i <= MAX_FOLDER_IMAGES; i++) put(`many/${String(i).padStart(4, '0')}.png`, Buffer.alloc(1));
    const many = imagesInFolder(path.join(dir, 'many'), false);
    assert.deepStrictEqual([many.images.length, many.truncated], [MAX_FOLDER_IMAGES, true]);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'x.png'), photo);
      fs.symlinkSync(outside, path.join(dir, 'link'));
      assert.deepStrictEqual(imagesInFolder(dir, true).images.filter((f) => f.includes('link')), []);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
