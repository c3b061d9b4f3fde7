/**
 * The schema kit both protocols are written in (engine ↔ host, host ↔ webview):
 * a schema is a value, and a message's type is derived from it (`Infer`), so a
 * field is written once. One rule everywhere: an object has exactly its
 * fields, and only own properties count (`constructor`, `__proto__` and
 * `toString` are never present by inheritance). No Node, no DOM.
 */
import { quote } from './core/text';

/** How a message quotes a value: JSON, printable, at most 100 characters. */
export { quote };
const QUOTED = 100;

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export interface Schema<T> {
  /** What a valid value is, in words, for error messages. */
  readonly expected: string;
  /** Throws a FieldError naming `path` when `value` does not fit. */
  check(value: unknown, path: string): void;
  /** Carries T for `Infer`; never set. */
  readonly inferred?: T;
}
export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}
export type Infer<S> = S extends Schema<infer T> ? T : never;
/** A compile-time check that two types are one shape: `type _ = Assert<Same<A, B>>`. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Assert<T extends true> = T;

type Fields = Record<string, Schema<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type OptionalKeys<F> = { [K in keyof F]: F[K] extends { optional: true } ? K : never }[keyof F];
export type InferFields<F extends Fields> = Simplify<
  { [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Infer<F[K]> }>;
export interface ObjectSchema<F extends Fields> extends Schema<InferFields<F>> {
  readonly fields: F;
}

/** A mismatch at `path`; the parser that started the check adds where the value came from. */
class FieldError extends Error {
  constructor(readonly path: string, readonly problem: 'missing' | 'bad' | 'unexpected', readonly value: unknown,
    readonly expected = '') {
    super(`${problem} field ${path}`);
  }
}

const mismatch = (path: string, value: unknown, expected: string) =>
  new FieldError(path, value === undefined ? 'missing' : 'bad', value, expected);

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function leaf<T>(expected: string, test: (v: unknown) => boolean): Schema<T> {
  return {
    expected,
    check(value, path) {
      if (!test(value)) throw mismatch(path, value, expected);
    },
  };
}

export const string = leaf<string>('a string', (v) => typeof v === 'string');
export const number = leaf<number>('a finite number', (v) => typeof v === 'number' && Number.isFinite(v));
export const boolean = leaf<boolean>('true or false', (v) => typeof v === 'boolean');

export function oneOf<const T extends readonly string[]>(values: T): Schema<T[number]> {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return leaf(expected, (v) => typeof v === 'string' && values.includes(v));
}

export function optional<T>(schema: Schema<T>): OptionalSchema<T> {
  return {
    expected: `${schema.expected} or nothing`,
    optional: true,
    check: (value, path) => value === undefined || schema.check(value, path),
  };
}

/** `schema`'s value, or null (an entry of a list that says "none here"). */
export function nullable<T>(schema: Schema<T>): Schema<T | null> {
  const expected = `${schema.expected} or null`;
  return {
    expected,
    check(value, path) {
      if (value === null) return;
      try {
        schema.check(value, path);
      } catch (e) {
        // A value that is wrong as a whole was expected to be null too; a field inside it keeps its own words.
        throw e instanceof FieldError && e.path === path && e.problem === 'bad' ? mismatch(path, value, expected) : e;
      }
    },
  };
}

/** A list of `item`s, `minLength` to `maxLength` long. */
export function array<T>(item: Schema<T>, minLength = 0, maxLength = Number.POSITIVE_INFINITY): Schema<T[]> {
  const bounds = [minLength ? `at least ${minLength}` : '', Number.isFinite(maxLength) ? `at most ${maxLength}` : '']
    .filter(Boolean).join(' and ');
  const expected = `a list${bounds ? ` of ${bounds}` : ''} (each ${item.expected})`;
  return {
    expected,
    check(value, path) {
      if (!Array.isArray(value) || value.length < minLength || value.length > maxLength) {
        throw mismatch(path, value, expected);
      }
      value.forEach((v, i) => item.check(v, `${path}[${i}]`));
    },
  };
}

export function tuple<const T extends unknown[]>(...items: { [K in keyof T]: Schema<T[K]> }): Schema<T> {
  const expected = `a list of ${items.length}: ${items.map((s) => s.expected).join('; ')}`;
  return {
    expected,
    check(value, path) {
      if (!Array.isArray(value) || value.length !== items.length) throw mismatch(path, value, expected);
      items.forEach((s, i) => s.check(value[i], `${path}[${i}]`));
    },
  };
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

/** Exactly these fields: a missing required field and any unknown one are errors. */
export function object<F extends Fields>(fields: F): ObjectSchema<F> {
  return {
    expected: 'an object',
    fields,
    check(value, path) {
      if (!isRecord(value)) throw mismatch(path, value, 'an object');
      for (const name of Object.keys(value)) {
        if (!Object.hasOwn(fields, name)) throw new FieldError(join(path, name), 'unexpected', value[name]);
      }
      for (const [name, schema] of Object.entries(fields)) {
        schema.check(Object.hasOwn(value, name) ? value[name] : undefined, join(path, name));
      }
    },
  };
}

/** An object with some of `names` as fields; their values are for the receiver to check (e.g. validateOptions). */
export function someOf<T extends object>(names: readonly (keyof T & string)[]): Schema<Partial<T>> {
  const free: Schema<unknown> = { expected: 'anything', check: () => undefined };
  return object(Object.fromEntries(names.map((name) => [name, optional(free)]))) as Schema<Partial<T>>;
}

function sentence(e: FieldError, context: string): string {
  if (!e.path) return `Not ${context}: expected ${e.expected}, got ${quote(e.value, QUOTED)}.`;
  const field = `field "${e.path}" in ${context}`;
  switch (e.problem) {
    case 'missing': return `Missing ${field}: expected ${e.expected}.`;
    case 'unexpected': return `Unexpected ${field}: ${quote(e.value, QUOTED)}.`;
    case 'bad': return `Bad ${field}: expected ${e.expected}, got ${quote(e.value, QUOTED)}.`;
  }
}

/**
 * Checks `value` against `schema`; the error says where the value came from (`context`), which field and what it was.
 */
export function parse<T>(schema: Schema<T>, value: unknown, context: string): T {
  try {
    schema.check(value, '');
  } catch (e) {
    throw e instanceof FieldError ? new ProtocolError(sentence(e, context)) : e;
  }
  return value as T;
}

export type MessageSchemas = Record<string, Fields>;
/** The messages of `M` keyed by `type`; `Message<M, 'x'>` is the one of type x. */
export type Message<M extends MessageSchemas, K extends keyof M = keyof M> = {
  [P in K & string]: Simplify<{ type: P } & InferFields<M[P]>>;
}[K & string];

/** A parser for one direction of a protocol, e.g. messageParser('to the engine', { start: {…}, cancel: {…} }). */
export function messageParser<M extends MessageSchemas>(
  direction: string, messages: M,
): (value: unknown) => Message<M> {
  const schemas = new Map(Object.entries(messages)
    .map(([type, fields]) => [type, object({ ...fields, type: string })]));
  return (value) => {
    const type = isRecord(value) && Object.hasOwn(value, 'type') ? value.type : undefined;
    const schema = typeof type === 'string' && Object.hasOwn(messages, type) ? schemas.get(type) : undefined;
    if (!schema) throw new ProtocolError(`Not a message ${direction}: ${quote(value, QUOTED)}.`);
    return parse(schema, value, `message "${type}" ${direction}`) as Message<M>;
  };
}
