/**
 * A photo's history from its results on disk (photoHistory.ts): found by the
 * chunk's photo name in the photo's folders, newest kept, oldest first,
 * merged with the panel's own runs once each. Real files in a temporary folder.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatResultParameters, validateOptions } from '@neural-style/engine/options';
import { withPngText } from '../../../packages/engine/src/node/png-text';
import type { RunView } from '../../../extension/shared/protocol';
import {
  FILES_LIMIT, findPhotoResults, HISTORY_LIMIT, mergeHistory, photoFolders, runOfResult,
} from '../../../extension/src/photoHistory';
import { readResultParametersAsync } from '../../../extension/src/resultFiles';

const root = path.resolve(__dirname, '..', '..', '..');
const png = fs.readFileSync(path.join(root, 'test', 'fixtures', 'chelsea-64.png'));

describe('a photo\'s history: its results on disk, whatever panel made them', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-history-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A result of `content` written into `folder` at `name`, `age` seconds old. */
  const result = (folder: string, name: string, content: string, age: number, extra: object = {}) => {
    fs.mkdirSync(folder, { recursive: true });
    const options = validateOptions({ size: 96, seed: age, ...extra });
    const styles = (extra as { styleBlendWeights?: number[] }).styleBlendWeights ? ['ink.jpg', 'hokusai.png'] : ['ink.jpg'];
    const text = formatResultParameters({ content, styles, backend: 'wasm', steps: 5, options });
    const file = path.join(folder, name);
    fs.writeFileSync(file, withPngText(png, 'neural-style', text));
    const when = new Date(Date.UTC(2026, 2, 1) - age * 1000);
    fs.utimesSync(file, when, when);
    return file;
  };

  it('finds the photo\'s results by the name in their chunk, oldest first, and nothing else', async () => {
    const photo = path.join(dir, 'pier.jpg');
    fs.writeFileSync(photo, 'a photo');
    const a = result(dir, 'pier.ink.png', 'pier.jpg', 300);
    const b = result(dir, 'renamed by hand.png', 'pier.jpg', 100);
    const out = path.join(dir, 'stylized');
    const c = result(out, 'pier.ink-1.png', 'pier.jpg', 200);
    result(dir, 'harbour.ink.png', 'harbour.jpg', 50); // another photo
    result(path.join(dir, 'elsewhere'), 'pier.ink.png', 'pier.jpg', 10); // a folder not asked
    fs.writeFileSync(path.join(dir, 'plain.png'), png); // no chunk
    fs.writeFileSync(path.join(dir, 'broken.png'), withPngText(png, 'neural-style', '{"software":"neural-style"}'));
    const found = await findPhotoResults(photo, [dir, out, dir]);
    assert.deepStrictEqual(found.map((f) => f.file), [a, c, b]);
    assert.deepStrictEqual(found.map((f) => f.parameters.options.seed), [300, 200, 100]);
  });

  it('keeps the newest HISTORY_LIMIT, reading the newest first and no further once it has them', async () => {
    const photo = path.join(dir, 'pier.jpg');
    const files = Array.from({ length: HISTORY_LIMIT + 40 }, (_, i) => result(dir, `r${i}.png`, 'pier.jpg', i + 1));
    const read: string[] = [];
    const found = await findPhotoResults(photo, [dir], (f) => { read.push(f); return readResultParametersAsync(f); });
    assert.deepStrictEqual(found.map((f) => f.file), files.slice(0, HISTORY_LIMIT).reverse());
    assert.ok(read.length < HISTORY_LIMIT + 16, `${read.length} of ${files.length} read`);
  });

  it('looks at no more than FILES_LIMIT PNGs of a folder', async () => {
    for (let i = 0; i < FILES_LIMIT + 7; i++) fs.writeFileSync(path.join(dir, `photo${i}.png`), png);
    const read: string[] = [];
    await findPhotoResults(path.join(dir, 'pier.jpg'), [dir], async (f) => { read.push(f); return undefined; });
    assert.strictEqual(read.length, FILES_LIMIT);
  });

  it('follows no link out of a folder, and a folder that is not there is none', async () => {
    const photo = path.join(dir, 'pier.jpg');
    const outside = result(path.join(dir, 'outside'), 'secret.png', 'pier.jpg', 5);
    const inner = path.join(dir, 'inner');
    fs.mkdirSync(inner);
    fs.symlinkSync(outside, path.join(inner, 'link.png'));
    assert.deepStrictEqual(await findPhotoResults(photo, [inner, path.join(dir, 'missing')]), []);
  });

  it('the folders: the photo\'s, the configured output folder, and those of the panel\'s runs', () => {
    const run = { outputPath: path.join(dir, 'old', 'pier.ink.png') } as RunView;
    assert.deepStrictEqual(photoFolders(path.join(dir, 'pier.jpg'), path.join(dir, 'out'), [run]),
      [dir, path.join(dir, 'out'), path.join(dir, 'old')]);
    assert.deepStrictEqual(photoFolders(path.join(dir, 'pier.jpg'), undefined), [dir]);
  });

  it('a found result is a run with its controls, its styles named as the panel names them, its time', async () => {
    const file = result(dir, 'pier.blend.png', 'pier.jpg', 60, { styleBlendWeights: [25, 75], styleWeight: 4e4 });
    const [found] = await findPhotoResults(path.join(dir, 'pier.jpg'), [dir]);
    const label = (name: string) => (name === 'hokusai.png' ? 'The Great Wave' : name);
    const run = runOfResult(found, label);
    assert.deepStrictEqual({ ...run, controls: undefined }, {
      outputSrc: '', outputName: 'pier.blend.png', outputPath: file, steps: 5, backend: 'wasm',
      finishedAt: Date.UTC(2026, 2, 1) - 60_000, controls: undefined, styleName: 'ink.jpg',
      secondStyle: { name: 'The Great Wave', blend: 75 },
    });
    assert.deepStrictEqual([run.controls?.styleWeight, run.controls?.size], [4e4, 96]);
    assert.strictEqual(run.regions, undefined, 'a blend is not painted in regions');
    const masks = { ...found, parameters: { ...found.parameters, masks: ['pier.region-1.png', 'pier.region-2.png'] } };
    assert.strictEqual(runOfResult(masks, label).regions, true);
  });
});

describe('merging a panel\'s runs with the photo\'s results', () => {
  const run = (outputPath: string, finishedAt?: number, elapsedMs?: number): RunView => ({
    outputSrc: '', outputName: path.basename(outputPath), outputPath, steps: 3, backend: 'cpu', finishedAt,
    ...(elapsedMs === undefined ? {} : { elapsedMs }),
  });

  it('each file once (the panel\'s own entry kept), in time order, a run with no time first', () => {
    const own = [run('/p/a.png', undefined, 1), run('/p/c.png', 300, 2)];
    const found = [run('/p/b.png', 200), run('/p/c.png', 299), run('/p/d.png', 400)];
    const merged = mergeHistory(own, found);
    assert.deepStrictEqual(merged.map((r) => [r.outputName, r.elapsedMs]),
      [['a.png', 1], ['b.png', undefined], ['c.png', 2], ['d.png', undefined]]);
    assert.deepStrictEqual(mergeHistory([], []), []);
  });
});
