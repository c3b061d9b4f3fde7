/**
 * How far a batch is (the photos one command queued together), in words:
 * the status bar, the queue view and each of the batch's panels say it.
 * Pure: no `vscode`, no DOM.
 */
import * as l10n from '@vscode/l10n';

export interface BatchProgress {
  /** Jobs that have ended, however they ended. */
  finished: number;
  total: number;
  /** Until the last job ends; undefined until there is anything to go on. */
  etaMs?: number;
}

/** "2 of 5 done" and, when known, "about 12:30 left for the batch". */
export function batchProgressText(progress: BatchProgress, formatDuration: (ms: number) => string): string {
  const { finished, total, etaMs } = progress;
  return etaMs === undefined ? l10n.t('{0} of {1} done', finished, total)
    : l10n.t('{0} of {1} done, about {2} left for the batch', finished, total, formatDuration(etaMs));
}
