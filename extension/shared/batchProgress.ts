/**
 * How far a batch is (the photos one command queued together), in words:
 * the status bar, the queue view and each of the batch's panels say it, all
 * from the same record. Pure: no `vscode`, no DOM.
 */
import * as l10n from '@vscode/l10n';

/** How the batch's photos stand: made, failed and cancelled so far (a reload included); the rest are left. */
export interface BatchCounts {
  made: number;
  failed: number;
  cancelled: number;
}

export interface BatchProgress extends BatchCounts {
  total: number;
  /** Until the last job ends; undefined until there is anything to go on. */
  etaMs?: number;
}

/** The photos that have not ended yet (the running one among them). */
export const photosLeft = (p: BatchProgress): number => p.total - p.made - p.failed - p.cancelled;

/** "2 of 5 made, 1 failed, 2 left, about 12:30 left for the batch": only the counts that are not 0. */
export function batchProgressText(progress: BatchProgress, formatDuration: (ms: number) => string): string {
  const { made, failed, cancelled, total, etaMs } = progress;
  const left = photosLeft(progress);
  const parts = [
    l10n.t('{0} of {1} made', made, total),
    failed ? l10n.t('{0} failed', failed) : '',
    cancelled ? l10n.t('{0} cancelled', cancelled) : '',
    left ? l10n.t('{0} to go', left) : '',
    left && etaMs !== undefined ? l10n.t('about {0} left for the batch', formatDuration(etaMs)) : '',
  ];
  return parts.filter(Boolean).join(', ');
}
