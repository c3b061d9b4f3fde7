import {
  DEFAULTS, MAX_STYLES, OPTION_SPECS, OptionSpec, RUN_DEFAULTS, RUN_OPTION_SPECS, RunOptions, StylizeOptions,
  VGG_LAYERS,
} from './options';

import { NeuralStyleError } from './errors';
import { quote, shown } from './text';

/**
 * Plain decimal notation only ("64", "-5", "0.5", "1e4"): Number() would also read "0x40", "0b1", "Infinity" and " ".
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A number given as text (a flag) or as a number (a message, a setting); NaN when it is neither. */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim());
  return Number.NaN;
}

function describeRange(spec: OptionSpec & { type: 'number' }): string {
  const low = spec.exclusiveMin ? `greater than ${spec.min}` : `at least ${spec.min}`;
  return `${spec.integer ? 'an integer' : 'a number'} ${low} and at most ${spec.max}`;
}

/** Checks one value against its spec; returns the value (normalised) or throws naming it. */
export function checkOption(name: string, spec: OptionSpec, value: unknown): unknown {
  const bad = (what: string) => new NeuralStyleError(`Invalid ${name} ${quote(value)}. ${what}`);
  switch (spec.type) {
    case 'number': {
      const n = numberOf(value);
      if (!Number.isFinite(n) || (spec.integer && !Number.isInteger(n))
        || n < spec.min || n > spec.max || (spec.exclusiveMin && n === spec.min)) {
        throw bad(`Use ${describeRange(spec)}.`);
      }
      return n;
    }
    case 'boolean':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw bad('Use true or false.');
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        throw bad(`Use one of: ${spec.values.join(', ')}.`);
      }
      return value;
    case 'layers': {
      const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
      if (!Array.isArray(list) || list.length === 0 || list.length > spec.maxItems
        || !list.every((l) => typeof l === 'string' && (VGG_LAYERS as readonly string[]).includes(l))) {
        throw bad(`Use a non-empty list of at most ${spec.maxItems} of: ${VGG_LAYERS.join(', ')}.`);
      }
      return [...list];
    }
    case 'numbers': {
      const list = typeof value === 'string'
        ? value.split(',').map((s) => s.trim()).filter(Boolean).map(numberOf) : value;
      if (!Array.isArray(list) || list.length > spec.maxItems
        || !list.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= spec.min)) {
        throw bad(`Use a list of at most ${spec.maxItems} numbers, each at least ${spec.min}.`);
      }
      // Relative weights are normalised by their sum: a sum that overflows would make every weight 0.
      if (!Number.isFinite(list.reduce((a: number, b: number) => a + b, 0))) {
        throw bad('Their sum overflows: use smaller numbers (only their ratios matter).');
      }
      return [...list];
    }
  }
}

function merge<T extends object>(specs: Record<string, OptionSpec>, defaults: Readonly<T>, given: object): T {
  const out = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    // Own properties only: "constructor" or "__proto__" are no options.
    const spec = Object.hasOwn(specs, key) ? specs[key] : undefined;
    if (!spec) {
      const known = Object.keys(specs).join(', ');
      throw new NeuralStyleError(`Unknown option ${quote(shown(key, 60))}. Known options: ${known}.`);
    }
    out[key] = checkOption(key, spec, value);
  }
  return out as T;
}

/** Merges the given options over the defaults and checks every value and their coherence. */
export function validateOptions(given: Partial<StylizeOptions> = {}): StylizeOptions {
  const o = merge<StylizeOptions>(OPTION_SPECS, DEFAULTS, given);
  if (o.styleLayerWeights.length !== o.styleLayers.length) {
    // The default weights (all 1) stretch to any number of layers, also when given explicitly
    // (VS Code settings always hand over the default).
    const allOnes = o.styleLayerWeights.every((w) => w === 1);
    if (!allOnes) {
      throw new NeuralStyleError(`Invalid styleLayerWeights: ${o.styleLayerWeights.length} weights for `
        + `${o.styleLayers.length} style layers (${o.styleLayers.join(', ')}). Give one weight per layer.`);
    }
    o.styleLayerWeights = o.styleLayers.map(() => 1);
  }
  if (o.styleLayerWeights.reduce((a, b) => a + b, 0) <= 0) {
    throw new NeuralStyleError('Invalid styleLayerWeights: at least one must be greater than 0.');
  }
  return o;
}

export function validateRunOptions(given: Partial<RunOptions> = {}): RunOptions {
  return merge<RunOptions>(RUN_OPTION_SPECS, RUN_DEFAULTS, given);
}

/** Refuses a run of no style image, or of more than MAX_STYLES. */
export function checkStyleCount(count: number): void {
  if (count < 1) throw new NeuralStyleError('At least one style image is needed.');
  if (count > MAX_STYLES) {
    throw new NeuralStyleError(`Too many style images: ${count}. Give at most ${MAX_STYLES} `
      + '(each is decoded and kept as Gram targets).');
  }
}

/** The blend weight of each of `count` style images, normalised to sum to 1. */
export function styleBlend(options: StylizeOptions, count: number): number[] {
  checkStyleCount(count);
  const given = options.styleBlendWeights;
  if (given.length === 0) return Array.from({ length: count }, () => 1 / count);
  if (given.length !== count) {
    throw new NeuralStyleError(`Invalid styleBlendWeights: ${given.length} weights for ${count} style images. `
      + 'Give one per style image.');
  }
  const sum = given.reduce((a, b) => a + b, 0);
  if (!Number.isFinite(sum)) {
    throw new NeuralStyleError('Invalid styleBlendWeights: their sum overflows. '
      + 'Use smaller numbers (only their ratios matter).');
  }
  if (sum <= 0) throw new NeuralStyleError('Invalid styleBlendWeights: at least one must be greater than 0.');
  return given.map((w) => w / sum);
}
