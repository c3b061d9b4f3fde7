import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { decodeImageFile, NeuralStyleError, parseToEngine, stylize, stylizeFiles, validateOptions, VGG_LAYERS } from '../../../packages/engine/src/index';
import { formatResultParameters, parseResultParameters } from '../../../packages/engine/src/result-parameters';
import { parseToImages } from '../../../packages/engine/src/image-protocol';
import { checkJob } from '../../../packages/engine/src/node/job-check';
import { decodeJobImages } from '../../../packages/engine/src/node/job-images';
import { CONTENT, fixtureImages, giveAway, listFiles, ROOT, runUnprivileged, STYLE, tempDir, testEngine } from '../helpers';

/** A tiny PNG whose header declares width × height: one short IDAT, then IEND. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

describe('bad input: one clear error each, nothing written', () => {
  let inputs: string;
  let out: string;
  const sources: Record<string, Buffer | null> = {};

  before(async () => {
    await testEngine();
    inputs = tempDir('ns-bad-in-');
    const rocket = fs.readFileSync(path.join(ROOT, '..', 'shared', 'images', 'content', 'rocket.jpg'));
    const chelsea = fs.readFileSync(path.join(ROOT, 'media', 'examples', 'chelsea.png'));
    Object.assign(sources, {
      'empty.png': Buffer.alloc(0),
      'notes.png': Buffer.from('these are not the pixels you are looking for\n'.repeat(20)),
      'truncated.jpg': rocket.subarray(0, Math.floor(rocket.length / 2)),
      'half.png': chelsea.subarray(0, Math.floor(chelsea.length / 2)),
      'bomb.png': pngHeaderOnly(100000, 100000),
    });
    for (const [name, bytes] of Object.entries(sources)) fs.writeFileSync(path.join(inputs, name), bytes!);
  });
  beforeEach(() => { out = tempDir('ns-bad-out-'); });

  async function failure(content: string, options: object = {}, output = path.join(out, 'result.png')): Promise<NeuralStyleError> {
    const engine = await testEngine();
    const started = performance.now();
    const error = await stylizeFiles(engine,
      { content, styles: [STYLE], output, options: { size: 32, iterations: 1, ...options } }).catch((e) => e);
    expect(error, 'expected an error').to.be.instanceOf(NeuralStyleError);
    expect(performance.now() - started, 'refused quickly').to.be.below(2000);
    expect(listFiles(out), 'nothing written').to.deep.equal([]);
    expect((error as Error).message.split('\n'), 'one line').to.have.length(1);
    return error;
  }

  const cases: [string, string, RegExp][] = [
    ['a missing file', 'missing.png', /missing\.png does not exist/],
    ['zero bytes', 'empty.png', /empty\.png is empty \(0 bytes\)/],
    ['not an image', 'notes.png', /notes\.png is not an image we can read\. Use png, jpeg/],
    ['a truncated JPEG', 'truncated.jpg', /truncated\.jpg could not be decoded .*truncated or corrupt/],
    ['half a PNG', 'half.png', /half\.png could not be decoded .*truncated or corrupt/],
    ['a PNG header declaring 100000×100000 pixels', 'bomb.png', /bomb\.png is too large: it declares more pixels than the limit/],
  ];
  for (const [what, file, message] of cases) {
    it(what, async () => {
      const before = sources[file] ? Buffer.from(sources[file]!) : null;
      expect((await failure(path.join(inputs, file))).message).to.match(message);
      if (before) expect(fs.readFileSync(path.join(inputs, file)).equals(before), 'input untouched').to.equal(true);
    });
  }

  it('a whole run with a 255-byte output name in another script writes its result under that name', async () => {
    const name = `${'ночь'.repeat(30)}-${'夜'.repeat(3)}x.png`; // 240 + 1 + 9 + 1 + 4 bytes
    expect(Buffer.byteLength(name)).to.equal(255);
    const result = await stylizeFiles(await testEngine(),
      { content: CONTENT, styles: [STYLE], output: path.join(out, name),
        options: { size: 32, iterations: 1, multiScale: false } });
    expect(result.output).to.equal(path.join(out, name));
    expect(listFiles(out)).to.deep.equal([name]);
  });

  it('bad option values name the option and the valid values', async () => {
    expect((await failure(CONTENT, { optimizer: 'sgd' })).message).to.equal('Invalid optimizer "sgd". Use one of: lbfgs, adam.');
    expect((await failure(CONTENT, { size: -5 })).message).to.equal('Invalid size -5. Use an integer at least 16 and at most 8192.');
    expect((await failure(CONTENT, { styleLayers: ['conv9_9'] })).message).to.match(/^Invalid styleLayers \["conv9_9"\]\. Use a non-empty list of at most 16 of: conv1_1/);
    expect((await failure(CONTENT, { styleWeight: Number.NaN })).message).to.match(/^Invalid styleWeight NaN\. Use a number/);
    expect((await failure(CONTENT, { colour: 'red' })).message).to.match(/^Unknown option "colour"/);
    for (const inherited of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const given = JSON.parse(`{"${inherited}": 1}`); // a real own key, as a message or settings object would carry it
      expect(() => validateOptions(given), inherited).to.throw(new RegExp(`^Unknown option "${inherited}"`));
    }
    expect((await failure(CONTENT, {}, path.join(out, 'result.bmp'))).message).to.match(/unknown output format/);
    const content = await decodeImageFile(CONTENT, { maxInputPixels: 1e8 });
    const tooLarge = await stylize((await testEngine()).vgg,
      { content, styles: [content], options: { size: 4096 }, limits: { hostBytes: 1e9 } }).catch((e) => e);
    expect(tooLarge.message).to.match(new RegExp('^A 4096×2752 picture needs about \\d+\\.\\d GB of memory '
      + 'at its peak \\(estimated\\), '
      + 'more than the 1\\.0 GB this run may use \\(the memory option: --memory, neuralStyle\\.memory\\)\\. '
      + 'Lower size to \\d+ or less, or raise memory\\.$'));
    expect((await failure(CONTENT, { size: 16 })).message).to.equal('The output would be 16×11 px; VGG19 needs at least 16 px on the shorter side for these layers. Raise size.');
    expect(() => validateOptions({ styleLayers: ['conv1_1', 'conv2_1'], styleLayerWeights: [1, 2, 3] })).to.throw(/3 weights for 2 style layers/);
    expect(validateOptions({ styleLayers: ['conv1_1'], styleLayerWeights: [1, 1, 1, 1, 1] }).styleLayerWeights).to.deep.equal([1]);
  });
});

/*
 * Every list from outside has a limit, in the options table, checked by the
 * same code wherever the list comes from: an option, a CLI flag, a start
 * message, the image process, a picture's parameters, the library's stylize.
 */
