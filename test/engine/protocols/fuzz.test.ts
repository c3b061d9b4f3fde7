import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { NeuralStyleError } from '../../../packages/engine/src/core/errors';
import { shown } from '../../../packages/engine/src/core/text';
import { validateOptions } from '../../../packages/engine/src/core/validate';
import { decodeImageFile, imageSize } from '../../../packages/engine/src/node/image';
import { checkOutputPath, writeOutputFile } from '../../../packages/engine/src/node/output-file';
import { readPngText, withPngText } from '../../../packages/engine/src/node/png-text';
import {
  formatResultParameters, PARAMETERS_KEYWORD, parseResultParameters,
} from '../../../packages/engine/src/result-parameters';
import { CONTENT, FIXTURES, listFiles, tempDir } from '../helpers';

/*
 * Mutated images through the decode path (header read, then full decode):
 * each case either decodes to a well-formed RGB image or fails with a named
 * NeuralStyleError, within its time limit, and writes nothing. The cases
 * include the families a hostile probe found trouble in: SVG with
 * references, tiny styles, long and non-Latin names, control characters.
 * Then output names of those families through the check and the write. The
 * seed and the count are fixed here; `pnpm test:fuzz` runs FUZZ_CASES
 * (thousands). Closed pipes are in cli.test.ts, unwritable caches in
 * weights.test.ts.
 */
const SEED = 14;
const CASES = Number(process.env.FUZZ_CASES ?? 300);
const CASE_LIMIT_MS = 5000;
const MAX_PIXELS = 4096 * 4096;

/** mulberry32: a small seeded generator, so that a failing case can be replayed by its number. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function bases(): Promise<Record<string, Buffer>> {
  const png = fs.readFileSync(CONTENT);
  const image = () => sharp(png);
  const bmpDir = path.join(FIXTURES, 'bmp');
  const bmps = Object.fromEntries(fs.readdirSync(bmpDir).filter((f) => f.endsWith('.bmp'))
    .map((f) => [f.replace(/\.bmp$/, ''), fs.readFileSync(path.join(bmpDir, f))]));
  return {
    png,
    jpg: await image().jpeg({ quality: 80 }).toBuffer(),
    progressive: await image().jpeg({ progressive: true }).toBuffer(),
    webp: await image().webp().toBuffer(),
    gif: await image().gif().toBuffer(),
    tif: await image().tiff().toBuffer(),
    // Tiny styles: one pixel, and a strip 3 px wide.
    dot: await sharp({ create: { width: 1, height: 1, channels: 3, background: '#e83' } }).png().toBuffer(),
    strip: await sharp({ create: { width: 3, height: 97, channels: 3, background: '#38e' } }).webp({ lossless: true })
      .toBuffer(),
    // An SVG that refers to a picture beside it (the fuzz writes one) and to itself: never drawn, whatever its bytes
    // become.
    svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" '
      + `height="40">${SVG_REFERENCES}</svg>`),
    ...bmps,
  };
}

const SVG_REFERENCES = '<image href="beside.png" width="40" height="40"/><image xlink:href="case-0.png" width="9" '
  + 'height="9"/>';

/**
 * The case's file name, from a family the probe found trouble in: plain, long
 * (up to 255 bytes), another script, control characters and escapes.
 */
function caseName(i: number, ext: string, random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const families = [
    () => `case-${i}`,
    () => `case-${i}-${'long'.repeat(60)}`.slice(0, 250 - ext.length),
    () => `${pick(['кот', 'γάτα', '猫の絵', 'قطة', 'חתול', 'बिल्ली', '🐈\u200d⬛', 'e\u0301'])}-${i}`,
    () => `case-${i}${pick(['\x1b[31m', '\n', '\t', '\u009b2J', '\u202e', '"', '\\'])}x`,
  ];
  return `${pick(families)()}.${ext}`;
}

/** One mutation: bit flips, a truncation, or header edits (bytes, 32-bit fields set to extremes). */
function mutate(base: Buffer, random: () => number): { bytes: Buffer; how: string } {
  const bytes = Buffer.from(base);
  const at = (limit: number) => Math.floor(random() * Math.min(limit, bytes.length));
  const kind = Math.floor(random() * 4);
  if (kind === 0) {
    const flips = 1 + Math.floor(random() * 8);
    for (let i = 0; i < flips; i++) bytes[at(bytes.length)] ^= 1 << Math.floor(random() * 8);
    return { bytes, how: `${flips} bit flips` };
  }
  if (kind === 1) {
    const length = at(bytes.length);
    return { bytes: bytes.subarray(0, length), how: `truncated to ${length} bytes` };
  }
  if (kind === 2) {
    const edits = 1 + Math.floor(random() * 4);
    for (let i = 0; i < edits; i++) bytes[at(64)] = Math.floor(random() * 256);
    return { bytes, how: `${edits} header bytes` };
  }
  const offset = at(60);
  const value = [0, 0xffffffff, 0x7fffffff, 0x10000, 1][Math.floor(random() * 5)];
  if (offset + 4 <= bytes.length) bytes.writeUInt32BE(value, offset);
  return { bytes, how: `header field at ${offset} = ${value}` };
}

