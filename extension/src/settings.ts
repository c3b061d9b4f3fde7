/**
 * Settings → engine options, read when a job starts. Every value is checked
 * with the engine's own `checkOption`; a bad one throws a message that names
 * the setting (`neuralStyle.size`), which the extension shows as is.
 * Pure: the caller passes a getter (vscode's WorkspaceConfiguration.get).
 */
import * as l10n from '@vscode/l10n';
import {
  checkOption, NeuralStyleError, OPTION_SPECS, OutputFormat, RUN_OPTION_SPECS, RunOptions, StylizeOptions, validateOptions,
} from '@neural-style/engine/options';
import { SECTION, settingSpecs } from './settingsSchema';

export interface OutputSettings {
  folder: string;
  pattern: string;
  format: OutputFormat;
  openWhenDone: boolean;
  /** In a batch, every result opens (else only the first). */
  openEachInBatch: boolean;
}

export interface JobSettings {
  options: StylizeOptions;
  run: RunOptions;
  output: OutputSettings;
  weightsPath: string;
  enginePath: string;
  /** How long the warm engine waits for the next job. */
  engineIdleMinutes: number;
  /** Whether a job's panel comes to the front when it starts. */
  revealRunningPanel: boolean;
}

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
  return new SettingsError(key, l10n.t('Setting {0}: {1}', key, message.replace(new RegExp(`^Invalid ${name}\\b`), l10n.t('invalid value'))));
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
      if (typeof raw !== 'string') throw new SettingsError(`${SECTION}.${name}`, l10n.t('Setting {0}: invalid value {1}. Use a text value.', `${SECTION}.${name}`, JSON.stringify(raw)));
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
  const given = Object.fromEntries(Object.keys(OPTION_SPECS).filter((key) => Object.hasOwn(values, key)).map((key) => [key, values[key]])) as Partial<StylizeOptions>;
  let options: StylizeOptions;
  try {
    options = validateOptions(given);
  } catch (e) {
    // Coherence errors ("3 weights for 5 style layers") name their option: turn it into the setting.
    const m = e instanceof NeuralStyleError ? /^Invalid (\w+)/.exec(e.message) : null;
    const name = m?.[1] ?? 'styleLayerWeights';
    throw new SettingsError(`${SECTION}.${name}`, l10n.t('Setting {0}: {1}', `${SECTION}.${name}`, (e as Error).message));
  }
  const run = Object.fromEntries(Object.keys(RUN_OPTION_SPECS).map((k) => [k, values[k]])) as unknown as RunOptions;
  const pattern = values.fileNamePattern as string;
  if (!pattern || /[/\\]/.test(pattern)) {
    throw new SettingsError(`${SECTION}.fileNamePattern`,
      l10n.t('Setting {0}: invalid value {1}. Use a file name without folders, e.g. {2}.', `${SECTION}.fileNamePattern`, JSON.stringify(pattern), '${name}.${style}'));
  }
  return {
    options,
    run,
    output: {
      folder: values.outputFolder as string,
      pattern,
      format: values.outputFormat as OutputFormat,
      openWhenDone: values.openWhenDone as boolean,
      openEachInBatch: values.openEachInBatch as boolean,
    },
    weightsPath: values.weightsPath as string,
    enginePath: values.enginePath as string,
    engineIdleMinutes: values.engineIdleMinutes as number,
    revealRunningPanel: values.revealRunningPanel as boolean,
  };
}


/** The settings with a job's own options over them (Run again, Stylize Again), checked as a whole by the engine's checks. */
export function withJobOptions(settings: JobSettings, options: Partial<StylizeOptions> | undefined): JobSettings {
  return options ? { ...settings, options: validateOptions({ ...settings.options, ...options }) } : settings;
}
