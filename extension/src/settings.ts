/**
 * Settings → engine options, read when a job starts. Every value is checked
 * with the engine's own `checkOption`; a bad one throws a message that names
 * the setting (`neuralStyle.size`), which the extension shows as is.
 * Pure: the caller passes a getter (vscode's WorkspaceConfiguration.get).
 */
import * as l10n from '@vscode/l10n';
import {
  checkOption, NeuralStyleError, OPTION_SPECS, RUN_OPTION_SPECS, RunOptions, StylizeOptions, validateOptions,
} from '@neural-style/engine/options';
import { EXTENSION_SPECS, ExtensionSettings, SECTION, settingSpecs } from './settingsSchema';

/** What a job reads from the settings: the engine's options and run options, and the extension's own. */
export type JobSettings = { options: StylizeOptions; run: RunOptions } & ExtensionSettings;

export class SettingsError extends Error {
  constructor(readonly setting: string, message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Reads one setting's value; `undefined` means "not set: use the default". */
export type SettingGetter = (name: string) => unknown;

// Engine messages say "Invalid size 5. Use …": say which setting instead.
function renamed(name: string, error: unknown): SettingsError {
  const message = error instanceof Error ? error.message : String(error);
  const key = `${SECTION}.${name}`;
  const reworded = message.replace(new RegExp(`^Invalid ${name}\\b`), l10n.t('invalid value'));
  return new SettingsError(key, l10n.t('Setting {0}: {1}', key, reworded));
}

export function readSettings(get: SettingGetter): JobSettings {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of settingSpecs()) {
    const raw = get(name);
    if (raw === undefined || raw === null) {
      values[name] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
      continue;
    }
    if (spec.type === 'string') {
      const key = `${SECTION}.${name}`;
      if (typeof raw !== 'string') {
        const why = l10n.t('Setting {0}: invalid value {1}. Use a text value.', key, JSON.stringify(raw));
        throw new SettingsError(key, why);
      }
      values[name] = raw.trim();
      continue;
    }
    try {
      values[name] = checkOption(name, spec, raw);
    } catch (e) {
      throw renamed(name, e);
    }
  }
  // The engine's options among the settings (the others are the extension's own). Defaults are
  // passed as given: validateOptions stretches the default layer weights to any layer count.
  const given = Object.fromEntries(Object.keys(OPTION_SPECS).filter((key) => Object.hasOwn(values, key))
    .map((key) => [key, values[key]])) as Partial<StylizeOptions>;
  let options: StylizeOptions;
  try {
    options = validateOptions(given);
  } catch (e) {
    // Coherence errors ("3 weights for 5 style layers") name their option: turn it into the setting.
    const m = e instanceof NeuralStyleError ? /^Invalid (\w+)/.exec(e.message) : null;
    const key = `${SECTION}.${m?.[1] ?? 'styleLayerWeights'}`;
    throw new SettingsError(key, l10n.t('Setting {0}: {1}', key, (e as Error).message));
  }
  const pattern = values.fileNamePattern as string;
  if (!pattern || /[/\\]/.test(pattern)) {
    const key = `${SECTION}.fileNamePattern`;
    throw new SettingsError(key, l10n.t('Setting {0}: invalid value {1}. Use a file name without folders, e.g. {2}.',
      key, JSON.stringify(pattern), '${name}.${style}'));
  }
  const run = valuesOf<RunOptions>(RUN_OPTION_SPECS, values);
  return { options, run, ...valuesOf<ExtensionSettings>(EXTENSION_SPECS, values) };
}

/** The values of one table's settings. */
function valuesOf<T>(specs: Record<string, unknown>, values: Record<string, unknown>): T {
  return Object.fromEntries(Object.keys(specs).map((k) => [k, values[k]])) as T;
}

/**
 * The settings with a job's own options over them (Run again, Stylize Again),
 * checked as a whole by the engine's checks.
 */
export function withJobOptions(settings: JobSettings, options: Partial<StylizeOptions> | undefined): JobSettings {
  return options ? { ...settings, options: validateOptions({ ...settings.options, ...options }) } : settings;
}
