import { expect } from 'chai';
import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { DEFAULTS, formatResultParameters, PARAMETERS_KEYWORD, parseResultParameters, validateOptions } from '../../../packages/engine/src/options';
import { readPngText, withPngText } from '../../../packages/engine/src/node/png-text';
import { lossTrace, MAX_TRACE_POINTS, type LossPoint } from '../../../packages/engine/src/result-parameters';

const options = validateOptions({ size: 48, styleWeight: 3e4, seed: 5, preserveColors: true });
const written = (extra: Record<string, unknown> = {}) => JSON.stringify({ ...JSON.parse(formatResultParameters({
  content: '/home/ana/Photos/cat.png', styles: ['C:\\Users\\ana\\Art\\wave.jpg'], backend: 'wasm', steps: 12, options,
})), ...extra });

describe('result parameters (what a PNG says of the run that made it)', () => {
  it('keep file names, never folders, and read back to the same options', () => {
    const text = written();
    expect(text).to.not.match(/home|ana|Users|Photos/);
    const back = parseResultParameters(text);
    expect(back).to.deep.include({ content: 'cat.png', styles: ['wave.jpg'], backend: 'wasm', steps: 12 });
    expect(back.options).to.deep.equal(options);
  });

  it('an older picture\'s whole paths are cut to their file names; fields that are no options are ignored', () => {
    const back = parseResultParameters(written({ content: '/old/abs/cat.png', seconds: 12.5 }));
    expect(back.content).to.equal('cat.png');
    expect(back.options.size).to.equal(48);
  });

  it('refuses what cannot drive a run, saying what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['not json', /not JSON/],
      ['[1]', /not an object/],
      [written({ software: 'other' }), /"software" is "other"/],
      [written({ styles: [] }), /"styles" is not a list/],
      [written({ content: '..' }), /"content" is not a file name \(".."\)/],
      [written({ styles: ['ok.png', 42] }), /style 2 is not a file name \(42\)/],
      [written({ styles: ['/'] }), /style 1 is not a file name/],
      [written({ steps: -1 }), /"steps" is not a count/],
      [written({ styleWeight: -5 }), /Invalid styleWeight -5/],
      [written({ size: 'huge' }), /Invalid size "huge"/],
    ];
    for (const [text, expected] of cases) {
      expect(() => parseResultParameters(text), text).to.throw(/^The picture's neural-style parameters are not usable: /).and.satisfy((e: Error) => expected.test(e.message) || expect.fail(e.message));
    }
    expect(() => parseResultParameters(written({ constructor: 1 }))).to.not.throw();
    expect(parseResultParameters(written({ constructor: 1 })).options).to.not.have.own.property('constructor');
    expect(DEFAULTS.size).to.not.equal(48); // the round trip above is not the defaults' echo
  });
});

describe('result parameters of a texture (no photo)', () => {
  const texture = (extra: Record<string, unknown> = {}) => {
    const { content: _, ...rest } = JSON.parse(formatResultParameters({
      texture: { width: 96, height: 64 }, styles: ['wave.jpg'], backend: 'wasm', steps: 12, options,
    }));
    return JSON.stringify({ ...rest, ...extra });
  };

  it('say its size and name no photo, and read back so', () => {
    const text = texture();
    expect(JSON.parse(text)).to.deep.include({ texture: [96, 64] }).and.not.have.property('content');
    const back = parseResultParameters(text);
    expect(back.texture).to.deep.equal({ width: 96, height: 64 });
    expect(back).to.not.have.property('content');
  });

  it('refuse a texture that is not [width, height], or that names a photo too', () => {
    for (const bad of [[96], [96, 0], [96, 1.5], '96x64', [96, 64, 1]]) {
      expect(() => parseResultParameters(texture({ texture: bad })), JSON.stringify(bad))
        .to.throw(/"texture" is not \[width, height\] in pixels/);
    }
    expect(() => parseResultParameters(texture({ content: 'cat.png' }))).to.throw(/a texture names no "content"/);
  });
});

describe('result parameters of a picture painted in regions', () => {
  const painted = (masks: unknown) => JSON.stringify({ ...JSON.parse(formatResultParameters({
    content: 'dog.jpg', styles: ['wave.jpg', 'ink.png'], masks: ['/home/me/sky.png', 'ground.png'], backend: 'wasm',
    steps: 3, options,
  })), ...masks === undefined ? {} : { masks } });

  it('name one mask file a style, no folders, and read them back', () => {
    expect(JSON.parse(painted(undefined)).masks).to.deep.equal(['sky.png', 'ground.png']);
    expect(parseResultParameters(painted(undefined)).masks).to.deep.equal(['sky.png', 'ground.png']);
  });

  it('refuse masks that are not one file name a style', () => {
    for (const bad of [['sky.png'], 'sky.png', ['sky.png', 7], ['sky.png', '..']]) {
      expect(() => parseResultParameters(painted(bad)), JSON.stringify(bad))
        .to.throw(/"masks" is not a list of one file name a style|mask 2 is not a file name/);
    }
  });
});