describe('list limits: the same everywhere', () => {
  const layers = (n: number) => Array.from({ length: n }, (_, i) => VGG_LAYERS[(i * 7) % VGG_LAYERS.length]);
  const tooMany = (n: number) => Array.from({ length: n }, () => STYLE);

  it('options: at most 16 style layers and layer weights, 16 blend weights', () => {
    expect(validateOptions({ styleLayers: layers(16) }).styleLayers).to.have.length(16);
    expect(() => validateOptions({ styleLayers: layers(17) })).to.throw(/^Invalid styleLayers \[.*\]\. Use a non-empty list of at most 16 of: conv1_1/);
    expect(() => validateOptions({ styleLayers: 'conv3_2,'.repeat(900) as never })).to.throw(/^Invalid styleLayers "conv3_2,conv3_2.*Use a non-empty list of at most 16/);
    expect(() => validateOptions({ styleLayerWeights: Array(17).fill(2) })).to.throw(/^Invalid styleLayerWeights .*Use a list of at most 16 numbers, each at least 0\.$/);
    expect(() => validateOptions({ styleBlendWeights: Array(40).fill(1) })).to.throw(/^Invalid styleBlendWeights .*Use a list of at most 16 numbers/);
  });

  it('styles: at most 16 — a job, a start message, the image process, the library', async () => {
    const refusal = /^Too many style images: 17\. Give at most 16/;
    expect(await checkJob({ content: CONTENT, styles: tooMany(17), output: path.join(tempDir(), 'x.png') }).catch((e) => e.message)).to.match(refusal);
    expect(() => parseToEngine({ type: 'start', id: 'a', job: { content: CONTENT, styles: tooMany(17), output: 'x.png' } })).to.throw(/"job\.styles" .*expected a list of at least 1 and at most 16/);
    expect(() => parseToImages({ type: 'decode', id: 'a', content: CONTENT, styles: tooMany(20) })).to.throw(/"styles" .*at most 16/);
    const decoding = decodeJobImages(CONTENT, tooMany(17), validateOptions({ size: 32 }), 1e8);
    expect(await decoding.catch((e) => e.message)).to.match(refusal);
    const { content, style } = await fixtureImages();
    expect(await stylize((await testEngine()).vgg,
      { content, styles: Array(17).fill(style), options: { size: 32 } }).catch((e) => e.message)).to.match(refusal);
  });

  it('a picture\'s parameters: the same limits (a crafted PNG cannot carry a long list into Stylize Again)', () => {
    const text = (extra: object) => JSON.stringify({ ...JSON.parse(formatResultParameters({ content: 'c.png', styles: ['s.png'], backend: 'cpu', steps: 1, options: validateOptions() })), ...extra });
    expect(() => parseResultParameters(text({ styleLayers: layers(300) }))).to.throw(/not usable: Invalid styleLayers .*at most 16/);
    expect(() => parseResultParameters(text({ styles: Array(17).fill('s.png') }))).to.throw(/not usable: Too many style images: 17/);
  });

  it('the CLI refuses a long list before any engine starts', () => {
    const bin = path.join(ROOT, 'packages', 'engine', 'bin', 'neural-style.js');
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, CONTENT, ...args, '-o', path.join(tempDir(), 'o.png')], { encoding: 'utf8' });
    const flag = run(STYLE, '--style-layers', layers(20).join(','));
    expect(flag.status).to.equal(1);
    expect(flag.stderr).to.match(/^Error: Invalid --style-layers ".*"\. Use a non-empty list of at most 16 of: /);
    expect(run(...tooMany(18)).stderr).to.equal('Error: Too many style images: 18. Give at most 16 (each is decoded and kept as Gram targets).\n');
  });
});

