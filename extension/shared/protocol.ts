/*
 * The one protocol between the extension host and a job's webview panel, on
 * the engine's schema kit: each message is a schema keyed on `type`, a union
 * per direction, and the types are derived from the schemas. Both sides
 * validate what they receive (`parseFromWebview`, `parseToWebview`).
 * Plain TypeScript: imported by the host (Node) and the webview (browser).
 */
import { progressReport, ProgressReport } from '@neural-style/engine/protocol';
import {
  array, Infer, Message, messageParser, MessageSchemas, number, object, oneOf, optional, parse, string, tuple,
} from '@neural-style/engine/schema';

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
/** A job as its panel shows it: the queue's states, and "interrupted" for one a reload cut short. */
export type JobStatus = (typeof JOB_STATUSES)[number];
const jobStatus = oneOf(JOB_STATUSES);

/** What the panel shows about its job; also the core of its saved state. */
const jobView = object({
  id: string,
  contentName: string,
  styleName: string,
  /** webview URIs of the images (asWebviewUri), filled in by the panel. */
  contentSrc: string,
  styleSrc: string,
  /** Absolute paths, for the host after a reload. */
  contentPath: string,
  stylePath: string,
  /** Empty until the job starts and its settings are read. */
  outputPath: string,
  size: optional(number),
  iterations: optional(number),
  status: jobStatus,
  /** 1 = next after the running job. */
  position: optional(number),
});
export type JobView = Infer<typeof jobView>;

/** The engine's progress report, as the panel keeps it. */
export type ProgressView = ProgressReport;

const doneView = object({ outputSrc: string, outputName: string, elapsedMs: number, steps: number, backend: string });
export type DoneView = Infer<typeof doneView>;

/** What the webview keeps with setState, and the serializer gets back after a reload. */
const panelState = object({
  job: jobView,
  progress: optional(progressReport),
  /** Loss terms per step, for the chart: [step, content, style, tv]. */
  losses: array(tuple(number, number, number, number)),
  preview: optional(string),
  done: optional(doneView),
  error: optional(string),
});
export type PanelState = Infer<typeof panelState>;

const TO_WEBVIEW = {
  /** Everything the panel shows: sent when the webview (re)loads. */
  snapshot: { state: panelState },
  status: { status: jobStatus, position: optional(number), message: optional(string) },
  progress: { progress: progressReport },
  preview: { step: number, src: string },
  done: { done: doneView },
  failed: { message: string },
} satisfies MessageSchemas;

const FROM_WEBVIEW = {
  ready: {}, cancel: {}, open: {}, reveal: {}, showLog: {},
} satisfies MessageSchemas;

/** A message from the host to a panel; `ToWebview<'done'>` is the done message. */
export type ToWebview<K extends keyof typeof TO_WEBVIEW = keyof typeof TO_WEBVIEW> = Message<typeof TO_WEBVIEW, K>;
/** A message from a panel to the host. */
export type FromWebview<K extends keyof typeof FROM_WEBVIEW = keyof typeof FROM_WEBVIEW> = Message<typeof FROM_WEBVIEW, K>;

/** Validates a message the webview received from the host (throws a ProtocolError naming the field). */
export const parseToWebview = messageParser('to the webview', TO_WEBVIEW);
/** Validates a message the host received from a webview. */
export const parseFromWebview = messageParser('from the webview', FROM_WEBVIEW);

/** Validates a saved panel state (it comes back from disk after a reload): undefined when it is not one. */
export function parsePanelState(value: unknown, onInvalid?: (why: string) => void): PanelState | undefined {
  try {
    return parse(panelState, value, 'a saved panel state');
  } catch (e) {
    onInvalid?.((e as Error).message);
    return undefined;
  }
}