describe('result parameters of a picture whose style was taken from a part of its painting', () => {
  const made = (styleMasks: unknown) => JSON.stringify({ ...JSON.parse(formatResultParameters({
    content: 'dog.jpg', styles: ['wave.jpg', 'ink.png'], styleMasks: [null, 'C:\\me\\ink-top.png'], backend: 'wasm',
    steps: 3, options,
  })), ...styleMasks === undefined ? {} : { styleMasks } });

  it('name one style mask file (or null) a style, no folders, and read them back', () => {
    expect(JSON.parse(made(undefined)).styleMasks).to.deep.equal([null, 'ink-top.png']);
    expect(parseResultParameters(made(undefined)).styleMasks).to.deep.equal([null, 'ink-top.png']);
  });

  it('refuse style masks that are not one file name or null a style', () => {
    for (const bad of [[null], 'top.png', [null, 7], ['..', null], [null, '']]) {
      expect(() => parseResultParameters(made(bad)), JSON.stringify(bad))
        .to.throw(/"styleMasks" is not a list of one file name \(or null\) a style|style mask \d is not a file name/);
    }
  });
});

describe('result parameters: the loss trace a panel draws its chart from', () => {
  const base = { content: 'dog.jpg', styles: ['ink.png'], backend: 'cpu', options };
  // 150 iterations of a falling loss: more than a picture keeps.
  const run: LossPoint[] = Array.from({ length: 150 },
    (_, i) => [i + 1, 900 / (i + 1), 7e5 / (i + 2), 31.25, 1234.5678 / (i + 1)]);

  it('keeps at most MAX_TRACE_POINTS points, the first and last among them, and reads them back', () => {
    const back = parseResultParameters(formatResultParameters({ ...base, steps: 150, losses: run }));
    expect(back.losses).to.have.length(MAX_TRACE_POINTS);
    expect(back.losses?.[0]).to.deep.equal([1, 900, 3.5e5, 31.25, 1235]);
    expect(back.losses?.at(-1)?.[0]).to.equal(150);
    const steps = back.losses?.map(([step]) => step) ?? [];
    expect(steps.every((s, i) => i === 0 || s > steps[i - 1]), steps.join()).to.equal(true);
  });

  it('a short run keeps every point; a picture without a trace reads as one (older pictures)', () => {
    const short = run.slice(0, 5);
    const back = parseResultParameters(formatResultParameters({ ...base, steps: 5, losses: short }));
    expect(back.losses?.map(([s]) => s)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(parseResultParameters(formatResultParameters({ ...base, steps: 5 }))).to.not.have.property('losses');
    expect(parseResultParameters(formatResultParameters({ ...base, steps: 5, losses: [] }))).to.not.have.property('losses');
  });

  it('a diverged step (NaN, Infinity) is left out, and the picture is still written', () => {
    const losses: LossPoint[] = [[1, 2, 3, 4, 9], [2, Number.NaN, 3, 4, 9], [3, 1, Infinity, 4, 9], [4, 1, 1, 1, 3]];
    expect(lossTrace(losses).map(([s]) => s)).to.deep.equal([1, 4]);
    expect(parseResultParameters(formatResultParameters({ ...base, steps: 4, losses })).losses).to.have.length(2);
  });

  it('refuses a trace its writer would not make, saying what is wrong', () => {
    const point = (step: number, ...terms: unknown[]) => [step, ...(terms.length ? terms : [1, 2, 3, 6])];
    const cases: Array<[unknown, RegExp]> = [
      ['falling', /"losses" is not a list of 1 to 64 points/],
      [[], /not a list of 1 to 64/],
      [Array.from({ length: MAX_TRACE_POINTS + 1 }, (_, i) => point(i + 1)), /not a list of 1 to 64/],
      [[point(1), [2, 1, 2, 3]], /point 2 is not \[step, content, style, tv, total\]/],
      [[point(1, 1, -2, 3, 2)], /point 1/],
      [[point(1, 1, '2', 3, 6)], /point 1/],
      [[point(1, 1, null, 3, 6)], /point 1/],
      [[point(3), point(2)], /point 2/],
      [[point(3), point(3)], /point 2/],
      [[point(1.5)], /point 1/],
      [[point(13)], /point 1/], // past the run's 12 steps
    ];
    for (const [losses, expected] of cases) {
      expect(() => parseResultParameters(written({ losses })), JSON.stringify(losses).slice(0, 60))
        .to.throw(/^The picture's neural-style parameters are not usable: /).and.satisfy((e: Error) => expected.test(e.message) || expect.fail(e.message));
    }
    expect(parseResultParameters(written({ losses: [point(0), point(12)] })).losses).to.have.length(2);
  });
});

describe('result parameters in the PNG: any file name comes back exactly', () => {
  const scripts = ['тёмная ночь', 'Νύχτα', '夜の猫', '밤하늘', 'ليل', 'לילה', 'रात', 'กลางคืน', 'ঘুম', '🐈\u200d⬛ 🌌', 'e\u0301te\u0301', 'Ģ Ċ Ā ȧ', 'Ǣ\u0122\u010a\u0100'];
  // Every control character a file name may hold (all but NUL), C1 controls, line separators and a lone surrogate.
  const controls = [...Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)), '\x7f', ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(0x80 + i)), '\u2028\u2029', '\ud800'];

  async function roundTrip(content: string, styles: string[]) {
    const png = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#246' } }).png().toBuffer();
    const text = formatResultParameters({ content: `/photos/${content}`, styles: styles.map((s) => `C:\\art\\${s}`), backend: 'cpu', steps: 3, options });
    const file = withPngText(png, PARAMETERS_KEYWORD, text);
    expect(file.toString('latin1', 37, 41), 'an iTXt chunk after IHDR').to.equal('iTXt');
    // Another reader (libvips) reads the same text: the chunk is well formed.
    expect((await sharp(file, { failOn: 'warning' }).metadata()).comments).to.deep.equal([{ keyword: PARAMETERS_KEYWORD, text }]);
    return parseResultParameters(readPngText(file)[PARAMETERS_KEYWORD]);
  }

  it('names in many scripts', async () => {
    for (const name of scripts) {
      const back = await roundTrip(`${name}.png`, [`${name} style.jpg`, 'plain.png']);
      expect(back.content, name).to.equal(`${name}.png`);
      expect(back.styles, name).to.deep.equal([`${name} style.jpg`, 'plain.png']);
      expect(back.options).to.deep.equal(options);
    }
  });

  it('every control character, one name each, never another key or another file', async () => {
    for (const c of controls) {
      const name = `a${c}"content":"b${c}.png`;
      const back = await roundTrip(name, [`${c}${c}.jpg`]);
      expect([back.content, ...back.styles], JSON.stringify(c)).to.deep.equal([name, `${c}${c}.jpg`]);
    }
  });

  it('a backslash in a Linux name is kept; a Windows path is cut at its last backslash', () => {
    const text = formatResultParameters({ content: 'draft\\v2.png', styles: ['/art/a\\b.jpg', 'C:\\art\\wave.jpg', '\\\\nas\\art\\sea.png'], backend: 'cpu', steps: 1, options });
    expect(parseResultParameters(text)).to.deep.include({ content: 'draft\\v2.png', styles: ['a\\b.jpg', 'wave.jpg', 'sea.png'] });
  });

  it('a picture from before iTXt (a Latin-1 tEXt chunk) still reads', () => {
    const text = written();
    const chunk = Buffer.concat([Buffer.from('tEXtneural-style\0', 'latin1'), Buffer.from(text, 'latin1')]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(chunk.length - 4);
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), length, chunk, Buffer.alloc(4)]);
    expect(parseResultParameters(readPngText(png)['neural-style']).content).to.equal('cat.png');
  });

  it('the writer refuses what its reader would: a step count that is no count, a name that is no file name', () => {
    const base = { content: 'cat.png', styles: ['wave.jpg'], backend: 'cpu', steps: 3, options };
    for (const steps of [-1.5, 2.25, -3, Number.NaN]) {
      expect(() => formatResultParameters({ ...base, steps }), String(steps)).to.throw(/^Cannot record the run's parameters in the picture: "steps" is not a count/);
    }
    expect(() => formatResultParameters({ ...base, content: 'a\0b.png' })).to.throw(/"content" is not a file name/);
    expect(() => formatResultParameters({ ...base, styles: ['x/..'] })).to.throw(/style 1 is not a file name/);
  });
});

describe('the image process writes no parameters its reader refuses', () => {
  it('a write with steps -1.5 is an error naming it, and nothing is written', async () => {
    const child = fork(require.resolve('@neural-style/engine/image-worker'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-image-write-'));
    try {
      const answer = new Promise<Record<string, unknown>>((resolve) => child.on('message', (m: Record<string, unknown>) => m.type !== 'ready' && resolve(m)));
      const image = { width: 2, height: 2, data: Buffer.alloc(12, 200).toString('base64') };
      child.send({ type: 'write', id: 'w', image, output: path.join(dir, 'out.png'), content: '/a/cat.png', styles: ['/b/wave.jpg'], backend: 'webgl', steps: -1.5, options: {} });
      expect(await answer).to.deep.include({ type: 'error', id: 'w', code: 'EPARAMETERS' });
      expect(fs.readdirSync(dir)).to.deep.equal([]);
    } finally {
      child.kill();
    }
  });
});
