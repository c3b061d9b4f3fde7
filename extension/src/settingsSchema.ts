/**
 * The extension's settings, derived from the engine's defaults table
 * (OPTION_SPECS, RUN_OPTION_SPECS) plus the few options only the extension has
 * (where the result goes, whether to open it). `contributes.configuration` in
 * package.json and the README's settings table are generated from this file
 * (scripts/generate.ts, `pnpm gen`); a unit test checks that they match.
 * Pure: no `vscode`, no tfjs.
 */
import { OPTION_SPECS, OptionSpec, OUTPUT_FORMAT_NAMES, RUN_OPTION_SPECS, VGG_LAYERS } from '@neural-style/engine/options';

export const SECTION = 'neuralStyle';

/** An extension-only setting: the engine's spec kinds plus free strings. */
export type SettingSpec = (OptionSpec | { type: 'string'; default: string; description: string }) & {
  /** "machine": a path or program on this machine; never taken from a workspace. */
  scope?: 'machine';
};

export const EXTENSION_SPECS = {
  outputFolder: { type: 'string', default: '', scope: 'machine',
    description: 'Folder for results. Empty: beside the source image. A relative path is taken from the source image\'s workspace folder.' },
  fileNamePattern: { type: 'string', default: '${name}.${style}',
    description: 'File name of a result, without extension. ${name}: the source file name without extension; ${style}: the style\'s name. A taken name gets -1, -2, … appended; nothing is ever overwritten.' },
  outputFormat: { type: 'enum', values: OUTPUT_FORMAT_NAMES, default: 'png',
    description: 'Format of the result (PNG results carry the run\'s parameters in a tEXt chunk).' },
  openWhenDone: { type: 'boolean', default: true,
    description: 'Open the result in an editor when the job is done.' },
  weightsPath: { type: 'string', default: '', scope: 'machine',
    description: 'VGG19 weights: a folder with model.json and its shards, or an https URL of a model.json. Empty: the weights bundled with the extension.' },
  enginePath: { type: 'string', default: '', scope: 'machine',
    description: 'The engine process to run: the worker.js of a Neural Style engine build (for example a checkout with @tensorflow/tfjs-node-gpu installed, to use a GPU). Empty: the engine bundled with the extension.' },
  engineIdleMinutes: { type: 'number', integer: true, min: 0, max: 1440, default: 10,
    description: 'Minutes the engine process stays ready after a job, so that the next one starts at once (its weights and backend are loaded). 0: stop it after each job.' },
  revealRunningPanel: { type: 'boolean', default: true,
    description: 'Bring the running job\'s panel to the front when the job starts (the keyboard focus stays where it is).' },
} as const satisfies Record<string, SettingSpec>;

/** Engine options the extension does not offer: it always gives exactly one style image. */
const NOT_SETTINGS = new Set<string>(['styleBlendWeights']);

export type SettingName = keyof typeof OPTION_SPECS | keyof typeof RUN_OPTION_SPECS | keyof typeof EXTENSION_SPECS;

/** Every setting, in the order the Settings editor shows them. */
export function settingSpecs(): Array<[SettingName, SettingSpec]> {
  const all: Record<string, SettingSpec> = { ...OPTION_SPECS, ...RUN_OPTION_SPECS, ...EXTENSION_SPECS };
  return Object.entries(all).filter(([name]) => !NOT_SETTINGS.has(name)) as Array<[SettingName, SettingSpec]>;
}

/** One setting as a JSON schema property of `contributes.configuration`. */
export function jsonSchemaOf(spec: SettingSpec, order: number): Record<string, unknown> {
  const base: Record<string, unknown> = { order, description: spec.description };
  if (spec.scope) base.scope = spec.scope;
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
      return { ...base, type: 'array', default: [...spec.default], minItems: 1, uniqueItems: true,
        items: { type: 'string', enum: [...VGG_LAYERS] } };
    case 'numbers':
      return { ...base, type: 'array', default: [...spec.default], items: { type: 'number', minimum: spec.min } };
  }
}

/** The whole `contributes.configuration` object. */
export function configurationContribution(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  settingSpecs().forEach(([name, spec], i) => { properties[`${SECTION}.${name}`] = jsonSchemaOf(spec, i); });
  return { title: 'Neural Style', properties };
}

function formatDefault(spec: SettingSpec): string {
  if (Array.isArray(spec.default)) return spec.default.length ? spec.default.join(', ') : '(none)';
  if (spec.default === '') return '(empty)';
  return String(spec.default);
}

function formatRange(spec: SettingSpec): string {
  switch (spec.type) {
    case 'number': return `${spec.integer ? 'integer' : 'number'} ${spec.exclusiveMin ? '>' : '≥'} ${spec.min}, ≤ ${spec.max}`;
    case 'enum': return spec.values.join(', ');
    case 'boolean': return 'true, false';
    case 'layers': return 'list of VGG19 layers';
    case 'numbers': return `list of numbers ≥ ${spec.min}`;
    case 'string': return spec.scope === 'machine' ? 'path (machine setting)' : 'text';
  }
}

/** The README's settings table (markdown). */
export function settingsMarkdown(): string {
  const rows = settingSpecs().map(([name, spec]) =>
    `| \`${SECTION}.${name}\` | ${formatDefault(spec).replace(/\|/g, '\\|')} | ${formatRange(spec)} | ${spec.description.replace(/\|/g, '\\|')} |`);
  return ['| setting | default | values | what it does |', '|---|---|---|---|', ...rows].join('\n');
}
