import { fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CancelledError, NeuralStyleError } from '../core/errors';
import { jobMessage } from '../job-messages';
import { FromEngine, JobSpec, parseFromEngine, PROTOCOL_VERSION, ToEngine } from '../protocol';
import { removeStaleTemps, removeTempsOf } from './output-file';

/*
 * The CLI's job runs in an engine process of its own (worker.ts, over the
 * same protocol as the VS Code extension's), so that Ctrl-C ends it at once:
 * one gradient of a large image is seconds of synchronous wasm or native
 * work that no flag can interrupt, but a killed process stops in
 * milliseconds, and it only ever writes temp files until its last step.
 */

const CLI_JOB = 'cli';

export interface ChildJob {
  job: JobSpec;
  backend?: ToEngine<'start'>['backend'];
  weights?: string;
}

export interface ChildJobEvents {
  backend?(message: FromEngine<'backend'>): void;
  progress?(message: FromEngine<'progress'>): void;
  log?(level: FromEngine<'log'>['level'], message: string): void;
  /** The engine process's own stderr (tfjs, native libraries). */
  stderr?(text: string): void;
}

/** worker.js beside this build (worker.ts when run from source under tsx, whose loader the fork inherits). */
function workerPath(): string {
  const js = path.join(__dirname, '..', 'worker.js');
  return fs.existsSync(js) ? js : path.join(__dirname, '..', 'worker.ts');
}

/**
 * Runs one job in a fresh engine process; resolves with its done message.
 * An error message rejects with a NeuralStyleError of its code. Aborting
 * `signal` kills the process (SIGKILL) and removes the temp files it left
 * beside the output, then rejects with a CancelledError.
 */
export function runJobInChild(run: ChildJob, signal: AbortSignal, events: ChildJobEvents = {}): Promise<FromEngine<'done'>> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new CancelledError());
      return;
    }
    // Its own process group: a terminal's Ctrl-C reaches only us, and we end it.
    const child = fork(workerPath(), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json', detached: process.platform !== 'win32' });
    let outcome: { done: FromEngine<'done'> } | { error: Error } | null = null;
    let stderrTail = '';
    const settle = (result: NonNullable<typeof outcome>) => {
      if (outcome) return;
      outcome = result;
      // Done or failed: nothing more to wait for. Killing it is faster than a shutdown and loses nothing.
      child.kill('SIGKILL');
    };
    // Cancelled: no waiting for the killed process to be torn down (its memory can take a few hundred ms to
    // free on a busy machine): once SIGKILL is sent it writes nothing more, so remove its temp files now.
    const onAbort = () => {
      settle({ error: new CancelledError() });
      if (child.pid) removeTempsOf(run.job.output, child.pid);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.stderr?.on('data', (d: Buffer) => {
      stderrTail = (stderrTail + d.toString()).slice(-2000);
      events.stderr?.(d.toString());
    });
    child.on('message', (raw) => {
      let message: FromEngine;
      try {
        message = parseFromEngine(raw);
      } catch (e) {
        settle({ error: new Error(`The engine process sent a message outside the protocol: ${(e as Error).message}`) });
        return;
      }
      handleMessage(message, run, events, (m) => child.send(m), settle);
    });
    child.on('error', (e) => settle({ error: new Error(`The engine process could not run: ${e.message}`) }));
    child.on('exit', (code, exitSignal) => {
      signal.removeEventListener('abort', onAbort);
      // A killed writer leaves at most a temp file beside the output; its pid is gone now, so it is stale.
      removeStaleTemps(run.job.output);
      if (!outcome) {
        const tail = stderrTail.trim().split('\n').slice(-3).join(' ');
        outcome = { error: new Error(`The engine process stopped unexpectedly (${exitSignal ? `signal ${exitSignal}` : `exit code ${code}`}).${tail ? ` Last output: ${tail}` : ''}`) };
      }
      if ('done' in outcome) resolve(outcome.done);
      else reject(outcome.error);
    });
  });
}

function handleMessage(message: FromEngine, run: ChildJob, events: ChildJobEvents, send: (m: ToEngine) => void,
  settle: (result: { done: FromEngine<'done'> } | { error: Error }) => void): void {
  if (message.type === 'ready') {
    if (message.version !== PROTOCOL_VERSION) settle({ error: new Error(`The engine speaks protocol version ${message.version}; this CLI needs ${PROTOCOL_VERSION}.`) });
    else send({ type: 'start', id: CLI_JOB, job: run.job, backend: run.backend, weights: run.weights });
    return;
  }
  const end = jobMessage(message, CLI_JOB, events);
  if (!end) return;
  if (end.kind === 'done') settle({ done: end.done });
  else if (end.kind === 'cancelled') settle({ error: new CancelledError() });
  else settle({ error: end.code === 'EINTERNAL' ? new Error(end.message) : new NeuralStyleError(end.message, end.code) });
}
