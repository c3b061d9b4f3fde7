/**
 * A stand-in for a job's panel (JobPanel) for the tests without VS Code: its
 * page answers each compute message as the test says, through the record's
 * listeners, as handlePanelMessage would pass the webview's answers on.
 */
import type { FromCompute, PanelState, ToCompute, ToWebview } from '../../../extension/shared/protocol';
import { JobRecord } from '../../../extension/src/jobRecord';
import type { JobPanel } from '../../../extension/src/panel';

export type PageReply = (message: ToCompute, send: (answer: FromCompute | { type: 'ready' }) => void) => void;

export const panelState = (id = 'j'): PanelState => ({
  job: { id, contentName: 'c.png', styleName: 's', contentSrc: '', styleSrc: '', contentPath: '/c.png',
    stylePath: '/s.png', outputPath: '', status: 'queued' },
  losses: [],
});

export interface FakePanels {
  /** Panels opened (the record's own opener) and brought to the front, and what was posted to them. */
  opened: number;
  revealed: number;
  posted: Array<ToWebview | ToCompute>;
  /** Closes the open panel, as the user would. */
  close(): void;
}

/**
 * A record whose panels answer as `reply` says; `open`: whether it starts
 * with its panel open; `opens`: whether opening one works.
 */
export function recordWithPanels(reply: PageReply, { open = true, opens = true, state = panelState() } = {})
  : { record: JobRecord; panels: FakePanels } {
  const closers = new Set<() => void>();
  const panels: FakePanels = { opened: 0, revealed: 0, posted: [], close: () => closers.forEach((c) => c()) };
  const makePanel = (record: JobRecord, disposed: boolean): JobPanel => {
    const listeners = new Set<() => void>();
    closers.add(() => {
      if (panel.isDisposed) return;
      panel.isDisposed = true;
      listeners.forEach((l) => l());
    });
    const panel = {
      isDisposed: disposed,
      post: (m: ToWebview) => panels.posted.push(m),
      postCompute: (m: ToCompute) => {
        panels.posted.push(m);
        reply(m, (answer) => setImmediate(() => record.computeListeners.forEach((l) => l(answer))));
      },
      reveal: () => { panels.revealed++; },
      onDidDispose: (listener: () => void) => {
        listeners.add(listener);
        return { dispose: () => listeners.delete(listener) };
      },
      webviewUri: (file: string) => `https://webview/${file}`,
      allowFolder: () => Promise.resolve(),
    };
    return panel as unknown as JobPanel;
  };
  const record = new JobRecord(state, (r) => {
    panels.opened++;
    return makePanel(r, !opens);
  });
  if (open) record.panel = makePanel(record, false);
  return { record, panels };
}

/** A page whose GPUs are `adapters`; it answers nothing else. */
export const answersProbe = (adapters: Omit<FromCompute & { type: 'adapters' }, 'type'>): PageReply => (m, send) => {
  if (m.type === 'probe') send({ type: 'adapters', ...adapters });
};
