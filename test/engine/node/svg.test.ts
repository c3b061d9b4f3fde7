import { expect } from 'chai';
import { fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import * as zlib from 'zlib';
import { decodeImageFile, NeuralStyleError, stylizeFiles } from '../../../packages/engine/src/index';
import { parseFromImages } from '../../../packages/engine/src/image-protocol';
import { CONTENT, listFiles, STYLE, tempDir, testEngine } from '../helpers';

const IMAGE_WORKER = require.resolve('@neural-style/engine/image-worker');
const XLINK = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"';

/*
 * librsvg draws what an SVG refers to: a picture beside it, a text file
 * through XInclude, itself. None of it may reach a result, whatever the file
 * is called: an SVG is refused by what its bytes are.
 */
describe('an SVG is never drawn, whatever its name (issue 21, defects 2 and 3)', () => {
  let dir: string;
  const svgs: Record<string, string | Buffer> = {
    // SVG 2's plain href to a PNG beside it.
    'sketch.jpg': `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><image href="beside.png" width="48" height="48"/></svg>`,
    // Text pulled in by XInclude.
    'notes.tiff': `<?xml version="1.0"?><svg ${XLINK} xmlns:xi="http://www.w3.org/2001/XInclude" width="200" height="40">`
      + '<text x="0" y="20"><xi:include href="token.txt" parse="text"/></text></svg>',
    // Itself, twice removed: a → b → a.
    'a.webp': `<svg ${XLINK} width="32" height="32"><image xlink:href="b.gif" width="32" height="32"/></svg>`,
    'b.gif': `<svg ${XLINK} width="32" height="32"><image xlink:href="a.webp" width="32" height="32"/></svg>`,
    // A byte-order mark, an XML declaration and a comment before the root.
    'bom.png': `\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n<svg ${XLINK} viewBox="0 0 10 10"><rect width="10" height="10" fill="#c00"/></svg>`,
  };

  before(async () => {
    dir = tempDir('ns-svg-');
    for (const [name, text] of Object.entries(svgs)) fs.writeFileSync(path.join(dir, name), text);
    // Compressed SVG (svgz) under an image's name.
    fs.writeFileSync(path.join(dir, 'packed.avif'), zlib.gzipSync(Buffer.from(svgs['bom.png'] as string)));
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f0f' } }).png().toFile(path.join(dir, 'beside.png'));
    fs.writeFileSync(path.join(dir, 'token.txt'), 'hunter2-token');
  });

  const refusal = /is an SVG drawing, which is not read .*Export it as PNG first/;
  const cases: [string, RegExp][] = [
    ['sketch.jpg', refusal], ['notes.tiff', refusal], ['a.webp', refusal], ['b.gif', refusal], ['bom.png', refusal],
    ['packed.avif', /is not an image we can read\. Use png, jpeg/],
  ];

  for (const [name, message] of cases) {
    it(`${name}: refused as content and as a style, in milliseconds, nothing written`, async () => {
      const engine = await testEngine();
      const file = path.join(dir, name);
      const before = fs.readFileSync(file);
      const out = tempDir('ns-svg-out-');
      for (const [content, style] of [[file, STYLE], [CONTENT, file]]) {
        const started = performance.now();
        const error = await stylizeFiles(engine, { content, styles: [style], output: path.join(out, 'r.png'), options: { size: 32, iterations: 1 } }).catch((e) => e);
        expect(error).to.be.instanceOf(NeuralStyleError);
        expect(error.code).to.equal('EIMAGE');
        expect(error.message).to.match(message);
        expect(error.message.startsWith(file), 'names the file').to.equal(true);
        expect(performance.now() - started).to.be.below(2000);
      }
      const decoded = await decodeImageFile(file, { maxInputPixels: 1e8 }).catch((e) => e);
      expect(decoded).to.be.instanceOf(NeuralStyleError);
      expect(listFiles(out)).to.deep.equal([]);
      expect(fs.readFileSync(file).equals(before), 'input untouched').to.equal(true);
    });
  }

  it('the image process (the webview GPU route) refuses them too and lives on', async () => {
    const child = fork(IMAGE_WORKER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    try {
      const answers = new Map<string, ReturnType<typeof parseFromImages>>();
      const waiting = new Map<string, () => void>();
      child.on('message', (raw) => {
        const m = parseFromImages(raw);
        if ('id' in m && m.id) { answers.set(m.id, m); waiting.get(m.id)?.(); }
      });
      const ask = (id: string, content: string) => new Promise<ReturnType<typeof parseFromImages>>((resolve) => {
        waiting.set(id, () => resolve(answers.get(id)!));
        child.send({ type: 'decode', id, content, styles: [STYLE], options: { size: 32 } });
      });
      for (const name of ['sketch.jpg', 'a.webp']) {
        const answer = await ask(name, path.join(dir, name));
        expect(answer).to.include({ type: 'error', code: 'EIMAGE' });
        expect((answer as { message: string }).message).to.match(refusal);
      }
      expect((await ask('photo', CONTENT)).type).to.equal('decoded');
    } finally {
      child.kill();
    }
  });
});
