/**
 * The jobs a reload interrupted, queued again: which jobs are saved (the
 * running one and the queued ones, in order, the running one with its last
 * checkpoint) and how a panel VS Code restores finds its resumed job, which
 * waits for that tab rather than open a second one.
 */
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import type { BackendChoice } from '@neural-style/engine/options';
import type { BatchCounts } from './batch';
import type { Checkpoint } from './checkpoints';
import type { BatchTag } from './jobChange';
import type { JobOrder } from './jobOrder';
import type { JobRequest } from './jobRequest';
import type { JobPanel } from './panel';
import type { JobQueue } from './queue';
import type { SavedJob } from './savedQueue';
import type { StyleChoice } from './stylePicker';

/** What a resumed job's panel says until the job runs: where it goes on from, when it has a checkpoint. */
export function resumedNote(checkpoint?: Checkpoint): string {
  if (!checkpoint) return l10n.t('Interrupted by a window reload, and queued again.');
  return l10n.t('Interrupted by a window reload, and queued again: it goes on after scale {0} of {1} (step {2}).',
    checkpoint.scale, checkpoint.scales, checkpoint.steps);
}

/** What savedJobsOf reads of a queued job. */
interface Saveable {
  request: JobRequest;
  backend?: BackendChoice;
  batch?: BatchTag;
  checkpoint?: Checkpoint;
  record?: { readonly livePanel?: unknown; readonly awaitingTab?: boolean };
}

/**
 * What is saved of the queue: the running job first, then the queued ones in
 * order; a job of a batch with the batch's counts (`countsOf`), so that the
 * batch goes on counting after the reload instead of starting again at 0.
 */
export function savedJobsOf<T extends Saveable>(
  queue: Pick<JobQueue<T>, 'running' | 'queued'>, countsOf: (key: string) => BatchCounts | undefined = () => undefined,
): SavedJob[] {
  const entries = [...(queue.running ? [queue.running] : []), ...queue.queued];
  const choice = ({ path, id, label }: StyleChoice) => ({ path, id, label });
  const batchOf = ({ key, index, size }: BatchTag) =>
    ({ key, index, size, made: 0, failed: 0, cancelled: 0, ...countsOf(key) });
  return entries.map(({ id, job: { request, backend, batch, checkpoint, record } }) => ({
    id, content: request.content, style: choice(request.style),
    ...(request.secondStyle ? { secondStyle: choice(request.secondStyle) } : {}),
    ...(request.masks ? { masks: request.masks } : {}), ...(request.clip ? { clip: request.clip } : {}),
    ...(backend ? { backend } : {}), ...(request.options ? { options: request.options } : {}),
    ...(batch ? { batch: batchOf(batch) } : {}), ...(checkpoint ? { checkpoint } : {}),
    // A tab VS Code restored and has not revived yet comes back after the next reload too.
    ...(record?.livePanel || record?.awaitingTab ? { panel: true } : {}),
  }));
}

/**
 * The job a saved one queues again: the same request, backend, id and batch, its checkpoint to resume from, and
 * whether VS Code restores its tab.
 */
export function orderOfSaved(saved: SavedJob): JobOrder {
  const { content, style, secondStyle, masks, options, backend, id, batch, checkpoint, panel, clip } = saved;
  const request = { content, style, ...(secondStyle ? { secondStyle } : {}), ...(masks ? { masks } : {}),
    ...(options ? { options } : {}), ...(clip ? { clip } : {}) };
  const tag = batch && { key: batch.key, index: batch.index, size: batch.size,
    earlier: { made: batch.made, failed: batch.failed, cancelled: batch.cancelled } };
  return { request, ...(backend ? { backend } : {}), resumedId: id, ...(tag ? { batch: tag } : {}),
    ...(checkpoint ? { resume: checkpoint } : {}), ...(panel ? { restoredTab: true } : {}) };
}

/** An editor tab as awaitsRestoredTab reads it: its webview's viewType (VS Code may prefix it) and its title. */
export interface TabLabel {
  viewType?: string;
  label: string;
}

/**
 * Whether a resumed job whose panel was open should wait for the tab VS Code
 * restored (it revives a tab when it is shown, and only then calls the
 * serializer) instead of opening a second: when a tab of `viewType` titled
 * `name` is there that no panel of this window (`claimed`: the titles of the
 * live panels and of the jobs already waiting) accounts for.
 */
export function awaitsRestoredTab(name: string, tabs: readonly TabLabel[], viewType: string,
  claimed: readonly string[]): boolean {
  const restored = tabs.filter((t) => t.viewType?.endsWith(viewType) && t.label === name).length;
  return restored > claimed.filter((title) => title === name).length;
}

/**
 * A restored panel of a job that was resumed: it becomes that job's panel
 * (the job stops waiting for it), or closes when the job has one already.
 * False when `record` is no live job.
 */
export function resumeInto<R extends { panel?: JobPanel; awaitingTab: boolean }>(record: R | undefined,
  panel: vscode.WebviewPanel, revive: (record: R) => JobPanel): boolean {
  if (!record) return false;
  if (record.panel && !record.panel.isDisposed) panel.dispose();
  else record.panel = revive(record);
  record.awaitingTab = false;
  return true;
}
