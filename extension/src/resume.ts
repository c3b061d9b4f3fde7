/**
 * The jobs a reload interrupted, queued again: which jobs are saved (the
 * running one and the queued ones, in order) and how a panel VS Code restores
 * finds its resumed job.
 */
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import type { BackendChoice } from '@neural-style/engine/options';
import type { BatchCounts } from './batch';
import type { BatchTag } from './jobChange';
import type { JobRequest } from './jobRequest';
import type { JobOrder } from './jobs';
import type { JobPanel } from './panel';
import type { JobQueue } from './queue';
import type { SavedJob } from './savedQueue';
import type { StyleChoice } from './stylePicker';

/** What a resumed job's panel says until the job runs. */
export const resumedNote = (): string => l10n.t('Interrupted by a window reload, and queued again.');

/**
 * What is saved of the queue: the running job first, then the queued ones in
 * order; a job of a batch with the batch's counts (`countsOf`), so that the
 * batch goes on counting after the reload instead of starting again at 0.
 */
export function savedJobsOf<T extends { request: JobRequest; backend?: BackendChoice; batch?: BatchTag }>(
  queue: Pick<JobQueue<T>, 'running' | 'queued'>, countsOf: (key: string) => BatchCounts | undefined = () => undefined,
): SavedJob[] {
  const entries = [...(queue.running ? [queue.running] : []), ...queue.queued];
  const choice = ({ path, id, label }: StyleChoice) => ({ path, id, label });
  const batchOf = ({ key, index, size }: BatchTag) =>
    ({ key, index, size, made: 0, failed: 0, cancelled: 0, ...countsOf(key) });
  return entries.map(({ id, job: { request, backend, batch } }) => ({
    id, content: request.content, style: choice(request.style),
    ...(request.secondStyle ? { secondStyle: choice(request.secondStyle) } : {}),
    ...(backend ? { backend } : {}), ...(request.options ? { options: request.options } : {}),
    ...(batch ? { batch: batchOf(batch) } : {}),
  }));
}

/** The job a saved one queues again: the same request, backend, id and batch. */
export function orderOfSaved(saved: SavedJob): JobOrder {
  const { content, style, secondStyle, options, backend, id, batch } = saved;
  const request = { content, style, ...(secondStyle ? { secondStyle } : {}), ...(options ? { options } : {}) };
  const tag = batch && { key: batch.key, index: batch.index, size: batch.size,
    earlier: { made: batch.made, failed: batch.failed, cancelled: batch.cancelled } };
  return { request, ...(backend ? { backend } : {}), resumedId: id, ...(tag ? { batch: tag } : {}) };
}

/**
 * A restored panel of a job that was resumed: it becomes that job's panel, or
 * closes when the job has one already. False when `record` is no live job.
 */
export function resumeInto<R extends { panel?: JobPanel }>(record: R | undefined, panel: vscode.WebviewPanel,
  revive: (record: R) => JobPanel): boolean {
  if (!record) return false;
  if (record.panel && !record.panel.isDisposed) panel.dispose();
  else record.panel = revive(record);
  return true;
}
