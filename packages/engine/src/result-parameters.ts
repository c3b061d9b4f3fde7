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
import type { LossTerms } from './core/progress';
import { checkStyleCount, validateOptions } from './core/validate';

/** The PNG text chunk's keyword. */
export const PARAMETERS_KEYWORD = 'neural-style';

export interface ResultParameters {
  /** The content image's file name; absent in a texture. */
  content?: string;
  /** A texture's size as asked for (it has no photo). */
  texture?: { width: number; height: number };
  /** The style images' file names. */
  styles: string[];
  /** The region masks' file names, one per style (core/regions.ts); absent without regions. */
  masks?: string[];
  /** Per style, its painting's mask's file name, or null (core/style-masks.ts); absent without style masks. */
  styleMasks?: (string | null)[];
  backend: string;
  steps: number;
  options: StylizeOptions;
  /** The loss trace, thinned (lossTrace); absent in pictures made before it was kept, or by a run that kept none. */
  losses?: LossPoint[];
  /** A clip's frame (core/clip.ts): which (1-based) of how many, and the temporal loss's weight. */
  clip?: ClipFrame;
}

export interface ClipFrame { frame: number; frames: number; temporalWeight: number }

/** One point of the loss trace, as the panel's chart draws it: [step, content, style, tv, total]. */
export type LossPoint = [number, number, number, number, number];

/** The trace's point of a progress report that ends an iteration. */
export function lossPointOf(p: { step: number; losses: LossTerms }): LossPoint {
  return [p.step, p.losses.content, p.losses.style, p.losses.tv, p.losses.total];
}

/** At most this many points of the trace go into a picture (about 3 KB): enough for the chart's shape. */
export const MAX_TRACE_POINTS = 64;

/**
 * `points` thinned to at most `max`, evenly by index with the first and last
 * kept, each value to 4 significant digits (the chart draws a curve, not a
 * table). Points with a value that is not finite are left out: JSON cannot
 * say them, and a diverged step must not keep the picture from being written.
 */
