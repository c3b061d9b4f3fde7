/**
 * What the integration tests reach in a window's jobs (activate returns it,
 * extension.ts builds it): the queue, how jobs end, the log's job lines, each
 * panel's state and messages as its webview would send them.
 */
import type * as vscode from 'vscode';
import type { PanelState } from '../shared/protocol';
import { TEST_BUILD } from '../shared/testBuild';
import type { JobManager } from './jobs';
import type { JobViews } from './jobViews';
import { blankNextPages } from './panel';

/** How a job ended, flat for the tests' asserts. */
export interface JobFinish {
  id: string;
  outcome: 'done' | 'cancelled' | 'invalid' | 'error' | 'crashed';
  output?: string;
  message?: string;
  /** What ran it, as the log and the panel say: "wasm", "webgl: ANGLE (…)". */
  backend?: string;
  code?: string;
}

export interface JobsTestApi {
  readonly queue: JobManager['queue'];
  /** Fires when a job ends, however it ends. */
  onDidFinish(listener: (finish: JobFinish) => void): vscode.Disposable;
  /** The lines about where jobs run and how they went, as written to the log. */
  onDidLog: vscode.Event<string>;
  /** A job's panel state, by its current job's id. */
  stateOf(id: string): PanelState | undefined;
  /** Every job of the window with its panel state (the queue view's). */
  readonly jobStates: PanelState[];
  /** Panels open now (one per photo and style, whatever its runs). */
  panelCount(): number;
  /** A message as a panel's webview would send it, validated the same way. */
  receiveFromPanel(id: string, raw: unknown): void;
  /** A panel VS Code would restore after a reload. */
  revivePanel(panel: vscode.WebviewPanel, saved: unknown): void;
  /** Loses the GPU of the job running in `id`'s panel, as a driver reset would (a test build only). */
  loseGpu(id: string): void;
  /** The next `count` pages set in a panel after its first stay blank: their ready goes unheard (a test build only). */
  blankPages(count: number): void;
  /** The running batch's progress, as the status bar and the queue view say it. */
  readonly batchStatus: string | undefined;
  /** Resolves once the panels opened so far have the photo's results on disk in their history. */
  historyFilled(): Promise<void>;
}

export function jobsTestApi(jobs: JobManager, views: JobViews, onDidLog: vscode.Event<string>): JobsTestApi {
  const panelOf = (id: string) => {
    const panel = jobs.record(id)?.panel;
    if (!panel) throw new Error(`no panel for job ${id}`);
    return panel;
  };
  return {
    queue: jobs.queue,
    onDidFinish: (listener) => jobs.onDidChangeJob((change) => {
      if (change.kind === 'ended') listener({ id: change.id, ...change.end });
    }),
    onDidLog,
    stateOf: (id) => jobs.record(id)?.state,
    get jobStates() { return jobs.jobStates; },
    panelCount: () => jobs.allRecords.filter((record) => record.livePanel).length,
    receiveFromPanel: (id, raw) => panelOf(id).receive(raw),
    revivePanel: (panel, saved) => jobs.revivePanel(panel, saved),
    loseGpu: (id) => {
      if (TEST_BUILD) jobs.record(id)?.panel?.postCompute({ type: 'loseGpu' });
    },
    blankPages: (count) => blankNextPages(count),
    get batchStatus() { return views.batches.line; },
    historyFilled: () => jobs.historyFilled(),
  };
}
