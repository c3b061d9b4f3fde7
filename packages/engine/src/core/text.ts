/*
 * Outside text (a path, a value, a message's field) as the engine's messages
 * echo it: escaped where a terminal would obey it, and cut to a sane length.
 * One home for both the options' checks and the protocols' (schema.ts).
 */

/**
 * Control characters (C0, DEL, C1) and the bidirectional overrides: a
 * terminal obeys them, so an ANSI escape in a file name would recolour or
 * rewrite the screen, and a newline would forge a line of its own.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` with each control character written as an escape (`\n`, `\u001b`): what a message may echo of outside text.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A user's text (a path, a value) as an error message shows it: printable, whole up to `max` characters, else its
 * head and tail.
 */
export function shown(raw: string, max = 200): string {
  const text = printable(raw);
  if (text.length <= max) return text;
  const half = Math.floor((max - 1) / 2);
  return `${text.slice(0, half)}…${text.slice(text.length - half)}`;
}

/**
 * A value as JSON for an error message, shown (printable, at most `max` characters: a 1 MB path is not echoed whole).
 */
export function quote(value: unknown, max = 120): string {
  let text: string | undefined;
  try {
    // JSON says null for NaN and Infinity: say what they are.
    text = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  } catch {
    // A cycle or a BigInt: said below.
  }
  text ??= value === undefined ? 'undefined' : Object.prototype.toString.call(value);
  return shown(text, max);
}
