/**
 * The warm engine: one engine process per window, started by the first job
 * and kept for the next ones, so the weights and the backend load once. It is
 * stopped after some idle minutes, and replaced when a job needs another
 * worker, backend or weights. A process that dies ends its job with a clear
 * message; the next job starts a fresh one. Cancel asks the engine to stop:
 * the job is over for the caller within CANCEL_ANSWER_MS, and the process
 * stays warm for the next job, which waits for it to finish the step it was
 * in (seconds of synchronous work at a large scale); one that does not stop
 * within WARM_CANCEL_GRACE_MS is killed. No `vscode` here.
 */
import * as l10n from '@vscode/l10n';
import type { EngineClient, EngineOutcome, ProcessExit } from '@neural-style/engine/engine-client';
import type { BackendChoice } from '@neural-style/engine/options';
import { backendLine, FromEngine, JobSpec, ToEngine } from '@neural-style/engine/protocol';
import { EngineLog, explainEngineExit, startEngine } from './engineProcess';

export type { EngineOutcome };

export interface EngineEvents {
  log?: EngineLog;
  /** The backend the job runs on (before its first progress). */
  backend?(message: FromEngine<'backend'>): void;
  /** What the job will do and take, before its first progress. */
  plan?(message: FromEngine<'plan'>): void;
  progress?(message: FromEngine<'progress'>): void;
  preview?(message: FromEngine<'preview'>): void;
  /** A scale's checkpoint is written (the job's checkpoints folder). */
  checkpoint?(message: FromEngine<'checkpoint'>): void;
  /** A clip's frame is painted and written (its small preview with it). */
  frame?(message: FromEngine<'frame'>): void;
  /** The job is on its process (pid), about to start; `warm`: that process ran a job before. */
  started?(pid: number, warm: boolean): void;
}

/** What an engine process is started with: a job that needs other values gets a new process. */
export interface EngineConfig {
  workerPath: string;
  backend?: BackendChoice;
  weights?: string;
}

export interface EngineJob {
  id: string;
  job: JobSpec;
  signal?: AbortSignal;
  events?: EngineEvents;
  /** This machine's measured speeds, for the engine's estimate (speedStore.ts). */
  speeds?: ToEngine<'start'>['speeds'];
  /**
   * How long a cancelled engine may take to stop before it is killed (the job is gone within 0.5 s either way);
   * default WARM_CANCEL_GRACE_MS for a process kept warm, 300 ms for one stopped after its job.
   */
  cancelGraceMs?: number;
}

const nextJob = () => l10n.t('The next job starts a new engine.');

/** A cancelled job is over for its caller after this, however long its engine takes to end the step it is in. */
export const CANCEL_ANSWER_MS = 500;
/** How long a warm engine may take to stop a cancelled job before it is killed (a step of a print is minutes). */
export const WARM_CANCEL_GRACE_MS = 120_000;
/** A process with no idle time is stopped after its job anyway: killed this soon after a cancel. */
const COLD_CANCEL_GRACE_MS = 300;

function keyOf(config: EngineConfig): string {
  return JSON.stringify([config.workerPath, config.backend ?? 'auto', config.weights ?? '']);
}

/** What the engine's WebGPU (Dawn) found: its adapter, or why there is none (the `gpu` message's fields). */
export type EngineGpu = Omit<FromEngine<'gpu'>, 'type' | 'id'>;

interface WarmProcess { process: EngineClient; key: string; jobs: number; gpu?: Promise<EngineGpu> }

let probes = 0;

export class WarmEngine {
  private current: WarmProcess | undefined;
  private readonly exiting = new Set<Promise<ProcessExit>>();
  private idleTimer: NodeJS.Timeout | undefined;
  private busy = false;
  /** The last job, until its engine has said how it ended (a cancelled one may still be ending its step). */
  private ending: Promise<unknown> = Promise.resolve();

  /** `idleMs`: read after each job; 0 stops the process as soon as its job ends, Infinity keeps it until `stop`. */
  constructor(private readonly idleMs: () => number, private readonly log: EngineLog = () => undefined) {}

  /** The pid of the warm process, if one is up. */
  get pid(): number | undefined {
    return this.current?.process.pid;
  }

  /** Runs one job to its end, however it ends; one at a time (the queue sees to it). */
  async run(config: EngineConfig, job: EngineJob): Promise<EngineOutcome> {
    if (job.signal?.aborted) return { kind: 'cancelled' };
    if (this.busy) return { kind: 'error', code: 'EBUSY', message: l10n.t('The engine runs one job at a time.') };
    this.busy = true;
    clearTimeout(this.idleTimer);
    let outcome: EngineOutcome;
    const warm = this.idleMs() > 0;
    const grace = job.cancelGraceMs ?? (warm ? WARM_CANCEL_GRACE_MS : COLD_CANCEL_GRACE_MS);
    try {
      await this.ending;
      const running = this.runJob(config, job, grace);
      this.ending = running.catch(() => undefined);
      outcome = await answeredOnCancel(running, job.signal);
    } finally {
      this.busy = false;
    }
    // No idle time: the process is gone before the job's end is told, as a process of its own would be.
    if (!warm) await this.stop(outcome.kind === 'cancelled' ? grace : undefined);
    else this.scheduleIdle();
    return outcome;
  }

