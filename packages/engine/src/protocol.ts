/*
 * The one message protocol between a host (the VS Code extension, a test) and
 * the engine process (worker.ts), over Node's IPC channel. Plain data only;
 * every message is validated on arrival, in both directions.
 */
import type { LossTerms } from './core/stylize';
import type { BackendChoice, StylizeOptions } from './core/options';

export const PROTOCOL_VERSION = 1;

export interface JobSpec {
  content: string;
  styles: string[];
  output: string;
  options?: Partial<StylizeOptions>;
  maxInputPixels?: number;
}

// ── host → engine ──────────────────────────────────────────────────────────
export interface StartMessage { type: 'start'; id: string; job: JobSpec; backend?: BackendChoice; weights?: string }
export interface CancelMessage { type: 'cancel'; id: string }
export interface ShutdownMessage { type: 'shutdown' }
export type HostMessage = StartMessage | CancelMessage | ShutdownMessage;

// ── engine → host ──────────────────────────────────────────────────────────
export interface ReadyMessage { type: 'ready'; version: number; pid: number }
export interface LogMessage { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; id?: string }
export interface ProgressMessage {
  type: 'progress'; id: string; scale: number; scales: number; width: number; height: number;
  iteration: number; iterations: number; step: number; totalSteps: number;
  losses: LossTerms; elapsedMs: number; etaMs: number; backend: string;
}
/** A small preview, PNG, base64. */
export interface PreviewMessage { type: 'preview'; id: string; step: number; width: number; height: number; png: string }
export interface DoneMessage { type: 'done'; id: string; output: string; steps: number; elapsedMs: number; losses: LossTerms; backend: string }
export interface ErrorMessage { type: 'error'; id?: string; message: string; code: string }
export interface CancelledMessage { type: 'cancelled'; id: string }
export type EngineMessage = ReadyMessage | LogMessage | ProgressMessage | PreviewMessage | DoneMessage | ErrorMessage | CancelledMessage;

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const optStr: Check = (v) => v === undefined || typeof v === 'string';
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const losses: Check = (v) => obj(v) && ['content', 'style', 'tv', 'total'].every((k) => typeof v[k] === 'number');
const strings: Check = (v) => Array.isArray(v) && v.length > 0 && v.every(str);
const job: Check = (v) => obj(v) && str(v.content) && strings(v.styles) && str(v.output)
  && (v.options === undefined || obj(v.options)) && (v.maxInputPixels === undefined || num(v.maxInputPixels));

const HOST_SCHEMA: Record<HostMessage['type'], Record<string, Check>> = {
  start: { id: str, job, backend: optStr, weights: optStr },
  cancel: { id: str },
  shutdown: {},
};

const ENGINE_SCHEMA: Record<EngineMessage['type'], Record<string, Check>> = {
  ready: { version: num, pid: num },
  log: { level: (v) => v === 'info' || v === 'warn' || v === 'error', message: str, id: optStr },
  progress: {
    id: str, scale: num, scales: num, width: num, height: num, iteration: num, iterations: num, step: num,
    totalSteps: num, losses, elapsedMs: num, etaMs: num, backend: str,
  },
  preview: { id: str, step: num, width: num, height: num, png: str },
  done: { id: str, output: str, steps: num, elapsedMs: num, losses, backend: str },
  error: { id: optStr, message: str, code: str },
  cancelled: { id: str },
};

function parse<T extends { type: string }>(schemas: Record<string, Record<string, Check>>, value: unknown, side: string): T {
  if (!obj(value) || typeof value.type !== 'string' || !Object.hasOwn(schemas, value.type)) {
    throw new ProtocolError(`Not a ${side} message: ${JSON.stringify(value)?.slice(0, 200)}`);
  }
  for (const [field, check] of Object.entries(schemas[value.type])) {
    if (!check(value[field])) throw new ProtocolError(`Bad field "${field}" in ${side} message "${value.type}".`);
  }
  return value as unknown as T;
}

/** Validates a message sent to the engine process. */
export function parseHostMessage(value: unknown): HostMessage {
  return parse<HostMessage>(HOST_SCHEMA, value, 'host');
}

/** Validates a message sent by the engine process. */
export function parseEngineMessage(value: unknown): EngineMessage {
  return parse<EngineMessage>(ENGINE_SCHEMA, value, 'engine');
}