/*
 * A file we may not read: as the content, as a style (a BMP too: its sniffing
 * reads the head), and one made unreadable between the check and the decode,
 * as happens mid-run. Run as a user that permissions bind (not root).
 */
describe('unreadable inputs: a named error, never a raw EACCES', () => {
  it('content, style, a BMP, and a file made unreadable after the check', function () {
    const dir = tempDir('ns-unreadable-');
    const files = { photo: path.join(dir, 'фото.png'), style: path.join(dir, 'style.jpg'), bmp: path.join(dir, 'old.bmp'), later: path.join(dir, 'later.png') };
    fs.copyFileSync(CONTENT, files.photo);
    fs.copyFileSync(STYLE, files.style);
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'bmp', fs.readdirSync(path.join(ROOT, 'test', 'fixtures', 'bmp')).find((f) => f.endsWith('.bmp'))!), files.bmp);
    fs.copyFileSync(STYLE, files.later);
    for (const f of [files.photo, files.style, files.bmp]) fs.chmodSync(f, 0);
    fs.chmodSync(dir, 0o777);
    giveAway(dir, ...Object.values(files));
    const script = `
      const { checkJob } = require('./packages/engine/src/node/job-check');
      const { decodeJobImages } = require('./packages/engine/src/node/job-images');
      const fs = require('fs');
      const files = ${JSON.stringify(files)};
      const job = (content, style) => ({ content, styles: [style], output: ${JSON.stringify(path.join(dir, 'out.png'))}, options: { size: 32 } });
      const outcome = (p) => p.then(() => 'ok', (e) => ({ name: e.constructor.name, code: e.code, message: e.message }));
      (async () => {
        const out = [await outcome(checkJob(job(files.photo, ${JSON.stringify(STYLE)}))), await outcome(checkJob(job(${JSON.stringify(CONTENT)}, files.style))),
          await outcome(checkJob(job(${JSON.stringify(CONTENT)}, files.bmp)))];
        const checked = await checkJob(job(${JSON.stringify(CONTENT)}, files.later));
        fs.chmodSync(files.later, 0); // mid-run: after the check, before the decode
        out.push(await outcome(decodeJobImages(${JSON.stringify(CONTENT)}, [files.later], checked.options, checked.maxInputPixels, checked.styleSizes)));
        out.push(await outcome(decodeJobImages(${JSON.stringify(CONTENT)}, [files.later], checked.options, checked.maxInputPixels)));
        process.stdout.write(JSON.stringify(out));
      })();`;
    const r = runUnprivileged(['-e', script]);
    expect(r.status, r.stderr).to.equal(0);
    const outcomes = JSON.parse(r.stdout) as { name: string; code: string; message: string }[];
    const names = [files.photo, files.style, files.bmp, files.later, files.later];
    outcomes.forEach((o, i) => expect(o, names[i]).to.deep.equal({ name: 'NeuralStyleError', code: 'EACCES',
      message: `Cannot read ${names[i]}: no permission to read it. Allow reading it (chmod), or choose another file.` }));
    expect(outcomes).to.have.length(5);
    // The CLI says the same in one line, before any engine starts.
    const cli = runUnprivileged([path.join(ROOT, 'packages', 'engine', 'bin', 'neural-style.js'), CONTENT, files.style, '-o', path.join(dir, 'out.png')]);
    expect([cli.status, cli.stderr.trim()]).to.deep.equal([1, `Error: Cannot read ${files.style}: no permission to read it. Allow reading it (chmod), or choose another file.`]);
    expect(listFiles(dir)).to.deep.equal(['later.png', 'old.bmp', 'style.jpg', 'фото.png']);
  });
});
