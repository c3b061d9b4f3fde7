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
import { checkStyleCount, validateOptions } from './core/validate';

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

/**
 * The last part of a path, what a picture may say of its inputs: after the
 * last "/", and in a Windows path (a drive letter and a backslash, or two
 * backslashes, first) after the last backslash too. Elsewhere a backslash is
 * part of a name (Linux and macOS allow it), kept so it reads back exactly.
 */
export function fileNameOf(file: string): string {
  const separators = /^([A-Za-z]:\\|\\\\)/.test(file) ? /[\\/]/ : /\//;
  return file.split(separators).filter(Boolean).pop() ?? '';
}

/**
 * The chunk's text for a result; `content` and `styles` are file names (the
 * caller takes them from its paths with its platform's rules). What is
 * written is read back by the same checks first: a picture never carries
 * parameters its own reader refuses (a step count of -1.5 from a host, a
 * name that is no file name).
 */
export function formatResultParameters(p: {
  content: string; styles: readonly string[]; backend: string; steps: number; options: StylizeOptions;
}): string {
  const text = JSON.stringify({
    software: 'neural-style', content: fileNameOf(p.content), styles: p.styles.map(fileNameOf), backend: p.backend, ...p.options, steps: p.steps,
  });
  try {
    checkedParameters(JSON.parse(text));
  } catch (e) {
    throw new NeuralStyleError(`Cannot record the run's parameters in the picture: ${(e as Error).message}`, 'EPARAMETERS');
  }
  return text;
}

/** What is wrong with a chunk; the reader and the writer each say it in their own words. */
const fail = (why: string) => new Error(why);

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
  try {
    return checkedParameters(jsonOf(text));
  } catch (e) {
    throw new NeuralStyleError(`The picture's neural-style parameters are not usable: ${(e as Error).message}`, 'EPARAMETERS');
  }
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw fail('they are not JSON.');
  }
}

function checkedParameters(raw: unknown): ResultParameters {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail('they are not an object.');
  const { software, content, styles, backend, steps, ...rest } = raw as Record<string, unknown>;
  if (software !== 'neural-style') throw fail(`"software" is ${JSON.stringify(software)?.slice(0, 40)}, not "neural-style".`);
  if (!Array.isArray(styles) || styles.length === 0) throw fail('"styles" is not a list of file names.');
  checkStyleCount(styles.length);
  if (typeof backend !== 'string' || backend.length > 200) throw fail('"backend" is not a name.');
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0) throw fail(`"steps" is not a count (${JSON.stringify(steps)?.slice(0, 40)}).`);
  // Pictures from older versions may carry fields that are no options (e.g. "seconds"): only options drive a run.
  const given = Object.fromEntries(Object.entries(rest).filter(([key]) => Object.hasOwn(OPTION_SPECS, key)));
  const options = validateOptions(given as Partial<StylizeOptions>);
  return { content: fileName(content, '"content"'), styles: styles.map((s, i) => fileName(s, `style ${i + 1}`)), backend, steps, options };
}
