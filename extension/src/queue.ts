/**
 * Jobs run one at a time, in the order they were added. Cancelling a queued
 * job drops it; cancelling the running one aborts its signal and the next
 * job starts once its runner has settled. Pure: no `vscode`.
 */
import * as l10n from '@vscode/l10n';
/** Where an entry is in the queue (a panel adds "interrupted": see JobStatus in shared/protocol.ts). */
export type QueueEntryState = 'queued' | 'running' | RunEnd;

/** How a run ended, as its runner says: a job that failed is 'failed', whether it threw or said so. */
export type RunEnd = 'done' | 'failed' | 'cancelled';

export interface QueueEntry<T> {
  readonly id: string;
  readonly job: T;
  state: QueueEntryState;
  error?: unknown;
}

export type Runner<T> = (job: T, id: string, signal: AbortSignal) => Promise<RunEnd>;
type Listener<T> = (entry: QueueEntry<T>) => void;

export class JobQueue<T> {
  private readonly waiting: QueueEntry<T>[] = [];
  private current: { entry: QueueEntry<T>; abort: AbortController } | null = null;
  private readonly listeners = new Set<Listener<T>>();
  private idleWaiters: Array<() => void> = [];
  private counter = 0;

  constructor(private readonly runner: Runner<T>, private readonly prefix = 'job') {}

  /**
   * Queues a job and returns its id (`id` when given: a job resumed after a
   * reload keeps its own); it starts at once when nothing runs.
   */
  add(job: T, id?: string): string {
    if (id !== undefined && this.position(id) >= 0) throw new Error(l10n.t('Job {0} is already in the queue.', id));
    const entry: QueueEntry<T> = { id: id ?? `${this.prefix}-${++this.counter}`, job, state: 'queued' };
    this.waiting.push(entry);
    this.emit(entry);
    this.pump();
    return entry.id;
  }

  /** Cancels a queued or running job; false when there is no such job. */
  cancel(id: string): boolean {
    if (this.current?.entry.id === id) {
      this.current.abort.abort();
      return true;
    }
    const i = this.waiting.findIndex((e) => e.id === id);
    if (i < 0) return false;
    const [entry] = this.waiting.splice(i, 1);
    entry.state = 'cancelled';
    this.emit(entry);
    this.settleIdle();
    return true;
  }

  /** Moves a queued job `by` places (negative: sooner); false when it is not queued. The running job stays. */
  move(id: string, by: number): boolean {
    const from = this.waiting.findIndex((e) => e.id === id);
    if (from < 0) return false;
    const to = Math.max(0, Math.min(this.waiting.length - 1, from + by));
    if (to === from) return true;
    const [entry] = this.waiting.splice(from, 1);
    this.waiting.splice(to, 0, entry);
    // Everyone between the two places has a new position.
    this.waiting.slice(Math.min(from, to), Math.max(from, to) + 1).forEach((e) => this.emit(e));
    return true;
  }

  cancelAll(): void {
    for (const entry of [...this.waiting]) this.cancel(entry.id);
    if (this.current) this.cancel(this.current.entry.id);
  }

  get running(): QueueEntry<T> | undefined {
    return this.current?.entry;
  }

  get queued(): readonly QueueEntry<T>[] {
    return this.waiting;
  }

  /** 0 for the running job, 1 for the next one, …; -1 when not queued. */
  position(id: string): number {
    if (this.current?.entry.id === id) return 0;
    const i = this.waiting.findIndex((e) => e.id === id);
    return i < 0 ? -1 : i + 1;
  }

  /** Called with an entry whenever its state changes (and the positions of the others with it). */
  onDidChange(listener: Listener<T>): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Resolves when nothing runs or waits. */
  idle(): Promise<void> {
    if (!this.current && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private emit(entry: QueueEntry<T>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(entry);
      } catch {
        // A listener's failure must not stop the queue.
      }
    }
  }

  private settleIdle(): void {
    if (this.current || this.waiting.length) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }

  private pump(): void {
    if (this.current) return;
    const entry = this.waiting.shift();
    if (!entry) {
      this.settleIdle();
      return;
    }
    const abort = new AbortController();
    this.current = { entry, abort };
    entry.state = 'running';
    this.emit(entry);
    // The others moved up one place.
    this.waiting.forEach((e) => this.emit(e));
    void (async () => {
      try {
        // Start on a later tick: whoever called add() gets its id before the job does anything.
        await Promise.resolve();
        entry.state = abort.signal.aborted ? 'cancelled' : await this.runner(entry.job, entry.id, abort.signal);
      } catch (error) {
        entry.state = abort.signal.aborted ? 'cancelled' : 'failed';
        entry.error = error;
      }
      this.current = null;
      this.emit(entry);
      this.pump();
    })();
  }
}