/** Header, then decode: "ok", or the named error's code. Anything else (another error, a hang) fails the case. */
async function decode(file: string): Promise<string> {
  const work = (async () => {
    await imageSize(file, MAX_PIXELS);
    const image = await decodeImageFile(file, { longestSide: 32, maxInputPixels: MAX_PIXELS });
    expect(image.width * image.height * 3).to.equal(image.data.length);
    expect(Math.max(image.width, image.height)).to.equal(32);
    return 'ok';
  })().catch((e) => {
    if (!(e instanceof NeuralStyleError)) throw new Error(`not a named error: ${(e as Error).stack ?? e}`);
    // Named as messages show names: printable, a long one by its head and tail.
    expect(e.message, 'the error names the file').to.contain(shown(path.basename(file)).slice(-60));
    expect(e.message, 'no control character reaches a message').to.not.match(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(e.message.split('\n')).to.have.length(1);
    return e.code;
  });
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CASE_LIMIT_MS} ms`)), CASE_LIMIT_MS);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

describe(`fuzz: ${CASES} mutated images through the decode path (seed ${SEED})`, () => {
  it('each decodes or fails with a named error: no crash, no hang, nothing written', async function () {
    this.timeout(CASES * CASE_LIMIT_MS);
    const originals = await bases();
    const names = Object.keys(originals);
    const dir = tempDir('ns-fuzz-');
    fs.copyFileSync(CONTENT, path.join(dir, 'beside.png'));
    const random = generator(SEED);
    const outcomes: Record<string, number> = {};
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const format = names[i % names.length];
      const { bytes, how } = mutate(originals[format], random);
      const ext = format === 'progressive' ? 'jpg' : format.startsWith('starry') ? 'bmp'
        : format === 'svg' || format === 'dot' ? 'png' : format === 'strip' ? 'webp' : format;
      const file = path.join(dir, caseName(i, ext, random));
      fs.writeFileSync(file, bytes);
      try {
        const outcome = await decode(file);
        if (format === 'svg' && outcome === 'ok') throw new Error('an SVG was drawn');
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        fs.rmSync(file);
      } catch (e) {
        failures.push(`case ${i} (${format}, ${how}): ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`);
      }
    }
    console.log(`      outcomes: ${JSON.stringify(outcomes)}`);
    expect(failures, failures.join('\n')).to.deep.equal([]);
    expect(listFiles(dir), 'nothing written beside the cases').to.deep.equal(['beside.png']);
    expect(outcomes.ok ?? 0, 'some mutations still decode').to.be.above(0);
    expect(outcomes.EIMAGE ?? 0, 'some are refused by name').to.be.above(0);
  });
});

/**
 * A random file name of about `bytes` UTF-8 bytes: ASCII, Cyrillic, CJK, emoji, control characters; never "/" or NUL.
 */
function randomName(random: () => number, bytes: number): string {
  const pools: Array<[number, number]> = [
    [0x20, 0x7e], [0x410, 0x44f], [0x4e00, 0x9fff], [0x1f300, 0x1f64f], [0x01, 0x1f], [0x7f, 0x9f],
  ];
  let name = '';
  while (Buffer.byteLength(name) < bytes) {
    const [low, high] = pools[Math.floor(random() * pools.length)];
    const c = String.fromCodePoint(low + Math.floor(random() * (high - low + 1)));
    if (c !== '/') name += c;
  }
  return name;
}

describe(`fuzz: ${CASES} output names from the troubled families (seed ${SEED})`, () => {
  it('a name the check passes is written under exactly that name and its parameters read back; one it refuses is '
    + 'refused up front, by name', async function () {
    this.timeout(CASES * 1000);
    const dir = tempDir('ns-fuzz-names-');
    const random = generator(SEED + 1);
    const png = fs.readFileSync(CONTENT);
    const refused: Record<string, number> = {};
    for (let i = 0; i < CASES; i++) {
      const name = `${randomName(random, 1 + Math.floor(random() * 270))}.png`;
      const output = path.join(dir, name);
      const check = (() => {
        try {
          checkOutputPath(output, { inputs: [CONTENT] });
          return null;
        } catch (e) {
          return e as NeuralStyleError;
        }
      })();
      if (check) {
        expect(check, name).to.be.instanceOf(NeuralStyleError);
        expect(check.message, 'printable, one line').to.not.match(/[\u0000-\u001f\u007f-\u009f]/);
        refused[check.code] = (refused[check.code] ?? 0) + 1;
        continue;
      }
      const parameters = formatResultParameters({
        content: output, styles: [`/s/${name}`], backend: 'cpu', steps: 1, options: validateOptions(),
      });
      expect(await writeOutputFile(output, withPngText(png, PARAMETERS_KEYWORD, parameters)), name).to.equal(output);
      expect(listFiles(dir), name).to.deep.equal([name].sort());
      const back = parseResultParameters(readPngText(fs.readFileSync(output))[PARAMETERS_KEYWORD]);
      expect([back.content, ...back.styles], name).to.deep.equal([name, name]);
      fs.rmSync(output);
    }
    console.log(`      refused: ${JSON.stringify(refused)}`);
    expect(refused.ENAMETOOLONG ?? 0, 'some names are too long').to.be.above(0);
    expect(Object.keys(refused), 'too long is the only reason').to.deep.equal(['ENAMETOOLONG']);
  });
});