export function lossTrace(points: readonly LossPoint[], max = MAX_TRACE_POINTS): LossPoint[] {
  const finite = points.filter((point) => point.every(Number.isFinite));
  const picked = finite.length <= max ? finite
    : Array.from({ length: max }, (_, i) => finite[Math.round((i * (finite.length - 1)) / (max - 1))]);
  return picked.map(([step, ...terms]) => [step, ...terms.map((v) => Number(v.toPrecision(4)))] as LossPoint);
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
  styles: readonly string[]; masks?: readonly string[]; styleMasks?: readonly (string | null)[]; backend: string;
  steps: number; options: StylizeOptions;
  losses?: readonly LossPoint[]; clip?: ClipFrame;
} & ({ content: string } | { texture: { width: number; height: number } })): string {
  const losses = lossTrace(p.losses ?? []);
  const made = 'content' in p ? { content: fileNameOf(p.content) } : { texture: [p.texture.width, p.texture.height] };
  const text = JSON.stringify({
    software: 'neural-style', ...made, styles: p.styles.map(fileNameOf),
    ...(p.masks ? { masks: p.masks.map(fileNameOf) } : {}),
    ...(p.styleMasks ? { styleMasks: p.styleMasks.map((m) => m && fileNameOf(m)) } : {}),
    backend: p.backend, ...p.options,
    steps: p.steps, ...(losses.length ? { losses } : {}), ...(p.clip ? { clip: p.clip } : {}),
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
  const { software, content, texture, styles, masks, styleMasks, backend, steps, losses, clip, ...rest } =
    raw as Record<string, unknown>;
  if (software !== 'neural-style') throw fail(`"software" is ${JSON.stringify(software)?.slice(0, 40)}, not "neural-style".`);
  if (!Array.isArray(styles) || styles.length === 0) throw fail('"styles" is not a list of file names.');
  checkStyleCount(styles.length);
  if (typeof backend !== 'string' || backend.length > 200) throw fail('"backend" is not a name.');
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0) throw fail(`"steps" is not a count (${JSON.stringify(steps)?.slice(0, 40)}).`);
  // Pictures from older versions may carry fields that are no options (e.g. "seconds"): only options drive a run.
  const given = Object.fromEntries(Object.entries(rest).filter(([key]) => Object.hasOwn(OPTION_SPECS, key)));
  const options = validateOptions(given as Partial<StylizeOptions>);
  const trace = losses === undefined ? {} : { losses: checkedTrace(losses, steps) };
  return {
    ...madeFrom(content, texture), styles: styles.map((s, i) => fileName(s, `style ${i + 1}`)),
    ...regionsOf(masks, styles.length), ...styleMasksOf(styleMasks, styles.length), backend, steps, options, ...trace,
    ...clipFrameOf(clip),
  };
}

/** A clip's frame says which of how many it is, and the temporal weight it was held to its last by. */
function clipFrameOf(clip: unknown): Pick<ResultParameters, 'clip'> {
  if (clip === undefined) return {};
  const { frame, frames, temporalWeight } = (typeof clip === 'object' && clip !== null ? clip : {}) as
    Record<string, unknown>;
  const count = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  if (!count(frame) || !count(frames) || frame > frames || typeof temporalWeight !== 'number'
    || !Number.isFinite(temporalWeight) || temporalWeight < 0) {
    throw fail('"clip" is not { frame, frames, temporalWeight } of a clip.');
  }
  return { clip: { frame, frames, temporalWeight } };
}

/** A picture painted in regions names one mask file per style. */
function regionsOf(masks: unknown, styles: number): Pick<ResultParameters, 'masks'> {
  if (masks === undefined) return {};
  if (!Array.isArray(masks) || masks.length !== styles) throw fail('"masks" is not a list of one file name a style.');
  return { masks: masks.map((m, i) => fileName(m, `mask ${i + 1}`)) };
}

/** A picture whose styles were taken from parts of their paintings names one mask file (or null) per style. */
function styleMasksOf(masks: unknown, styles: number): Pick<ResultParameters, 'styleMasks'> {
  if (masks === undefined) return {};
  if (!Array.isArray(masks) || masks.length !== styles) {
    throw fail('"styleMasks" is not a list of one file name (or null) a style.');
  }
  return { styleMasks: masks.map((m, i) => (m === null ? null : fileName(m, `style mask ${i + 1}`))) };
}

/** A picture of a photo names its file; a texture says its size, [width, height], and names no photo. */
function madeFrom(content: unknown, texture: unknown): Pick<ResultParameters, 'content' | 'texture'> {
  if (texture === undefined) return { content: fileName(content, '"content"') };
  const [width, height] = Array.isArray(texture) ? texture : [];
  const side = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
  if (!Array.isArray(texture) || texture.length !== 2 || !side(width) || !side(height)) {
    throw fail('"texture" is not [width, height] in pixels.');
  }
  if (content !== undefined) throw fail('a texture names no "content".');
  return { texture: { width, height } };
}

/** The PNG text chunk with a checkpoint's loss trace up to it: a resumed run's chart and picture go on from it. */
export const CHECKPOINT_TRACE_KEYWORD = 'neural-style-trace';

/**
 * The loss trace of a checkpoint of `steps` steps from its chunk's text, checked as a picture's (no chunk: none);
 * throws saying what is wrong.
 */
export function parseCheckpointTrace(text: string | undefined, steps: number): LossPoint[] {
  if (text === undefined) return [];
  try {
    return checkedTrace(jsonOf(text), steps);
  } catch (e) {
    throw new Error(`its loss trace is not usable: ${(e as Error).message}`);
  }
}

/**
 * A trace as the writer makes it: 1 to MAX_TRACE_POINTS points of five
 * finite numbers, each loss at least 0, the steps whole, rising, and within
 * the run's `steps`. Anything else is refused, like a bad option.
 */
function checkedTrace(raw: unknown, steps: number): LossPoint[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_TRACE_POINTS) {
    throw fail(`"losses" is not a list of 1 to ${MAX_TRACE_POINTS} points.`);
  }
  let last = -1;
  return raw.map((point: unknown, i) => {
    const ok = Array.isArray(point) && point.length === 5
      && point.every((v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0);
    const step = ok ? (point as number[])[0] : NaN;
    if (!ok || !Number.isInteger(step) || step <= last || step > steps) {
      throw fail(`"losses" point ${i + 1} is not [step, content, style, tv, total] with a step after the last one.`);
    }
    last = step;
    return [...point] as LossPoint;
  });
}
