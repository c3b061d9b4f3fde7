/**
 * The extension's settings, derived from the engine's defaults table
 * (OPTION_SPECS, RUN_OPTION_SPECS) plus the few options only the extension has
 * (where the result goes, whether to open it). `contributes.configuration` in
 * package.json and the README's settings table are generated from this file
 * (scripts/generate.ts, `pnpm gen`); a unit test checks that they match.
 * Pure: no `vscode`, no tfjs.
 */
import {
  DEFAULT_TEMPORAL_WEIGHT, OPTION_SPECS, OptionSpec, OUTPUT_FORMAT_NAMES, RUN_OPTION_SPECS, VGG_LAYERS,
} from '@neural-style/engine/options';
import { megapixels, Section, SECTIONS, SETTING_WORDS, SettingWords } from './settingsWords';

export const SECTION = 'neuralStyle';

/** An extension-only setting: the engine's spec kinds plus free strings. */
export type SettingSpec = (OptionSpec | { type: 'string'; default: string; description: string }) & {
  /**
   * "machine": a path or program on this machine, never taken from a workspace.
   * "resource": may differ per workspace folder (outputFolder: checked to stay inside it).
   */
  scope?: 'machine' | 'resource';
};

export const EXTENSION_SPECS = {
  outputFolder: { type: 'string', default: '', scope: 'resource',
    description: 'A workspace\'s value must stay inside the workspace folder, by its real path (a cloned '
      + 'repository, or a symbolic link in it, cannot send results elsewhere); absolute folders go in user settings.' },
  fileNamePattern: { type: 'string', default: '${name}.${style}',
    description: 'File name of a result, without extension. ${name}: the source file name without extension; '
      + '${style}: the style\'s name. A taken name gets -1, -2, … appended; nothing is ever overwritten.' },
  outputFormat: { type: 'enum', values: OUTPUT_FORMAT_NAMES, default: 'png',
    description: 'PNG results carry the run\'s parameters (file names, never folders) in an iTXt chunk.' },
  openWhenDone: { type: 'boolean', default: true,
    description: 'Results open beside the job\'s panel, not over it.' },
  openEachInBatch: { type: 'boolean', default: false,
    description: 'A batch is the photos of one command (a selection, a folder). Without this, only its first '
      + 'result opens; the others are in their panels and the queue view.' },
  weightsPath: { type: 'string', default: '', scope: 'machine',
    description: 'VGG19 weights: a folder with model.json and its shards, or an https URL of a model.json.' },
  enginePath: { type: 'string', default: '', scope: 'machine',
    description: 'The worker.js of a Neural Style engine build (for example a checkout with '
      + '@tensorflow/tfjs-node-gpu installed, to use a GPU).' },
  engineIdleMinutes: { type: 'number', integer: true, min: 0, max: 1440, default: 10,
    description: 'Minutes the engine process stays ready after a job, so that the next one starts at once '
      + '(its weights and backend are loaded). 0: stop it after each job.' },
  temporalWeight: { type: 'number', min: 0, max: 1_000_000, default: DEFAULT_TEMPORAL_WEIGHT,
    description: 'For Stylize as Animation: the temporal loss\'s weight, which keeps each frame close to the one '
      + 'before where the picture does not move. 0: each frame only starts from the one before.' },
  revealRunningPanel: { type: 'boolean', default: true,
    description: 'Bring the running job\'s panel to the front when the job starts '
      + '(the keyboard focus stays where it is).' },
} as const satisfies Record<string, SettingSpec>;

/** A setting's value as the extension reads it, by its spec's kind. */
type SettingValue<S> = S extends { type: 'enum'; values: readonly (infer V)[] } ? V
  : S extends { type: 'number' } ? number
  : S extends { type: 'boolean' } ? boolean
  : S extends { type: 'string' } ? string
  : never;

/** The extension's own settings, each with its value's type: the table above is their only list. */
export type ExtensionSettings = {
  -readonly [K in keyof typeof EXTENSION_SPECS]: SettingValue<(typeof EXTENSION_SPECS)[K]>
};

/** Engine options the extension does not offer: it always gives exactly one style image. */
const NOT_SETTINGS = new Set<string>(['styleBlendWeights']);

export type SettingName = keyof typeof OPTION_SPECS | keyof typeof RUN_OPTION_SPECS | keyof typeof EXTENSION_SPECS;

/** Every setting, in the order the Settings editor shows them (settingsWords.ts). */
export function settingSpecs(): Array<[SettingName, SettingSpec]> {
  const all: Record<string, SettingSpec> = { ...OPTION_SPECS, ...RUN_OPTION_SPECS, ...EXTENSION_SPECS };
  return Object.keys(SETTING_WORDS).map((name) => [name as SettingName, all[name]]);
}

/** The names every setting of an engine option or of the extension must have words for (a unit test compares). */
export function settingNamesFromSpecs(): string[] {
  return Object.keys({ ...OPTION_SPECS, ...RUN_OPTION_SPECS, ...EXTENSION_SPECS })
    .filter((name) => !NOT_SETTINGS.has(name));
}

export function wordsOf(name: SettingName): SettingWords {
  return SETTING_WORDS[name as keyof typeof SETTING_WORDS];
}

/**
 * What the Settings editor says: the painter's words first, then at most one
 * technical paragraph (the extension's note, else the engine's description).
 */
export function descriptionOf(name: SettingName, spec: SettingSpec): string {
  const { plain, note } = wordsOf(name) as SettingWords;
  const second = note ?? spec.description;
  return second ? `${plain}\n\n${second}` : plain;
}

