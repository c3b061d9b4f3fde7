import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { OPTION_SPECS, RUN_OPTION_SPECS } from '@neural-style/engine/options';
import { expectedPackageJson, expectedReadme } from '../../../scripts/generate';
import { configurationContribution, settingSpecs } from '../../../extension/src/settingsSchema';

const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'extension', 'package.json'), 'utf8'));
const properties = pkg.contributes.configuration.properties as Record<string, Record<string, unknown>>;

describe('settings derived from the engine defaults', () => {
  it('package.json contributes.configuration is what the generator makes (run pnpm gen)', () => {
    assert.deepStrictEqual(pkg, expectedPackageJson(pkg));
  });

  it('the README settings table is what the generator makes', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    assert.strictEqual(readme, expectedReadme(readme));
  });

  it('every engine option but the multi-style blend weights is a setting, with the same default', () => {
    for (const [name, spec] of Object.entries({ ...OPTION_SPECS, ...RUN_OPTION_SPECS })) {
      const prop = properties[`neuralStyle.${name}`];
      if (name === 'styleBlendWeights') {
        assert.strictEqual(prop, undefined);
        continue;
      }
      assert.ok(prop, `neuralStyle.${name} missing`);
      assert.deepStrictEqual(prop.default, spec.default, name);
      assert.strictEqual(prop.description, spec.description, name);
    }
  });

  it('numbers carry their range and enums their values', () => {
    assert.deepStrictEqual([properties['neuralStyle.size'].type, properties['neuralStyle.size'].minimum, properties['neuralStyle.size'].maximum], ['integer', 16, 8192]);
    assert.strictEqual(properties['neuralStyle.learningRate'].exclusiveMinimum, 0);
    assert.deepStrictEqual(properties['neuralStyle.optimizer'].enum, ['lbfgs', 'adam']);
    assert.deepStrictEqual(properties['neuralStyle.backend'].enum, ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu', 'webgpu', 'webgl']);
    for (const [key, prop] of Object.entries(properties)) {
      assert.ok(typeof prop.description === 'string' && prop.description.length > 10, `${key} has no description`);
      assert.ok('default' in prop, `${key} has no default`);
      if (prop.type === 'number' || prop.type === 'integer') assert.ok('maximum' in prop && ('minimum' in prop || 'exclusiveMinimum' in prop), `${key} has no range`);
    }
  });

  it('settings that point at files or programs are machine-scoped, and only those', () => {
    const machine = Object.entries(properties).filter(([, p]) => p.scope === 'machine').map(([k]) => k).sort();
    assert.deepStrictEqual(machine, ['neuralStyle.enginePath', 'neuralStyle.outputFolder', 'neuralStyle.weightsPath']);
  });

  it('has the settings the issue asks for', () => {
    const names = settingSpecs().map(([n]) => n);
    for (const n of ['size', 'iterations', 'optimizer', 'learningRate', 'contentWeight', 'styleWeight', 'tvWeight', 'contentLayer', 'styleLayers',
      'styleLayerWeights', 'init', 'noiseRatio', 'seed', 'styleScale', 'preserveColors', 'pooling', 'multiScale', 'backend', 'previewEvery',
      'outputFolder', 'fileNamePattern', 'outputFormat', 'openWhenDone']) assert.ok(names.includes(n as never), n);
    assert.strictEqual(Object.keys(configurationContribution().properties as object).length, names.length);
  });
});
