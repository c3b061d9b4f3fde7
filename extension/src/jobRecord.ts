/**
 * A job's panel state, kept only here, its panel while one is open, how to
 * open one, and the channel a run in the panel's webview talks through.
 */
import type { FromCompute, PanelState, ToWebview } from '../shared/protocol';
import { applyMessage } from '../shared/state';
import type { JobPanel } from './panel';
import type { ComputeChannel } from './webviewRunner';

export type ComputeListener = (message: FromCompute | { type: 'ready' }) => void;

/** A job's panel as its run needs it: a GPU probe and a webview run talk to the page in it. */
export interface JobPanelPort {
  readonly channel: ComputeChannel;
  /** Opens the panel when it is closed. */
  open(): void;
}

export class JobRecord implements JobPanelPort {
  panel?: JobPanel;
  /**
   * A resumed job whose tab VS Code restored but has not revived yet (it does when the tab is shown): opening
   * another would make two tabs of one job, so open and show wait for it (resume.ts resumeInto).
   */
  awaitingTab = false;
  readonly computeListeners = new Set<ComputeListener>();
  readonly channel: ComputeChannel = computeChannelOf(this);

  /** `create`: a new panel showing this record (the job manager's, with its message handler). */
  constructor(public state: PanelState, private readonly create: (record: JobRecord) => JobPanel) {}

  post(message: ToWebview): void {
    this.state = applyMessage(this.state, message);
    if (this.livePanel) this.livePanel.post(message);
  }

  /** The panel while it is open (it may have been closed, or reopened since). */
  get livePanel(): JobPanel | undefined {
    return this.panel && !this.panel.isDisposed ? this.panel : undefined;
  }

  open(): void {
    if (!this.livePanel && !this.awaitingTab) this.panel = this.create(this);
  }

  /** Brings the panel to the front (without the focus), opening it when it is closed (not one VS Code restores). */
  show(): void {
    if (this.livePanel) this.livePanel.reveal();
    else this.open();
  }
}

/** The record's panel as a run sees it; the panel is looked up on each call (it may have been reopened). */
function computeChannelOf(record: JobRecord): ComputeChannel {
  return {
    post: (message) => record.livePanel?.postCompute(message),
    onMessage: (listener) => {
      record.computeListeners.add(listener);
      return () => record.computeListeners.delete(listener);
    },
    onClosed: (listener) => {
      const current = record.livePanel;
      if (!current) {
        queueMicrotask(listener);
        return () => undefined;
      }
      const subscription = current.onDidDispose(listener);
      return () => subscription.dispose();
    },
    webviewUri: (file) => record.livePanel?.webviewUri(file) ?? '',
    allowFolder: (dir) => record.livePanel?.allowFolder(dir) ?? Promise.resolve(),
  };
}
