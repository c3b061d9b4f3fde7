/**
 * A batch: the photos one command queued together (a multi-selection, a
 * folder, the jobs a reload interrupted). It knows how far the batch is, a
 * whole-batch ETA, whether its one result editor has been opened, and what
 * to say when it ends. Pure: no `vscode`, times passed in.
 */
import type { BatchCounts, BatchProgress } from '../shared/batchProgress';
import type { RunEnd } from './queue';

export { batchProgressText, type BatchCounts, type BatchProgress } from '../shared/batchProgress';
/** How a job of the batch ended: as the queue says it. */
export type BatchOutcome = RunEnd;

/** The running job as its progress says: how far (0–1), and its own ETA. */
export interface RunningProgress {
  id: string;
  fraction: number;
  etaMs: number;
}

export interface BatchSummary extends BatchCounts {
  total: number;
  elapsedMs: number;
}

const NONE: BatchCounts = { made: 0, failed: 0, cancelled: 0 };

/**
 * `size`: how many photos the command queued (known at once, before each is
 * queued); `earlier`: those of them that ended before a reload (their jobs are
 * not in this window).
 */
export class Batch {
  private readonly ids: string[] = [];
  private readonly indices = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();
  private readonly ended = new Map<string, { outcome: BatchOutcome; ms: number }>();
  private firstStart?: number;
  private lastEnd = 0;
  private resultOpened = false;

  constructor(readonly size: number, private readonly earlier: BatchCounts = NONE) {}

  /** `index`: which photo of the batch it is, from 1 (after a reload, not the order of this window's jobs). */
  add(id: string, index = this.ids.length + 1): void {
    this.ids.push(id);
    this.indices.set(id, index);
  }

  has(id: string): boolean {
    return this.ids.includes(id);
  }

  /** The batch's jobs, in the order they were queued. */
  get jobIds(): readonly string[] {
    return this.ids;
  }

  /** Which photo of the batch `id` is, from 1. */
  indexOf(id: string): number {
    return this.indices.get(id) ?? 0;
  }

  jobStarted(id: string, now: number): void {
    this.startedAt.set(id, now);
    this.firstStart ??= now;
  }

  /** A job ended (a queued one cancelled before it ran has no start: it takes no time). */
  jobEnded(id: string, outcome: BatchOutcome, now: number): void {
    if (!this.has(id) || this.ended.has(id)) return;
    const started = this.startedAt.get(id);
    this.ended.set(id, { outcome, ms: started === undefined ? 0 : now - started });
    this.lastEnd = Math.max(this.lastEnd, now);
  }

  get isOver(): boolean {
    const { made, failed, cancelled } = this.counts();
    return made + failed + cancelled >= this.size;
  }

  /** The one record every view reads: made, failed and cancelled, this window's and a reload's before it. */
  counts(): BatchCounts {
    const count = (outcome: BatchOutcome) => [...this.ended.values()].filter((e) => e.outcome === outcome).length;
    return { made: this.earlier.made + count('done'), failed: this.earlier.failed + count('failed'),
      cancelled: this.earlier.cancelled + count('cancelled') };
  }

  /** True once: the first result of the batch opens in an editor, the others stay in their panels. */
  claimResultEditor(): boolean {
    if (this.resultOpened) return false;
    this.resultOpened = true;
    return true;
  }

  /**
   * How far the batch is. A photo still to come is expected to take as long
   * as the batch's finished photos took on average, or, before any has
   * finished, as long as the running one will have taken in all.
   */
  progress(running?: RunningProgress, now = Date.now()): BatchProgress {
    const counts = this.counts();
    const total = this.size;
    const finished = counts.made + counts.failed + counts.cancelled;
    const current = running && this.has(running.id) && !this.ended.has(running.id) ? running : undefined;
    const waiting = total - finished - (current ? 1 : 0);
    if (finished >= total) return { ...counts, total };
    const soFar = current && current.fraction > 0 ? this.elapsedOf(current.id, now) + current.etaMs : undefined;
    const perPhoto = this.meanPhotoMs() ?? soFar;
    if (waiting > 0 && perPhoto === undefined) return { ...counts, total };
    return { ...counts, total, etaMs: (current?.etaMs ?? 0) + waiting * (perPhoto ?? 0) };
  }

  summary(): BatchSummary {
    return { ...this.counts(), total: this.size, elapsedMs: this.firstStart === undefined ? 0
      : this.lastEnd - this.firstStart };
  }

  /** The mean time of the photos that were made (a failure or a cancel says nothing about how long a photo takes). */
  private meanPhotoMs(): number | undefined {
    const made = [...this.ended.values()].filter((e) => e.outcome === 'done').map((e) => e.ms);
    return made.length ? made.reduce((a, b) => a + b, 0) / made.length : undefined;
  }

  private elapsedOf(id: string, now: number): number {
    const started = this.startedAt.get(id);
    return started === undefined ? 0 : now - started;
  }
}
