/**
 * Everything that shows the window's jobs outside their panels, each told of
 * every change the job manager reports, in this order: the batches first (the
 * status bar and the queue view show their line), the status bar, the
 * `neuralStyle.busy` context and the saved queue, notifications, result
 * editors, the queue view.
 */
import * as vscode from 'vscode';
import { BatchTracker } from './batchTracker';
import type { JobChange } from './jobChange';
import type { JobManager } from './jobs';
import { JobNotifications, showBatchSummary } from './notifications';
import { ResultEditors } from './resultEditors';
import { savedJobsOf } from './resume';
import type { QueueStore } from './savedQueue';
import { QueueStatusBar } from './statusBar';

export interface JobViews extends vscode.Disposable {
  readonly batches: BatchTracker;
}

/** `refreshQueueView`: the queue view reads the jobs again (it is the window's, whichever manager is current). */
export function watchJobs(jobs: JobManager, log: vscode.LogOutputChannel, store: QueueStore | undefined,
  refreshQueueView: () => void): JobViews {
  const batches = new BatchTracker({
    tell: (id, batch) => jobs.record(id)?.post({ type: 'batch', batch }),
    over: (summary) => {
      log.info(`batch of ${summary.total} over: ${JSON.stringify(summary)}`);
      void showBatchSummary(summary, log);
    },
  });
  const statusBar = new QueueStatusBar(jobs.queue, () => batches.line);
  const panelOf = (id: string) => jobs.record(id)?.livePanel?.panel;
  const notifications = new JobNotifications({
    inSight: (id) => !!panelOf(id)?.visible, cancel: (id) => jobs.cancel(id), runOnCpu: (id) => jobs.runOnCpu(id),
    runAtSize: (id, size) => jobs.runAtSize(id, size),
  }, log);
  const results = new ResultEditors((key) => batches.claimResultEditor(key), panelOf);
  const subscription = jobs.onDidChangeJob((change: JobChange) => {
    batches.onChange(change);
    statusBar.onChange(change);
    // 'running': a clip's output is settled then, which a reload goes on at.
    if (['queued', 'starting', 'running', 'ended', 'checkpoint'].includes(change.kind)) {
      const { running, queued } = jobs.queue;
      void vscode.commands.executeCommand('setContext', 'neuralStyle.busy', !!running || queued.length > 0);
      store?.save(savedJobsOf(jobs.queue, (key) => batches.counts(key)));
    }
    notifications.onChange(change);
    results.onChange(change);
    if (change.kind !== 'preview') refreshQueueView();
  });
  // Gone before the jobs stop: a window that closes keeps its queue saved as it was, to resume, and says nothing.
  return {
    batches,
    dispose: () => {
      subscription.dispose();
      notifications.dispose();
      statusBar.dispose();
    },
  };
}
