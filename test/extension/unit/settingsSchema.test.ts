import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { OPTION_SPECS, RUN_OPTION_SPECS } from '@neural-style/engine/options';
import { expectedMarkdown, expectedPackageJson, expectedPackageNls } from '../../../scripts/generate';
import { configurationContribution, descriptionOf, settingNamesFromSpecs, settingSpecs } from '../../../extension/src/settingsSchema';
import { SETTING_WORDS } from '../../../extension/src/settingsWords';

const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'extension', 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(root, 'extension', 'package.nls.json'), 'utf8')) as Record<string, string>;
/** package.json with its %keys% replaced by package.nls.json's English, as VS Code shows it. */
const resolve = (value: unknown): unknown => {
  if (typeof value === 'string') return value.replace(/^%([^%]+)%$/, (_, key: string) => nls[key] ?? `(missing ${key})`);
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  return value;
};
type Section = { title: string; properties: Record<string, Record<string, unknown>> };
const sections = resolve(pkg.contributes.configuration) as Section[];
const properties = Object.assign({}, ...sections.map((c) => c.properties)) as Record<string, Record<string, unknown>>;

describe('settings derived from the engine defaults', () => {
  it('package.json contributes.configuration is what the generator makes (run pnpm gen)', () => {
    assert.deepStrictEqual(pkg, expectedPackageJson(pkg));
  });

  it('every text of the manifest is a %key% of package.nls.json (localizable), each key there, none unused', () => {
    assert.deepStrictEqual(nls, expectedPackageNls(nls), 'package.nls.json is stale: run pnpm gen');
    const keys = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.deepStrictEqual(keys.filter((k) => !Object.hasOwn(nls, k)), [], 'keys missing from package.nls.json');
    assert.deepStrictEqual(Object.keys(nls).filter((k) => !keys.includes(k)), [], 'texts of package.nls.json that package.json does not use');
    const literal = [pkg.displayName, pkg.description, ...pkg.contributes.commands.flatMap((c: { title: string; category?: string }) => [c.title, c.category ?? '%%'])];
    assert.deepStrictEqual(literal.filter((t: string) => !/^%[^%]*%$/.test(t)), [], 'texts written into package.json instead of package.nls.json');
  });

  it('the settings table of docs/EXTENSION.md is what the generator makes', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'EXTENSION.md'), 'utf8');
    assert.strictEqual(doc, expectedMarkdown('docs/EXTENSION.md', doc));
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
      const { note } = SETTING_WORDS[name as keyof typeof SETTING_WORDS] as { note?: string };
      const second = note ?? spec.description;
      const description = prop.description as string;
      assert.ok(second ? description.endsWith(`\n\n${second}`) : !description.includes('\n\n'),
        `${name}: the note (else the engine's description) comes after the painter's words`);
    }
  });

  it('says each setting in one vocabulary: two paragraphs at most, no formulas, no other program\'s flags', () => {
    for (const [key, prop] of Object.entries(properties)) {
      const description = prop.description as string;
      assert.ok(description.split('\n\n').length <= 2, `${key}: more than two paragraphs`);
      assert.doesNotMatch(description, /[αβ²Σ]|jcjohnson|sharp's|-original_colors|Style strength|Brush size/, key);
      assert.doesNotMatch(description, /\d{7,}/, `${key}: a number too long to read`);
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
    assert.deepStrictEqual(machine, ['neuralStyle.enginePath', 'neuralStyle.weightsPath']);
    // outputFolder may differ per workspace folder; a workspace's value is checked to stay inside it
    // (outputPath.test.ts).
    assert.strictEqual(properties['neuralStyle.outputFolder'].scope, 'resource');
  });

  it('every setting has a painter\'s words, and every choice of an enum its own line', () => {
    assert.deepStrictEqual(Object.keys(SETTING_WORDS).sort(), settingNamesFromSpecs().sort());
    for (const [key, prop] of Object.entries(properties)) {
      const name = key.replace('neuralStyle.', '') as keyof typeof SETTING_WORDS;
      assert.ok((prop.description as string).startsWith(SETTING_WORDS[name].plain), key);
      const values = (prop.enum ?? (prop.items as { enum?: string[] } | undefined)?.enum) as string[] | undefined;
      const lines = (prop.enumDescriptions
        ?? (prop.items as { enumDescriptions?: string[] } | undefined)?.enumDescriptions) as string[] | undefined;
      if (!values) continue;
      assert.strictEqual(lines?.length, values.length, `${key}: one enumDescription per value`);
      lines!.forEach((line, i) => assert.ok(line.length > 8 && line !== values[i], `${key}: ${values[i]} has no words`));
    }
    for (const jargon of [/Weight [αβ]/, /\bE_l\b/, /Laplacian/, /Gram/, /L-BFGS/]) {
      const first = Object.entries(properties).filter(([, p]) => jargon.test((p.description as string).split('\n\n')[0]));
      const basics = first.filter(([k]) => sections[0].properties[k]);
      assert.deepStrictEqual(basics.map(([k]) => k), [], `${jargon} in the first words of a basic setting`);
    }
  });

  it('the look comes first, the optimizer\'s internals under Advanced', () => {
    assert.deepStrictEqual(sections.map((c) => c.title), ['Neural Style', 'Neural Style: Results', 'Neural Style: Engine', 'Neural Style: Advanced']);
    assert.deepStrictEqual(Object.keys(sections[0].properties).slice(0, 4), ['neuralStyle.size', 'neuralStyle.iterations', 'neuralStyle.styleWeight', 'neuralStyle.preserveColors']);
    const order = (k: string) => properties[k].order as number;
    assert.ok(Object.keys(sections[0].properties).every((k, i, all) => i === 0 || order(all[i - 1]) < order(k)));
    for (const internal of ['optimizer', 'learningRate', 'lbfgsHistory', 'tolerance', 'parameterization', 'normalization', 'pooling', 'styleLayers', 'tileSize']) {
      assert.ok(sections[3].properties[`neuralStyle.${internal}`], `${internal} is not under Advanced`);
    }
    assert.strictEqual(descriptionOf('size', OPTION_SPECS.size).split('\n\n')[0], SETTING_WORDS.size.plain);
  });

  it('has the settings the issue asks for', () => {
    const names = settingSpecs().map(([n]) => n);
    for (const n of ['size', 'iterations', 'optimizer', 'learningRate', 'contentWeight', 'styleWeight', 'tvWeight', 'contentLayer', 'styleLayers',
      'styleLayerWeights', 'init', 'noiseRatio', 'seed', 'styleScale', 'preserveColors', 'pooling', 'multiScale', 'backend', 'previewEvery',
      'outputFolder', 'fileNamePattern', 'outputFormat', 'openWhenDone']) assert.ok(names.includes(n as never), n);
    assert.strictEqual(configurationContribution().reduce((n, c) => n + Object.keys(c.properties).length,
      0), names.length);
    assert.strictEqual(Object.keys(properties).length, names.length);
  });
});