/** One setting as a JSON schema property of `contributes.configuration`. */
export function jsonSchemaOf(name: SettingName, spec: SettingSpec, order: number): Record<string, unknown> {
  const base: Record<string, unknown> = { order, description: descriptionOf(name, spec) };
  if (spec.scope) base.scope = spec.scope;
  const choices = wordsOf(name).choices as Record<string, string> | undefined;
  if (spec.type === 'enum') base.enumDescriptions = spec.values.map((v) => choices?.[v] ?? v);
  if (spec.type === 'layers') {
    base.items = { type: 'string', enum: [...VGG_LAYERS], enumDescriptions: VGG_LAYERS.map((l) => layerWords(l)) };
  }
  switch (spec.type) {
    case 'number':
      return { ...base, type: spec.integer ? 'integer' : 'number', default: spec.default,
        ...(spec.exclusiveMin ? { exclusiveMinimum: spec.min } : { minimum: spec.min }), maximum: spec.max };
    case 'boolean':
      return { ...base, type: 'boolean', default: spec.default };
    case 'enum':
      return { ...base, type: 'string', default: spec.default, enum: [...spec.values] };
    case 'string':
      return { ...base, type: 'string', default: spec.default };
    case 'layers':
      return { ...base, type: 'array', default: [...spec.default], minItems: 1, maxItems: spec.maxItems,
        uniqueItems: true };
    case 'numbers':
      return { ...base, type: 'array', default: [...spec.default], maxItems: spec.maxItems,
        items: { type: 'number', minimum: spec.min } };
  }
}

function layerWords(layer: string): string {
  return (SETTING_WORDS.contentLayer.choices as Record<string, string>)[layer] ?? layer;
}

type ConfigurationSection = { id: string; title: string; order: number; properties: Record<string, unknown> };

/** `contributes.configuration`: one category per section, each setting in its section in SETTING_WORDS' order. */
export function configurationContribution(): ConfigurationSection[] {
  return (Object.keys(SECTIONS) as Section[]).map((section, order) => {
    const properties: Record<string, unknown> = {};
    settingSpecs().forEach(([name, spec], i) => {
      if (wordsOf(name).section === section) properties[`${SECTION}.${name}`] = jsonSchemaOf(name, spec, i);
    });
    return { id: `${SECTION}.${section}`, title: SECTIONS[section], order, properties };
  });
}

type Strings = Record<string, string>;

/** `%key%` for `text`, remembering the English in `strings` (package.nls.json). */
function keyed(strings: Strings, key: string, text: string): string {
  strings[key] = text;
  return `%${key}%`;
}

function localizedProperty(name: string, prop: Record<string, unknown>, strings: Strings): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...prop, description: keyed(strings, `config.${name}.description`, prop.description as string),
  };
  // Each value's description, keyed by the value.
  const described = (of: Record<string, unknown>) => (of.enumDescriptions as string[])
    .map((d, i) => keyed(strings, `config.${name}.enum.${(of.enum as string[])[i]}`, d));
  if (prop.enumDescriptions) out.enumDescriptions = described(prop);
  const items = prop.items as Record<string, unknown> | undefined;
  if (items?.enumDescriptions) out.items = { ...items, enumDescriptions: described(items) };
  return out;
}

/**
 * The contribution as package.json holds it: every text a `%key%` of
 * package.nls.json (VS Code's localization of a manifest), and those texts.
 */
export function localizedConfiguration(): { contribution: Array<Record<string, unknown>>; strings: Strings } {
  const strings: Strings = {};
  const contribution = configurationContribution().map((section) => ({
    ...section,
    title: keyed(strings, `config.section.${section.id.replace(`${SECTION}.`, '')}`, section.title),
    properties: Object.fromEntries(Object.entries(section.properties).map(([key, prop]) =>
      [key, localizedProperty(key.replace(`${SECTION}.`, ''), prop as Record<string, unknown>, strings)])),
  }));
  return { contribution, strings };
}

/** A number as a person reads it: a count of pixels in megapixels, a large one with thousands separators. */
function readable(name: string, value: number): string {
  if (name.endsWith('Pixels') && value >= 1e6) return megapixels(value);
  return value >= 1e5 ? value.toLocaleString('en-US') : String(value);
}

function formatDefault(name: string, spec: SettingSpec): string {
  if (Array.isArray(spec.default)) return spec.default.length ? spec.default.join(', ') : '(none)';
  if (spec.default === '') return '(empty)';
  return typeof spec.default === 'number' ? readable(name, spec.default) : String(spec.default);
}

function formatRange(name: string, spec: SettingSpec): string {
  switch (spec.type) {
    case 'number':
      return `${spec.integer ? 'integer' : 'number'} ${spec.exclusiveMin ? '>' : '≥'} ${spec.min}, `
        + `≤ ${readable(name, spec.max)}`;
    case 'enum': return spec.values.join(', ');
    case 'boolean': return 'true, false';
    case 'layers': return `list of up to ${spec.maxItems} VGG19 layers`;
    case 'numbers': return `list of up to ${spec.maxItems} numbers ≥ ${spec.min}`;
    case 'string': return spec.scope === 'machine' ? 'path (machine setting)' : 'text';
  }
}

/** The README's settings table (markdown). */
export function settingsMarkdown(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = settingSpecs().map(([name, spec]) => `| \`${SECTION}.${name}\` | ${cell(formatDefault(name, spec))} | `
    + `${formatRange(name, spec)} | ${cell(descriptionOf(name, spec).replace(/\n\n/g, ' '))} |`);
  return ['| setting | default | values | what it does |', '|---|---|---|---|', ...rows].join('\n');
}
