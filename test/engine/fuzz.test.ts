import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { NeuralStyleError } from '../../packages/engine/src/core/errors';
import { decodeImageFile, imageSize } from '../../packages/engine/src/node/image';
import { CONTENT, FIXTURES, listFiles, tempDir } from './helpers';

/*
 * Mutated images through the decode path (header read, then full decode):
 * each case either decodes to a well-formed RGB image or fails with a named
 * NeuralStyleError, within its time limit, and writes nothing. The seed and
 * the count are fixed here; `pnpm test:fuzz` runs FUZZ_CASES (thousands).
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
  const bmps = Object.fromEntries(fs.readdirSync(bmpDir).filter((f) => f.endsWith('.bmp')).map((f) => [f.replace(/\.bmp$/, ''), fs.readFileSync(path.join(bmpDir, f))]));
  return {
    png,
    jpg: await image().jpeg({ quality: 80 }).toBuffer(),
    progressive: await image().jpeg({ progressive: true }).toBuffer(),
    webp: await image().webp().toBuffer(),
    gif: await image().gif().toBuffer(),
    tif: await image().tiff().toBuffer(),
    ...bmps,
  };
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
    expect(e.message, 'the error names the file').to.contain(path.basename(file));
    expect(e.message.split('\n')).to.have.length(1);
    return e.code;
  });
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${CASE_LIMIT_MS} ms`)), CASE_LIMIT_MS); });
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
    const random = generator(SEED);
    const outcomes: Record<string, number> = {};
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const format = names[i % names.length];
      const { bytes, how } = mutate(originals[format], random);
      const ext = format === 'progressive' ? 'jpg' : format.startsWith('starry') ? 'bmp' : format;
      const file = path.join(dir, `case-${i}.${ext}`);
      fs.writeFileSync(file, bytes);
      try {
        const outcome = await decode(file);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        fs.rmSync(file);
      } catch (e) {
        failures.push(`case ${i} (${format}, ${how}): ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`);
      }
    }
    console.log(`      outcomes: ${JSON.stringify(outcomes)}`);
    expect(failures, failures.join('\n')).to.deep.equal([]);
    expect(listFiles(dir), 'nothing written beside the cases').to.deep.equal([]);
    expect(outcomes.ok ?? 0, 'some mutations still decode').to.be.above(0);
    expect(outcomes.EIMAGE ?? 0, 'some are refused by name').to.be.above(0);
  });
});
