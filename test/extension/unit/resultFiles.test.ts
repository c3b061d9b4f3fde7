import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatResultParameters, validateOptions } from '@neural-style/engine/options';
import { withPngText } from '../../../packages/engine/src/node/png-text';
import { isResultFile, readResultParameters, stylesToFind } from '../../../extension/src/resultFiles';

const root = path.resolve(__dirname, '..', '..', '..');
const photo = path.join(root, 'test', 'fixtures', 'chelsea-64.png');

describe('results as files (the parameters a PNG carries)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-results-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, withPngText(fs.readFileSync(photo), 'neural-style', text));
    return file;
  };

  it('a result says what made it, without folders; a photo is no result', () => {
    const options = validateOptions({ styleWeight: 2e4, size: 64 });
    const file = write('cat.wave.png', formatResultParameters({ content: '/home/me/cat.png', styles: ['/home/me/wave.jpg'], backend: 'wasm', steps: 4, options }));
    assert.strictEqual(isResultFile(file), true);
    assert.strictEqual(isResultFile(photo), false);
    const read = readResultParameters(file);
    assert.deepStrictEqual([read.content, read.styles, read.options.styleWeight], ['cat.png', ['wave.jpg'], 2e4]);
  });

  it('a blend of two styles says both and its weights; the extension makes one or two again, not more', () => {
    const options = validateOptions({ styleBlendWeights: [70, 30] });
    const file = write('cat.starry+wave.png', formatResultParameters({ content: 'cat.png', styles: ['/s/starry.jpg', '/s/wave.jpg'], backend: 'wasm', steps: 2, options }));
    const read = readResultParameters(file);
    assert.deepStrictEqual([stylesToFind(file, read), read.options.styleBlendWeights], [['starry.jpg', 'wave.jpg'], [70, 30]]);
    const three = write('cat.three.png', formatResultParameters({ content: 'cat.png', styles: ['a.jpg', 'b.jpg', 'c.jpg'], backend: 'wasm', steps: 2, options: validateOptions({}) }));
    assert.throws(() => stylesToFind(three, readResultParameters(three)), /^NeuralStyleError: cat\.three\.png blends 3 styles \(a\.jpg, b\.jpg, c\.jpg\); the extension makes pictures of one or two\./);
  });

  it('a file without parameters, or with broken ones, is a clear error naming it', () => {
    assert.throws(() => readResultParameters(photo), /^NeuralStyleError: chelsea-64\.png does not say how it was made/);
    const broken = write('broken.png', '{"software":"neural-style","content":"a.png","styles":["b.png"],"backend":"wasm","steps":1,"size":3}');
    assert.throws(() => readResultParameters(broken), /^NeuralStyleError: broken\.png: The picture's neural-style parameters are not usable: Invalid size 3/);
    const missing = path.join(dir, 'gone.png');
    assert.strictEqual(isResultFile(missing), false);
    assert.throws(() => readResultParameters(missing), /gone\.png does not say/);
  });
});
