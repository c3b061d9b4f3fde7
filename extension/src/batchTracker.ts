/**
 * The window's batches, kept from the job changes: how each batch goes, told
 * to its photos' panels; the running batch's line for the status bar and the
 * queue view; its one result editor; its summary once its last job has ended.
 * Pure: no `vscode`; telling a panel and the summary are passed in.
 */
import { formatDuration } from '@neural-style/engine/options';
import { progressFraction } from '@neural-style/engine/protocol';
import type { BatchView } from '../shared/protocol';
import { Batch, type BatchCounts, type BatchProgress, batchProgressText, type BatchSummary } from './batch';
import { type BatchTag, type JobChange, runEndOf } from './jobChange';

export interface BatchEvents {
  /** Tells the panel of job `id` how its batch goes. */
  tell(id: string, batch: BatchView): void;
  /** The batch's last job has ended. */
  over(summary: BatchSummary): void;
}

export class BatchTracker {
  private readonly batches = new Map<string, Batch>();
  /** The job the queue runs now, and its batch. */
  private running?: { id: string; batch?: Batch };
  /** The batch last heard of, and what it said: the status bar and the queue view show it until it is over. */
  private latest?: { batch: Batch; progress: BatchProgress };

  constructor(private readonly events: BatchEvents, private readonly now: () => number = Date.now) {}

  /** "2 of 5 made, 1 failed, 2 to go, about 12:30 left for the batch" until the batch is over. */
  get line(): string | undefined {
    const { latest } = this;
    return latest && !latest.batch.isOver ? batchProgressText(latest.progress, formatDuration) : undefined;
  }

  /** How batch `key`'s photos stand (saved with its queued jobs, so that a reload keeps counting). */
  counts(key: string): BatchCounts | undefined {
    return this.batches.get(key)?.counts();
  }

  /** True once per batch: its first result opens in an editor, the others stay in their panels. */
  claimResultEditor(key: string): boolean {
    return this.batches.get(key)?.claimResultEditor() ?? false;
  }

  onChange(change: JobChange): void {
    const batch = change.batch && this.batchOf(change.batch);
    switch (change.kind) {
      case 'queued':
        if (batch && !batch.has(change.id)) batch.add(change.id, change.batch?.index);
        break;
      case 'starting':
        this.running = { id: change.id, batch };
        batch?.jobStarted(change.id, this.now());
        break;
      case 'ended':
        if (this.running?.id === change.id) this.running = undefined;
        if (batch) this.ended(batch, change.id, runEndOf(change.end));
        break;
      case 'progress':
        break;
      default:
        return;
    }
    this.refresh(change.kind === 'progress' ? change.progress : undefined);
  }

  private batchOf({ key, size, earlier }: BatchTag): Batch {
    const known = this.batches.get(key);
    if (known) return known;
    const batch = new Batch(size, earlier);
    this.batches.set(key, batch);
    return batch;
  }

  /** The running batch's line and its panels, with the running job's progress when this change is one. */
  private refresh(progress?: Extract<JobChange, { kind: 'progress' }>['progress']): void {
    const { running } = this;
    const fraction = progress ? progressFraction(progress) : 0;
    const report = running && progress && { id: running.id, fraction, etaMs: progress.etaMs };
    if (!running?.batch) return;
    this.tellPanels(running.batch, running.batch.progress(report, this.now()));
  }

  private ended(batch: Batch, id: string, end: ReturnType<typeof runEndOf>): void {
    batch.jobEnded(id, end, this.now());
    this.tellPanels(batch, batch.progress(undefined, this.now()));
    if (batch.isOver) this.events.over(batch.summary());
  }

  /**
   * Each panel of the batch's photos, and the line, say the same record (a
   * Run again in one is no longer of the batch).
   */
  private tellPanels(batch: Batch, progress: BatchProgress): void {
    this.latest = { batch, progress };
    const { etaMs, ...counts } = progress;
    for (const id of batch.jobIds) {
      this.events.tell(id, { index: batch.indexOf(id), ...counts, ...(etaMs === undefined ? {} : { etaMs }) });
    }
  }
}
