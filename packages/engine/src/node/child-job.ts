import * as fs from 'fs';
import * as path from 'path';
import { CancelledError, NeuralStyleError } from '../core/errors';
import type { JobMessageEvents } from '../job-messages';
import type { FromEngine, JobSpec, ToEngine } from '../protocol';
import { EngineClient, EngineOutcome } from './engine-client';
import { removeStaleTemps, removeTempsOf } from './output-file';

/*
 * The CLI's job runs in an engine process of its own (worker.ts, through the
 * same engine client as the VS Code extension's), so that Ctrl-C ends it at
 * once: one gradient of a large image is seconds of synchronous wasm or
 * native work that no flag can interrupt, but a killed process stops in
 * milliseconds, and it only ever writes temp files until its last step.
 */

const CLI_JOB = 'cli';

export interface ChildJob {
  job: JobSpec;
  backend?: ToEngine<'start'>['backend'];
  weights?: string;
}

export interface ChildJobEvents extends Pick<JobMessageEvents, 'backend' | 'plan' | 'progress' | 'frame' | 'log'> {
  /** The engine process's own stderr (tfjs, native libraries). */
  stderr?(text: string): void;
}

/** worker.js beside this build (worker.ts when run from source under tsx, whose loader the fork inherits). */
function workerPath(): string {
  const js = path.join(__dirname, '..', 'worker.js');
  return fs.existsSync(js) ? js : path.join(__dirname, '..', 'worker.ts');
}

/**
 * Runs one job in a fresh engine process (which checks it before anything
 * loads); resolves with its done message. An error message rejects with a
 * NeuralStyleError of its code. Aborting `signal` kills the process (SIGKILL)
 * and removes the temp files it left beside the output, then rejects with a
 * CancelledError.
 */
export async function runJobInChild(run: ChildJob, signal: AbortSignal,
  events: ChildJobEvents = {}): Promise<FromEngine<'done'>> {
  if (signal.aborted) throw new CancelledError();
  // Its own process group: a terminal's Ctrl-C reaches only us, and we end it.
  const detached = process.platform !== 'win32';
  const engine = new EngineClient(workerPath(), { stdout: 'ignore', detached, onStderr: events.stderr });
  // A killed writer leaves at most a temp file beside the output; once its pid is gone, it is stale.
  const cleaned = engine.exited.then(() => removeStaleTemps(run.job.output));
  const start = { id: CLI_JOB, job: run.job, backend: run.backend, weights: run.weights };
  const outcome = await engine.runJob({ start, events, signal, cancelGraceMs: 0 });
  // Done or failed: nothing more to wait for. Killing it is faster than a shutdown and loses nothing.
  engine.kill();
  if (outcome.kind === 'cancelled') {
    // No waiting for the killed process to be torn down (its memory can take a few hundred ms to free on a busy
    // machine): once SIGKILL is sent it writes nothing more, so remove its temp files now.
    if (engine.pid) removeTempsOf(run.job.output, engine.pid);
    throw new CancelledError();
  }
  await cleaned;
  if (outcome.kind === 'done') return outcome.done;
  throw errorOf(outcome);
}

/** A failed job as the CLI reports it: a NeuralStyleError is the user's to fix (exit 1), all else a bug (70). */
function errorOf(outcome: Exclude<EngineOutcome, { kind: 'done' | 'cancelled' }>): Error {
  const bug = outcome.kind === 'crashed' || outcome.code === 'EINTERNAL' || outcome.code === 'EPROTOCOL';
  if (bug) return new Error(outcome.message);
  return new NeuralStyleError(outcome.message, outcome.code);
}
