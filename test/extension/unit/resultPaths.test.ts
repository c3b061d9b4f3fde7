/**
 * The workspace's results for the explorer's menus (resultPaths.ts): a PNG
 * Neural Style made is listed, a photo is not, and the list follows the files.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatResultParameters, validateOptions } from '@neural-style/engine/options';
import { withPngText } from '../../../packages/engine/src/node/png-text';
import { isResultFileAsync } from '../../../extension/src/resultFiles';
import { ResultPaths } from '../../../extension/src/resultPaths';
import { isExpectedRefusal } from '../../../extension/src/refusal';

const root = path.resolve(__dirname, '..', '..', '..');
const photo = path.join(root, 'test', 'fixtures', 'chelsea-64.png');
const parameters = formatResultParameters({ content: 'dog.png', styles: ['/s/scream.jpg'], backend: 'wasm', steps: 3,
  options: validateOptions({ size: 96 }) });

describe('the workspace\'s results, for the menus (ResultPaths)', () => {
  let dir: string;
  const at = (name: string) => path.join(dir, name);
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-result-paths-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a result by its head without blocking; a photo, a JPEG or a missing file is none', async () => {
    fs.writeFileSync(at('dog.scream.png'), withPngText(fs.readFileSync(photo), 'neural-style', parameters));
    fs.writeFileSync(at('dog.jpg'), 'x');
    const files = [at('dog.scream.png'), photo, at('dog.jpg'), at('gone.png')];
    const found = await Promise.all(files.map(isResultFileAsync));
    assert.deepStrictEqual(found, [true, false, false, false]);
  });

  it('lists results by their keys, and follows a file that changes or goes', async () => {
    const paths = new ResultPaths();
    const result = at('dog.scream.png');
    fs.writeFileSync(result, withPngText(fs.readFileSync(photo), 'neural-style', parameters));
    fs.copyFileSync(photo, at('dog.png'));
    const changed = [await paths.consider(result, 'file:///r'), await paths.consider(at('dog.png'), 'file:///p')];
    assert.deepStrictEqual(changed, [true, false]);
    assert.deepStrictEqual(paths.list(), ['file:///r']);
    assert.strictEqual(await paths.consider(result, 'file:///r'), false, 'no change, nothing to publish');
    fs.copyFileSync(photo, result); // overwritten by a plain photo
    assert.strictEqual(await paths.consider(result, 'file:///r'), true);
    assert.deepStrictEqual(paths.list(), []);
    assert.strictEqual(paths.forget(result), false);
  });
});

describe('the explorer\'s menus', () => {
  const menus = JSON.parse(fs.readFileSync(path.join(root, 'extension', 'package.json'), 'utf8')).contributes.menus;

  it('offer the result commands on the known results only (on every PNG until the scan is done)', () => {
    for (const command of ['neuralStyle.stylizeAgain', 'neuralStyle.openInPanel']) {
      const entry = menus['explorer/context'].find((m: { command: string }) => m.command === command);
      assert.match(entry.when, /resource in neuralStyle\.results \|\| !neuralStyle\.resultsKnown/);
    }
  });

  it('a refusal the user can act on is expected (logged as info); a bug is not', async () => {
    const { NeuralStyleError } = await import('@neural-style/engine/options');
    const refusal = new NeuralStyleError('dog.png does not say how it was made', 'EPARAMETERS');
    assert.strictEqual(isExpectedRefusal(refusal), true);
    assert.strictEqual(isExpectedRefusal(new TypeError('x is undefined')), false);
  });
});
