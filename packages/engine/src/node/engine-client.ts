/**
 * The one engine client: a host's side of the engine process (worker.ts),
 * used by the CLI (child-job.ts) and the VS Code extension (its warm engine).
 * It waits for `ready` in our protocol version, runs a job to its end through
 * job-messages.ts, and on a cancel asks the engine to stop, then kills it after
 * a grace. The `@neural-style/engine/engine-client` entry: no tfjs, no sharp.
 */
import { EngineJobEnd, jobMessage, JobMessageEvents } from '../job-messages';
import { FromEngine, parseFromEngine, PROTOCOL_VERSION, ToEngine } from '../protocol';
import { explainExit, ExitWords, ProcessClient, ProcessOptions } from './process-client';

export { explainExit, ProcessClient };
export type { ExitWords, ProcessExit, ProcessOptions } from './process-client';

/**
 * How a job on an engine process ended: as the engine said, or its process stopped first (`message`: why). An
 * error is `retiring` when the process takes no next job: the engine's say, or a process outside the protocol.
 */
export type EngineOutcome = EngineJobEnd | { kind: 'crashed'; message: string };

export interface EngineWords extends ExitWords {
  otherVersion(version: number, needed: number): string;
  badMessage(why: string): string;
}

/** The CLI's words (the extension passes its translations). */
export const ENGINE_WORDS: EngineWords = {
  couldNotRun: (error) => `The engine process could not run: ${error}`,
  stopped: (how) => `The engine process stopped unexpectedly (${how}).`,
  signal: (name) => `signal ${name}`,
  exitCode: (code) => `exit code ${code}`,
  lastOutput: (tail) => `Last output: ${tail}`,
  otherVersion: (version, needed) => `The engine speaks protocol version ${version}; this CLI needs ${needed}.`,
  badMessage: (why) => `The engine process sent a message outside the protocol: ${why}`,
};

export interface EngineRun {
  /** The start message's fields. */
  start: Omit<ToEngine<'start'>, 'type'>;
  events?: JobMessageEvents;
  signal?: AbortSignal;
  /**
   * How long a cancelled engine may take to answer before it is killed: a
   * gradient of a large image is seconds of synchronous work it cannot
   * interrupt. 0: killed at once, and the job is cancelled then.
   */
  cancelGraceMs?: number;
  /** The process is ready (pid) and the job about to start on it. */
  started?(pid: number): void;
}

/** A failure of the engine process itself, before any job: `code` EPROTOCOL (another version) or ECRASHED. */
export class EngineStartError extends Error {
  constructor(message: string, readonly code: 'EPROTOCOL' | 'ECRASHED') {
    super(message);
  }
}

/** Resolves with `promise`, or with 'aborted' as soon as `signal` aborts. */
function unlessAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T | 'aborted'> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export class EngineClient extends ProcessClient<ToEngine, FromEngine> {
  /** Resolves with the engine's pid once it said ready in our protocol version; rejects with an EngineStartError. */
  readonly ready: Promise<number>;
  private readonly words: EngineWords;

  constructor(script: string, options: ProcessOptions & { words?: EngineWords } = {}) {
    super(script, parseFromEngine, options);
    this.words = options.words ?? ENGINE_WORDS;
    this.ready = new Promise((resolve, reject) => {
      const off = this.onMessage((message) => {
        if (message.type !== 'ready') return;
        off();
        if (message.version === PROTOCOL_VERSION) resolve(message.pid);
        else reject(new EngineStartError(this.words.otherVersion(message.version, PROTOCOL_VERSION), 'EPROTOCOL'));
      });
      void this.exited.then((exit) => {
        reject(new EngineStartError(`${explainExit(exit, this.words)} (${script})`, 'ECRASHED'));
      });
    });
    this.ready.catch(() => this.kill());
  }

  /** Runs one job on this process to its end, however it ends (it never rejects); one job at a time. */
  async runJob(run: EngineRun): Promise<EngineOutcome> {
    let pid: number | 'aborted';
    try {
      pid = await unlessAborted(this.ready, run.signal);
    } catch (e) {
      const { message, code } = e as EngineStartError;
      return code === 'EPROTOCOL' ? { kind: 'error', code, message, retiring: true } : { kind: 'crashed', message };
    }
    // Cancelled while the engine started: the process is the caller's to keep or end.
    if (pid === 'aborted') return { kind: 'cancelled' };
    run.started?.(pid);
    return this.settle(run);
  }

  /** Sends the start and settles on the job's end, the process's exit, a bad message or a cancel. */
  private settle(run: EngineRun): Promise<EngineOutcome> {
    const { start, events = {}, signal, cancelGraceMs = 300 } = run;
    return new Promise((resolve) => {
      let killTimer: NodeJS.Timeout | undefined;
      let settled = false;
      const offs: Array<() => void> = [];
      const done = (outcome: EngineOutcome) => {
        if (settled) return;
        settled = true;
        offs.forEach((off) => off());
        clearTimeout(killTimer);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = () => {
        if (cancelGraceMs <= 0) {
          this.kill();
          done({ kind: 'cancelled' });
          return;
        }
        events.log?.('info', `cancelling job ${start.id}`);
        this.send({ type: 'cancel', id: start.id });
        killTimer = setTimeout(() => {
          events.log?.('warn', `the engine did not stop within ${cancelGraceMs} ms: killing process ${this.pid}`);
          this.kill();
        }, cancelGraceMs);
      };
      offs.push(this.onMessage((message) => {
        const end = jobMessage(message, start.id, events);
        if (end) done(end);
      }));
      // Not to be trusted with another job: retiring, as the engine says of an error that may have broken it.
      offs.push(this.onBadMessage((why) => {
        done({ kind: 'error', code: 'EPROTOCOL', message: this.words.badMessage(why), retiring: true });
      }));
      void this.exited.then((exit) => {
        done(signal?.aborted ? { kind: 'cancelled' } : { kind: 'crashed', message: explainExit(exit, this.words) });
      });
      this.send({ type: 'start', ...start });
      // Cancelled as it started (a listener of `started` may abort): the engine is told at once.
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