  private async runJob(config: EngineConfig, job: EngineJob, cancelGraceMs: number): Promise<EngineOutcome> {
    const current = this.processFor(config);
    const events = job.events ?? {};
    const outcome = await current.process.runJob({
      start: {
        id: job.id, job: job.job, backend: config.backend, weights: config.weights || undefined,
        ...(job.speeds?.length ? { speeds: job.speeds } : {}),
      },
      signal: job.signal,
      cancelGraceMs,
      started: (pid) => events.started?.(pid, current.jobs++ > 0),
      events: {
        ...events,
        backend: (m) => {
          events.log?.('info', backendLine(m));
          events.backend?.(m);
        },
        refused: (m) => events.log?.('info', `the engine refused ${m.request} ${m.id}: ${m.message}`),
      },
    });
    // A process that crashed, or that retires after its error (a broken backend, a message outside the protocol),
    // takes no next job. One cancelled while it started stays up for the next.
    if (outcome.kind === 'crashed' || (outcome.kind === 'error' && outcome.retiring)) this.retire();
    return outcome.kind === 'crashed' ? { kind: 'crashed', message: `${outcome.message} ${nextJob()}` } : outcome;
  }

  /**
   * Which GPU the engine's WebGPU would run on, asked once per process (it
   * loads Dawn, no backend): the process is the one the next job of `config`
   * runs on. A process that does not answer within `timeoutMs` has none.
   */
  probeGpu(config: EngineConfig, timeoutMs = 20_000): Promise<EngineGpu> {
    const current = this.processFor(config);
    current.gpu ??= askGpu(current.process, timeoutMs);
    return current.gpu;
  }

  /** Stops the process, killing it after `graceMs`; resolves once it is gone. */
  async stop(graceMs?: number): Promise<void> {
    clearTimeout(this.idleTimer);
    this.retire(graceMs);
    await Promise.all([...this.exiting]);
  }

  private processFor(config: EngineConfig): WarmProcess {
    const key = keyOf(config);
    if (this.current && (this.current.key !== key || !this.current.process.alive)) {
      this.log('info', 'the engine settings changed: starting a new engine process');
      this.retire();
    }
    if (!this.current) {
      const process = startEngine(config.workerPath, (level, message) => this.log(level, message));
      const current = { process, key, jobs: 0 };
      this.current = current;
      this.track(process);
      // A process that dies between jobs (an aborted wasm instance exits after its error) is simply dropped.
      void process.exited.then(() => { if (this.current === current) this.current = undefined; });
    }
    return this.current;
  }

  private track(process: EngineClient): void {
    const exited = process.exited;
    this.exiting.add(exited);
    void exited.then(() => this.exiting.delete(exited));
  }

  private retire(graceMs?: number): void {
    const current = this.current;
    this.current = undefined;
    if (current?.process.alive) void current.process.shutdown(graceMs);
  }

  private scheduleIdle(): void {
    if (!this.current) return;
    const ms = this.idleMs();
    if (!Number.isFinite(ms)) return;
    this.idleTimer = setTimeout(() => {
      this.log('info', `the engine was idle for ${Math.round(ms / 1000)} s: stopping it`);
      this.retire();
    }, ms);
    // An idle engine must not keep a test runner (or the host) alive.
    this.idleTimer.unref();
  }

}

/** The job's outcome, or cancelled CANCEL_ANSWER_MS after its signal aborts if the engine has not answered by then. */
function answeredOnCancel(running: Promise<EngineOutcome>, signal?: AbortSignal): Promise<EngineOutcome> {
  if (!signal) return running;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => { timer = setTimeout(() => resolve({ kind: 'cancelled' }), CANCEL_ANSWER_MS); };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    running.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}

/** Sends `process` a probe and settles on its answer, its exit or the timeout, whichever comes first. */
async function askGpu(process: EngineClient, timeoutMs: number): Promise<EngineGpu> {
  try {
    await process.ready;
  } catch (e) {
    return { problem: `the engine did not start (${(e as Error).message})` };
  }
  const id = `probe-${++probes}`;
  return new Promise((resolve) => {
    const settle = (answer: EngineGpu) => {
      clearTimeout(timer);
      off();
      resolve(answer);
    };
    const late = `the engine did not say which GPU it has within ${timeoutMs / 1000} s`;
    const timer = setTimeout(() => settle({ problem: late }), timeoutMs);
    const off = process.onMessage((m) => {
      if (m.type !== 'gpu' || m.id !== id) return;
      settle(m.adapter ? { adapter: m.adapter } : { problem: m.problem ?? 'no adapter' });
    });
    void process.exited.then((exit) => settle({ problem: explainEngineExit(exit) }));
    process.send({ type: 'probe', id });
  });
}

/** One job in a process of its own, gone when this resolves (the CLI-like way, for tests and one-offs). */
export async function runEngine(run: EngineConfig & EngineJob): Promise<EngineOutcome> {
  return new WarmEngine(() => 0).run(run, run);
}
