import { expect } from 'chai';
import {
  array, boolean, messageParser, nullable, number, object, oneOf, optional, parse, ProtocolError, quote, someOf, string,
  tuple,
} from '../../../packages/engine/src/schema';

const point = object({ x: number, y: number, label: optional(string) });
const failure = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(ProtocolError);
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('schema kit', () => {
  it('returns a value that fits, optional fields absent or undefined', () => {
    const value = { x: 1, y: 2 };
    expect(parse(point, value, 'a point')).to.equal(value);
    expect(parse(point, { x: 1, y: 2, label: undefined }, 'a point')).to.deep.equal({ x: 1, y: 2, label: undefined });
  });

  it('names the missing, bad or unexpected field and where the value came from', () => {
    expect(failure(() => parse(point, { x: 1 }, 'a point'))).to.equal('Missing field "y" in a point: expected a '
      + 'finite number.');
    expect(failure(() => parse(point, { x: 1, y: Number.NaN }, 'a point'))).to.equal('Bad field "y" in a point: '
      + 'expected a finite number, got NaN.');
    expect(failure(() => parse(point, { x: 1, y: 2, z: 3 }, 'a point')))
      .to.equal('Unexpected field "z" in a point: 3.');
    expect(failure(() => parse(point, [1, 2], 'a point'))).to.equal('Not a point: expected an object, got [1,2].');
  });

  it('counts own properties only: inherited ones are neither present nor unknown', () => {
    const inherited = Object.create({ x: 1, y: 2 });
    expect(failure(() => parse(point, inherited, 'a point'))).to.match(/^Missing field "x"/);
    const flag = object({ toString: optional(boolean) });
    expect(parse(flag, {}, 'flags')).to.deep.equal({});
    expect(failure(() => parse(flag, { toString: 'yes' }, 'flags'))).to.match(/^Bad field "toString"/);
    expect(failure(() => parse(point, { x: 1, y: 2, constructor: 3 }, 'a point')))
      .to.match(/^Unexpected field "constructor"/);
  });

  it('checks lists, tuples and enumerations item by item, with their paths', () => {
    const shape = object({
      tags: array(string, 1), row: tuple(number, number), kind: oneOf(['a', 'b']), nested: object({ p: point }),
    });
    const good = { tags: ['t'], row: [1, 2], kind: 'a', nested: { p: { x: 0, y: 0 } } };
    expect(parse(shape, good, 'a shape')).to.equal(good);
    expect(failure(() => parse(shape, { ...good, tags: [] }, 'a shape'))).to.match(/^Bad field "tags" .*at least 1/);
    expect(failure(() => parse(shape, { ...good, tags: ['t', 2] }, 'a shape'))).to.match(/^Bad field "tags\[1\]"/);
    expect(failure(() => parse(shape, { ...good, row: [1, 2, 3] }, 'a shape'))).to.match(/^Bad field "row"/);
    expect(failure(() => parse(shape, { ...good, kind: 'c' }, 'a shape'))).to.equal('Bad field "kind" in a shape: '
      + 'expected one of "a", "b", got "c".');
    expect(failure(() => parse(shape, { ...good, nested: { p: { x: 0, y: 0, w: 1 } } }, 'a shape')))
      .to.match(/^Unexpected field "nested\.p\.w"/);
  });

  it('nullable takes null or its schema\'s value, nothing else', () => {
    const masks = array(nullable(string), 1);
    expect(parse(masks, [null, 'm.png'], 'masks')).to.deep.equal([null, 'm.png']);
    expect(failure(() => parse(masks, [null, 3], 'masks'))).to.equal('Bad field "[1]" in masks: expected a string '
      + 'or null, got 3.');
    expect(failure(() => parse(masks, [undefined], 'masks'))).to.match(/^Missing field "\[0\]" in masks/);
  });

  it('someOf allows only the named fields, with any values', () => {
    const options = someOf<{ size: number; seed: number }>(['size', 'seed']);
    expect(parse(options, { size: 'anything' }, 'options')).to.deep.equal({ size: 'anything' });
    expect(failure(() => parse(options, { colour: 1 }, 'options'))).to.match(/^Unexpected field "colour"/);
  });

  it('parses messages by their type, own types only', () => {
    const parseToy = messageParser('to the toy', { move: { to: point }, stop: {} });
    expect(parseToy({ type: 'stop' })).to.deep.equal({ type: 'stop' });
    expect(failure(() => parseToy({ type: 'move', to: { x: 1 } }))).to.equal('Missing field "to.y" in message "move" '
      + 'to the toy: expected a finite number.');
    for (const type of ['toString', 'constructor', '__proto__', 'jump', 3]) {
      expect(failure(() => parseToy({ type }))).to.match(/^Not a message to the toy: /);
    }
    expect(failure(() => parseToy(undefined))).to.equal('Not a message to the toy: undefined.');
  });

  it('quotes values as JSON, printable, cut to their head and tail, and survives cycles', () => {
    expect(quote('x'.repeat(300), 100)).to.equal(`"${'x'.repeat(48)}…${'x'.repeat(48)}"`);
    expect(quote('a\u001b[2Jb')).to.equal('"a\\u001b[2Jb"');
    expect(quote('\u202etxt.exe')).to.equal('"\\u202etxt.exe"');
    expect(quote(Number.NaN)).to.equal('NaN');
    expect(quote(undefined)).to.equal('undefined');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(quote(cycle)).to.equal('[object Object]');
    expect(quote(10n)).to.equal('[object BigInt]');
  });
});
