import { expect } from 'chai';
import { DEFAULTS, formatResultParameters, parseResultParameters, validateOptions } from '../../packages/engine/src/options';

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
