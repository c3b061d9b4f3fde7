/**
 * A batch: the photos one command queued together (a multi-selection, a
 * folder, the jobs a reload interrupted). It knows how far the batch is, a
 * whole-batch ETA, whether its one result editor has been opened, and what
 * to say when it ends. Pure: no `vscode`, times passed in.
 */
import type { BatchProgress } from '../shared/batchProgress';
import type { RunEnd } from './queue';

export { batchProgressText, type BatchProgress } from '../shared/batchProgress';
/** How a job of the batch ended: as the queue says it. */
export type BatchOutcome = RunEnd;

/** The running job as its progress says: how far (0–1), and its own ETA. */
export interface RunningProgress {
  id: string;
  fraction: number;
  etaMs: number;
}

export interface BatchSummary {
  total: number;
  done: number;
  failed: number;
  cancelled: number;
  elapsedMs: number;
}

export class Batch {
  private readonly ids: string[] = [];
  private readonly startedAt = new Map<string, number>();
  private readonly ended = new Map<string, { outcome: BatchOutcome; ms: number }>();
  private firstStart?: number;
  private lastEnd = 0;
  private resultOpened = false;

  add(id: string): void {
    this.ids.push(id);
  }

  has(id: string): boolean {
    return this.ids.includes(id);
  }

  get size(): number {
    return this.ids.length;
  }

  /** The batch's jobs, in the order they were queued. */
  get jobIds(): readonly string[] {
    return this.ids;
  }

  /** Which photo of the batch `id` is, from 1. */
  indexOf(id: string): number {
    return this.ids.indexOf(id) + 1;
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
    return this.ids.length > 0 && this.ended.size === this.ids.length;
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
    const finished = this.ended.size;
    const total = this.ids.length;
    const current = running && this.has(running.id) && !this.ended.has(running.id) ? running : undefined;
    const waiting = total - finished - (current ? 1 : 0);
    if (finished === total) return { finished, total };
    const soFar = current && current.fraction > 0 ? this.elapsedOf(current.id, now) + current.etaMs : undefined;
    const perPhoto = this.meanPhotoMs() ?? soFar;
    if (waiting > 0 && perPhoto === undefined) return { finished, total };
    return { finished, total, etaMs: (current?.etaMs ?? 0) + waiting * (perPhoto ?? 0) };
  }

  summary(): BatchSummary {
    const count = (outcome: BatchOutcome) => [...this.ended.values()].filter((e) => e.outcome === outcome).length;
    return { total: this.ids.length, done: count('done'), failed: count('failed'), cancelled: count('cancelled'),
      elapsedMs: this.firstStart === undefined ? 0 : this.lastEnd - this.firstStart };
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
