/*
 * The one protocol between the extension host and a job's webview panel.
 * One interface per message, keyed on `type`; a union per direction. Both
 * sides validate what they receive (`parseWebviewMessage`, `parseHostMessage`).
 * Plain TypeScript: imported by the host (Node) and the webview (browser).
 */

import type { LossTerms } from '@neural-style/engine/dist/core/stylize';
import type { ProgressMessage as EngineProgress } from '@neural-style/engine/dist/protocol';

export type { LossTerms };

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/** What the panel shows about its job; also the core of its saved state. */
export interface JobView {
  id: string;
  contentName: string;
  styleName: string;
  /** webview URIs of the images (asWebviewUri). */
  contentSrc: string;
  styleSrc: string;
  /** Absolute paths, for the host after a reload. */
  contentPath: string;
  stylePath: string;
  outputPath: string;
  size: number;
  iterations: number;
  status: JobStatus;
  /** 1 = next after the running job. */
  position?: number;
}

/** The engine's progress report, as the panel keeps it. */
export type ProgressView = Omit<EngineProgress, 'type' | 'id'>;

export interface DoneView { outputSrc: string; outputName: string; elapsedMs: number; steps: number; backend: string }

// ── host → webview ─────────────────────────────────────────────────────────
/** Everything the panel shows: sent when the webview (re)loads. */
export interface SnapshotMessage { type: 'snapshot'; state: PanelState }
export interface StatusMessage { type: 'status'; status: JobStatus; position?: number; message?: string }
export interface ProgressMessage { type: 'progress'; progress: ProgressView }
export interface PreviewMessage { type: 'preview'; step: number; src: string }
export interface DoneMessage { type: 'done'; done: DoneView }
export interface FailedMessage { type: 'failed'; message: string }
export type ToWebview = SnapshotMessage | StatusMessage | ProgressMessage | PreviewMessage | DoneMessage | FailedMessage;

// ── webview → host ─────────────────────────────────────────────────────────
export interface ReadyMessage { type: 'ready' }
export interface CancelMessage { type: 'cancel' }
export interface OpenMessage { type: 'open' }
export interface RevealMessage { type: 'reveal' }
export interface ShowLogMessage { type: 'showLog' }
export type FromWebview = ReadyMessage | CancelMessage | OpenMessage | RevealMessage | ShowLogMessage;

/** What the webview keeps with setState, and the serializer gets back after a reload. */
export interface PanelState {
  job: JobView;
  progress?: ProgressView;
  /** Loss terms per step, for the chart. */
  losses: Array<[number, number, number, number]>;
  preview?: string;
  done?: DoneView;
  error?: string;
}

export class WebviewProtocolError extends Error {}

type Check = (v: unknown) => boolean;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = (v) => typeof v === 'string';
const optStr: Check = (v) => v === undefined || typeof v === 'string';
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const optNum: Check = (v) => v === undefined || num(v);
const STATUSES: readonly JobStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'];
const status: Check = (v) => typeof v === 'string' && (STATUSES as readonly string[]).includes(v);
const shape = (fields: Record<string, Check>): Check => (v) => isObj(v) && Object.entries(fields).every(([k, c]) => c(v[k]));
const losses = shape({ content: num, style: num, tv: num, total: num });
const jobView = shape({
  id: str, contentName: str, styleName: str, contentSrc: str, styleSrc: str, contentPath: str, stylePath: str,
  outputPath: str, size: num, iterations: num, status, position: optNum,
});
const progressView = shape({
  step: num, totalSteps: num, scale: num, scales: num, iteration: num, iterations: num, width: num, height: num,
  losses, elapsedMs: num, etaMs: num, backend: str,
});
const doneView = shape({ outputSrc: str, outputName: str, elapsedMs: num, steps: num, backend: str });

const TO_WEBVIEW: Record<ToWebview['type'], Record<string, Check>> = {
  snapshot: { state: (v) => parsePanelState(v) !== undefined },
  status: { status, position: optNum, message: optStr },
  progress: { progress: progressView },
  preview: { step: num, src: str },
  done: { done: doneView },
  failed: { message: str },
};

const FROM_WEBVIEW: Record<FromWebview['type'], Record<string, Check>> = {
  ready: {}, cancel: {}, open: {}, reveal: {}, showLog: {},
};

function parse<T>(schemas: Record<string, Record<string, Check>>, value: unknown, side: string): T {
  if (!isObj(value) || typeof value.type !== 'string' || !Object.hasOwn(schemas, value.type)) {
    throw new WebviewProtocolError(`Not a ${side} message: ${JSON.stringify(value)?.slice(0, 120)}`);
  }
  const schema = schemas[value.type];
  for (const [field, check] of Object.entries(schema)) {
    if (!check(value[field])) throw new WebviewProtocolError(`Bad field "${field}" in ${side} message "${value.type}".`);
  }
  for (const field of Object.keys(value)) {
    if (field !== 'type' && !Object.hasOwn(schema, field)) throw new WebviewProtocolError(`Unexpected field "${field}" in ${side} message "${value.type}".`);
  }
  return value as T;
}

/** Validates a message the host received from a webview. */
export function parseWebviewMessage(value: unknown): FromWebview {
  return parse<FromWebview>(FROM_WEBVIEW, value, 'webview');
}

/** Validates a message the webview received from the host. */
export function parseHostMessage(value: unknown): ToWebview {
  return parse<ToWebview>(TO_WEBVIEW, value, 'host');
}

const lossRow: Check = (v) => Array.isArray(v) && v.length === 4 && v.every(num);

/** Validates a saved panel state (it comes back from disk after a reload). */
export function parsePanelState(value: unknown): PanelState | undefined {
  if (!isObj(value) || !jobView(value.job) || !Array.isArray(value.losses) || !value.losses.every(lossRow)) return undefined;
  if (value.progress !== undefined && !progressView(value.progress)) return undefined;
  if (value.done !== undefined && !doneView(value.done)) return undefined;
  if (!optStr(value.preview) || !optStr(value.error)) return undefined;
  return value as unknown as PanelState;
}
