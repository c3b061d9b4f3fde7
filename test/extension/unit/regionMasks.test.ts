/**
 * The panel's region masks on the host (regionMasks.ts): what a webview posts
 * is checked before anything is written, the files land beside the photo
 * under their CLI-ready names, marked as the panel's, and a file of that name
 * the panel did not write is replaced only when the user says so.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { readPngText } from '../../../packages/engine/src/node/png-text';
import { measureImage } from '../../../extension/src/imageProcess';
import { checkPostedMasks, maskPaths, masksForRun, masksProblem, writeMasks } from '../../../extension/src/regionMasks';
import { isRegionMask, REGION_KEYWORD } from '../../../extension/src/resultFiles';

const png = (width: number, height: number, grey = 255) =>
  sharp({ create: { width, height, channels: 3, background: { r: grey, g: grey, b: grey } } }).png().toBuffer();
const url = (bytes: Buffer) => `data:image/png;base64,${bytes.toString('base64')}`;
/** The photo as the image process measured it. */
const PHOTO = { name: 'chelsea.png', width: 6, height: 4 };

describe('region masks posted by the panel', () => {
  it('are taken as PNG bytes when each is a PNG of the painted size, one a style', async () => {
    const [white, black] = [await png(6, 4), await png(6, 4, 0)];
    const pngs = checkPostedMasks({ width: 6, height: 4, masks: [url(white), url(black)] }, 2, PHOTO);
    assert.deepStrictEqual(pngs.map((b, i) => b.equals([white, black][i])), [true, true]);
  });

  it('refuse what is not a PNG data URL, or not a PNG, naming the mask', async () => {
    const jpeg = await sharp(await png(6, 4)).jpeg().toBuffer();
    assert.throws(() => checkPostedMasks({ width: 6, height: 4, masks: [url(jpeg)] }, 1, PHOTO), /mask 1 is not a PNG image/);
    assert.throws(() => checkPostedMasks({ width: 6, height: 4, masks: ['data:image/jpeg;base64,AAAA'] }, 1, PHOTO),
      /mask 1 is not a PNG data URL \(it starts "data:image\/jpeg/);
    assert.throws(() => checkPostedMasks({ width: 6, height: 4, masks: [url(Buffer.from('not a png at all, not at all, no'))] }, 1, PHOTO),
      /mask 1 is not a PNG image/);
  });

  it('refuse a mask of another size than the one painted', async () => {
    const masks = [url(await png(6, 4)), url(await png(4, 6))];
    assert.throws(() => checkPostedMasks({ width: 6, height: 4, masks }, 2, PHOTO),
      /mask 2 is 4×6; a mask must be the photo's size, 6×4/);
  });

  it('refuse masks painted at another size than the photo\'s, naming both', async () => {
    const masks = [url(await png(4, 6))];
    assert.throws(() => checkPostedMasks({ width: 4, height: 6, masks }, 1, PHOTO),
      /painted at 4×6, and the photo chelsea.png is 6×4/);
  });

  it('refuse more masks than the panel has styles, and a size that is none or too large', async () => {
    const one = url(await png(6, 4));
    assert.throws(() => checkPostedMasks({ width: 6, height: 4, masks: [one, one] }, 1, PHOTO),
      /2 masks were sent; this panel paints 1 to 1/);
    assert.throws(() => checkPostedMasks({ width: 0, height: 4, masks: [one] }, 1, PHOTO), /0×4 is not a size/);
    assert.throws(() => checkPostedMasks({ width: 10_000, height: 10_000, masks: [one] }, 1, PHOTO), /10000×10000 is not a size/);
  });
});

describe('the photo\'s size the masks must have (the image process)', function () {
  this.timeout(60_000);
  const worker = path.resolve(__dirname, '..', '..', '..', 'packages', 'engine', 'dist', 'image-worker.js');
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-measure-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is the engine\'s: a photo its EXIF turns upright is measured upright; a file that is none says so', async () => {
    const turned = path.join(dir, 'turned.jpg');
    await sharp(await png(6, 4)).withMetadata({ orientation: 6 }).jpeg().toFile(turned);
    assert.deepStrictEqual(await measureImage(worker, turned, 1e6, () => undefined), { width: 4, height: 6 });
    fs.writeFileSync(path.join(dir, 'notes.png'), 'not an image');
    await assert.rejects(measureImage(worker, path.join(dir, 'notes.png'), 1e6, () => undefined), /notes\.png is not an image/);
  });
});

describe('a job\'s masks as paths (saved queue, Run again)', () => {
  const photo = path.resolve('/photos', 'chelsea.png');
  const beside = maskPaths(photo, 2);

  it('are named for the photo and the style\'s place, beside the photo', () => {
    assert.deepStrictEqual(beside.map((f) => path.relative(path.dirname(photo), f)),
      ['chelsea.region-1.png', 'chelsea.region-2.png']);
    assert.strictEqual(masksProblem(beside, photo, 2), null);
  });

  it('must be one a style, absolute PNGs in the photo\'s folder, never the photo', () => {
    assert.match(masksProblem(beside, photo, 1)!, /2 masks for 1 styles/);
    const outside = path.resolve('/photos', '..', 'elsewhere', 'chelsea.region-1.png');
    assert.match(masksProblem([outside], photo, 1)!, /is not a PNG file beside the photo/);
    const escaping = path.join(path.dirname(photo), 'sub', '..', '..', 'x.png');
    assert.match(masksProblem([escaping], photo, 1)!, /is not a PNG file beside the photo/);
    assert.match(masksProblem(['chelsea.region-1.png'], photo, 1)!, /is not a PNG file beside the photo/);
    assert.match(masksProblem([path.resolve('/photos', 'mask.jpg')], photo, 1)!, /is not a PNG file/);
    assert.match(masksProblem([path.resolve('/photos', 'chelsea.png')], path.resolve('/photos', 'chelsea.png'), 1)!,
      /is not a PNG file beside the photo/);
  });

  it('Run again takes them only for as many styles as it has, and only while they are there', () => {
    const there = () => true;
    assert.deepStrictEqual(masksForRun(beside, photo, 2, there), beside);
    assert.throws(() => masksForRun(beside, photo, 1, there),
      /cannot run again with these regions: 2 masks for 1 styles: give one mask a style\. Paint the regions again, or clear/);
    assert.throws(() => masksForRun(beside, photo, 2, (f) => f !== beside[1]),
      /the regions' mask .*chelsea\.region-2\.png no longer exists\. Paint the regions again, or clear them/);
  });

  it('on Windows, a path in another folder is refused by its drive and backslashes', () => {
    assert.strictEqual(masksProblem(['C:\\photos\\chelsea.region-1.png'], 'C:\\photos\\chelsea.png', 1, 'win32'), null);
    assert.match(masksProblem(['C:\\photos\\..\\x.png'], 'C:\\photos\\chelsea.png', 1, 'win32')!, /not a PNG file beside/);
  });
});

describe('writing the masks beside the photo', () => {
  let dir: string;
  let photo: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-regions-'));
    photo = path.join(dir, 'chelsea.png');
    fs.writeFileSync(photo, 'the photo');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const never = async () => assert.fail('asked to replace');

  it('writes one marked PNG a style under the CLI names, nothing else, and replaces its own without asking', async () => {
    const pngs = [await png(6, 4), await png(6, 4, 0)];
    const files = await writeMasks(photo, pngs, [], never, fs.existsSync);
    assert.deepStrictEqual(files, maskPaths(photo, 2));
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['chelsea.png', 'chelsea.region-1.png', 'chelsea.region-2.png']);
    assert.deepStrictEqual(JSON.parse(readPngText(fs.readFileSync(files![1]))[REGION_KEYWORD]),
      { photo: 'chelsea.png', style: 2 });
    assert.ok(files!.every(isRegionMask));
    const { width, height } = await sharp(files![0]).metadata();
    assert.deepStrictEqual([width, height], [6, 4]);
    // A new painting replaces the panel's own masks.
    await writeMasks(photo, [pngs[1], pngs[0]], [], never, fs.existsSync);
    assert.deepStrictEqual((await sharp(files![0]).raw().toBuffer())[0], 0);
    assert.strictEqual(fs.readFileSync(photo, 'utf8'), 'the photo');
  });

  it('asks before replacing a file of a mask\'s name it did not write; declined, the file stays', async () => {
    const theirs = path.join(dir, 'chelsea.region-1.png');
    fs.writeFileSync(theirs, 'a drawing of mine');
    const asked: string[][] = [];
    const no = async (files: string[]) => { asked.push(files); return false; };
    assert.strictEqual(await writeMasks(photo, [await png(6, 4)], [], no, fs.existsSync), undefined);
    assert.deepStrictEqual(asked, [[theirs]]);
    assert.strictEqual(fs.readFileSync(theirs, 'utf8'), 'a drawing of mine');
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['chelsea.png', 'chelsea.region-1.png'], 'no temp file left');
    const yes = async () => true;
    assert.deepStrictEqual(await writeMasks(photo, [await png(6, 4)], [], yes, fs.existsSync), [theirs]);
    assert.ok(isRegionMask(theirs));
  });

  it('never writes over an image of the job (a style named like a mask)', async () => {
    const style = path.join(dir, 'chelsea.region-1.png');
    await assert.rejects(writeMasks(photo, [await png(6, 4)], [style], never, () => true),
      /the mask .*chelsea.region-1.png would replace an image of this job/);
  });
});
