import * as assert from 'assert';
import { DEFAULT_TEMPORAL_WEIGHT, DEFAULTS, RUN_DEFAULTS } from '@neural-style/engine/options';
import { readSettings, SettingsError } from '../../../extension/src/settings';

const from = (values: Record<string, unknown>) => (name: string) => values[name];

function error(values: Record<string, unknown>): SettingsError {
  try {
    readSettings(from(values));
  } catch (e) {
    assert.ok(e instanceof SettingsError, `not a SettingsError: ${e}`);
    return e;
  }
  assert.fail('no error');
}

describe('settings → engine options', () => {
  it('unset settings give the engine\'s defaults and the extension\'s own', () => {
    const s = readSettings(from({}));
    assert.deepStrictEqual(s.options, { ...DEFAULTS });
    assert.deepStrictEqual(s.run, { ...RUN_DEFAULTS });
    const { options: _options, run: _run, ...own } = s;
    assert.deepStrictEqual(own, {
      outputFolder: '', fileNamePattern: '${name}.${style}', outputFormat: 'png', openWhenDone: true,
      openEachInBatch: false, weightsPath: '', enginePath: '', engineIdleMinutes: 10, revealRunningPanel: true,
      temporalWeight: DEFAULT_TEMPORAL_WEIGHT,
    });
  });

  it('set values reach the engine options', () => {
    const s = readSettings(from({ size: 64, iterations: 7, optimizer: 'adam', preserveColors: true,
      styleLayers: ['conv1_1', 'conv2_1'], styleLayerWeights: [1, 3], backend: 'wasm' }));
    assert.strictEqual(s.options.size, 64);
    assert.strictEqual(s.options.iterations, 7);
    assert.strictEqual(s.options.optimizer, 'adam');
    assert.strictEqual(s.options.preserveColors, true);
    assert.deepStrictEqual(s.options.styleLayers, ['conv1_1', 'conv2_1']);
    assert.deepStrictEqual(s.options.styleLayerWeights, [1, 3]);
    assert.strictEqual(s.run.backend, 'wasm');
  });

  it('a number out of range names the setting and its range', () => {
    const e = error({ size: 5 });
    assert.strictEqual(e.setting, 'neuralStyle.size');
    assert.strictEqual(e.message,
      'Setting neuralStyle.size: invalid value 5. Use an integer at least 16 and at most 8192.');
  });

  it('a fractional iteration count is refused', () => {
    assert.match(error({ iterations: 2.5 }).message,
      /^Setting neuralStyle\.iterations: invalid value 2\.5\. Use an integer/);
  });

  it('an unknown enum value names the valid ones', () => {
    const e = error({ pooling: 'median' });
    assert.strictEqual(e.message, 'Setting neuralStyle.pooling: invalid value "median". Use one of: avg, max.');
  });

  it('a learning rate of 0 is refused (exclusive minimum)', () => {
    assert.match(error({ learningRate: 0 }).message, /neuralStyle\.learningRate.*greater than 0/);
  });

  it('an unknown layer is refused', () => {
    assert.match(error({ styleLayers: ['conv9_9'] }).message,
      /^Setting neuralStyle\.styleLayers: .*non-empty list of at most 16 of: conv1_1/);
    // Lists have the engine's limits: a workspace's settings are outside data too.
    assert.match(error({ styleLayers: Array(24).fill('conv2_2') }).message,
      /^Setting neuralStyle\.styleLayers: invalid value \[.*\]\. Use a non-empty list of at most 16 of: /);
    assert.match(error({ styleLayerWeights: Array(17).fill(0.5) }).message,
      /^Setting neuralStyle\.styleLayerWeights: invalid value .*at most 16 numbers/);
  });

  it('layer weights that do not match the layers name styleLayerWeights', () => {
    const e = error({ styleLayers: ['conv1_1', 'conv2_1'], styleLayerWeights: [1, 2, 3] });
    assert.strictEqual(e.setting, 'neuralStyle.styleLayerWeights');
    assert.match(e.message, /3 weights for 2 style layers/);
  });

  it('fewer style layers with the default weights get one weight each', () => {
    assert.deepStrictEqual(readSettings(from({ styleLayers: ['conv1_1', 'conv3_1'] })).options.styleLayerWeights,
      [1, 1]);
  });

  it('a file-name pattern with a folder in it is refused', () => {
    assert.strictEqual(error({ fileNamePattern: 'out/${name}' }).setting, 'neuralStyle.fileNamePattern');
  });

  it('a path setting must be text, and is trimmed', () => {
    assert.strictEqual(error({ outputFolder: 42 }).setting, 'neuralStyle.outputFolder');
    assert.strictEqual(readSettings(from({ weightsPath: '  /w  ' })).weightsPath, '/w');
  });

  it('inherited property names are no values, and numbers are plain decimals', () => {
    assert.match(error({ outputFormat: 'constructor' }).message,
      /^Setting neuralStyle\.outputFormat: invalid value "constructor"\. Use one of: png/);
    assert.match(error({ optimizer: 'toString' }).message, /^Setting neuralStyle\.optimizer: invalid value "toString"/);
    assert.match(error({ contentLayer: 'hasOwnProperty' }).message,
      /^Setting neuralStyle\.contentLayer: invalid value "hasOwnProperty"/);
    assert.match(error({ styleLayers: ['__proto__'] }).message,
      /^Setting neuralStyle\.styleLayers: invalid value \["__proto__"\]/);
    assert.match(error({ size: { valueOf: () => 64 } }).message, /^Setting neuralStyle\.size: invalid value \{\}/);
    assert.match(error({ size: '0x40' }).message, /^Setting neuralStyle\.size: invalid value "0x40"/);
    assert.match(error({ seed: 'x'.repeat(100_000) }).message,
      /^Setting neuralStyle\.seed: invalid value "x+…x+"\. Use an integer/);
    assert.ok(error({ seed: 'x'.repeat(100_000) }).message.length < 300);
  });

  it('an unknown output format is refused', () => {
    assert.match(error({ outputFormat: 'gif' }).message,
      /^Setting neuralStyle\.outputFormat: invalid value "gif"\. Use one of: png, jpeg, webp, avif, tiff\.$/);
  });
});
