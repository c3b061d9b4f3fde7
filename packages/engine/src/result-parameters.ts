/**
 * What made a picture, as stored in its PNG's `neural-style` text chunk: the
 * file names (never folders: a shared picture must not tell where its owner
 * keeps photos), the backend, every option and the steps run. Nothing that
 * differs between two equal runs (no timings), so a seed reproduces the bytes.
 * Read back, the chunk is outside data: it is checked by the engine's own
 * option checks before it drives a run. No Node, no DOM, no tfjs.
 */
import { NeuralStyleError } from './core/errors';
import { OPTION_SPECS, type StylizeOptions } from './core/options';
import { validateOptions } from './core/validate';

/** The PNG text chunk's keyword. */
export const PARAMETERS_KEYWORD = 'neural-style';

export interface ResultParameters {
  /** The content image's file name. */
  content: string;
  /** The style images' file names. */
  styles: string[];
  backend: string;
  steps: number;
  options: StylizeOptions;
}

/** The last part of a path, for either separator: what a picture may say of its inputs. */
export function fileNameOf(file: string): string {
  return file.split(/[\\/]/).filter(Boolean).pop() ?? '';
}

/** The chunk's text for a result. */
export function formatResultParameters(p: { content: string; styles: readonly string[]; backend: string; steps: number; options: StylizeOptions }): string {
  return JSON.stringify({
    software: 'neural-style', content: fileNameOf(p.content), styles: p.styles.map(fileNameOf), backend: p.backend, ...p.options, steps: p.steps,
  });
}

const fail = (why: string) => new NeuralStyleError(`The picture's neural-style parameters are not usable: ${why}`, 'EPARAMETERS');

/**
 * A plain file name, no way out of the folder it is looked up in. Older
 * pictures stored whole paths: only their last part is kept.
 */
function fileName(value: unknown, what: string): string {
  const name = typeof value === 'string' ? fileNameOf(value) : '';
  if (name === '' || name === '.' || name === '..' || name.includes('\0') || name.length > 255) {
    throw fail(`${what} is not a file name (${JSON.stringify(value)?.slice(0, 80)}).`);
  }
  return name;
}

/** Parses and checks a chunk's text; throws an EPARAMETERS NeuralStyleError saying what is wrong. */
export function parseResultParameters(text: string): ResultParameters {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw fail('they are not JSON.');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail('they are not an object.');
  const { software, content, styles, backend, steps, ...rest } = raw as Record<string, unknown>;
  if (software !== 'neural-style') throw fail(`"software" is ${JSON.stringify(software)?.slice(0, 40)}, not "neural-style".`);
  if (!Array.isArray(styles) || styles.length === 0) throw fail('"styles" is not a list of file names.');
  if (typeof backend !== 'string' || backend.length > 200) throw fail('"backend" is not a name.');
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0) throw fail('"steps" is not a count.');
  // Pictures from older versions may carry fields that are no options (e.g. "seconds"): only options drive a run.
  const given = Object.fromEntries(Object.entries(rest).filter(([key]) => Object.hasOwn(OPTION_SPECS, key)));
  let options: StylizeOptions;
  try {
    options = validateOptions(given as Partial<StylizeOptions>);
  } catch (e) {
    throw fail((e as Error).message);
  }
  return { content: fileName(content, '"content"'), styles: styles.map((s, i) => fileName(s, `style ${i + 1}`)), backend, steps, options };
}
