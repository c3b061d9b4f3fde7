/**
 * Runs one job in its own engine process (packages/engine's worker.js, forked
 * with the extension host's own Node) over the engine's typed IPC protocol.
 * Compute never touches the extension host thread. Cancel asks the engine to
 * stop and kills it when it has not ended within the grace period; every
 * process this module starts is tracked so `killAllEngines` leaves none behind.
 * No `vscode` here, so the unit tests run it too.
 */
import { ChildProcess, fork } from 'child_process';
import type { BackendChoice } from '@neural-style/engine/options';
import { backendLine, FromEngine, JobSpec, parseFromEngine, PROTOCOL_VERSION, ToEngine } from '@neural-style/engine/protocol';

export interface EngineEvents {
  log?(level: FromEngine<'log'>['level'], message: string): void;
  progress?(message: FromEngine<'progress'>): void;
  preview?(message: FromEngine<'preview'>): void;
  /** The process is up (pid), before the job starts. */
  started?(pid: number): void;
}

export type EngineOutcome =
  | { kind: 'done'; done: FromEngine<'done'> }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string; code: string }
  | { kind: 'crashed'; message: string };

export interface EngineRun {
  workerPath: string;
  id: string;
  job: JobSpec;
  backend?: BackendChoice;
  weights?: string;
  signal?: AbortSignal;
  events?: EngineEvents;
  /** How long a cancelled engine may take to stop before it is killed (the job is gone within 0.5 s either way). */
  cancelGraceMs?: number;
}

const live = new Set<ChildProcess>();

/** Pids of the engine processes still running (tests assert none are left). */
export function liveEnginePids(): number[] {
  return [...live].map((c) => c.pid!).filter((pid) => pid !== undefined);
}

/** Ends every engine process now (deactivate). */
export function killAllEngines(): void {
  for (const child of live) {
    try {
      if (child.connected) child.send({ type: 'shutdown' } satisfies ToEngine);
    } catch {
      // Already going away.
    }
    child.kill('SIGKILL');
  }
}

/** One engine message: pass it on, or end the run. */
function dispatch(message: FromEngine, run: EngineRun, send: (m: ToEngine) => void, finish: (o: EngineOutcome) => void): void {
  const events = run.events ?? {};
  switch (message.type) {
    case 'ready':
      if (message.version !== PROTOCOL_VERSION) {
        finish({ kind: 'error', message: `The engine speaks protocol version ${message.version}; this extension needs ${PROTOCOL_VERSION}.`, code: 'EPROTOCOL' });
        return;
      }
      events.started?.(message.pid);
      send({ type: 'start', id: run.id, job: run.job, backend: run.backend, weights: run.weights || undefined });
      break;
    case 'log':
      events.log?.(message.level, message.message);
      break;
    case 'backend':
      events.log?.('info', backendLine(message));
      break;
    case 'refused':
      // A refusal answers one request; only a refused start of this run ends it.
      if (message.request === 'start' && message.id === run.id) finish({ kind: 'error', message: message.message, code: message.code });
      else events.log?.('info', `the engine refused ${message.request} ${message.id}: ${message.message}`);
      break;
    case 'progress':
      events.progress?.(message);
      break;
    case 'preview':
      events.preview?.(message);
      break;
    case 'done':
      finish({ kind: 'done', done: message });
      break;
    case 'cancelled':
      finish({ kind: 'cancelled' });
      break;
    case 'error':
      finish({ kind: 'error', message: message.message, code: message.code });
      break;
  }
}

export function runEngine(run: EngineRun): Promise<EngineOutcome> {
  // A gradient of a large image is seconds of synchronous work the engine cannot interrupt: a short grace, then a kill.
  const { events = {}, cancelGraceMs = 300 } = run;
  return new Promise<EngineOutcome>((resolve) => {
    if (run.signal?.aborted) {
      resolve({ kind: 'cancelled' });
      return;
    }
    const child = fork(run.workerPath, [], {
      execPath: process.execPath,
      // VS Code's Node is Electron's: make it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    live.add(child);
    let outcome: EngineOutcome | null = null;
    let stderrTail = '';
    let killTimer: NodeJS.Timeout | undefined;
    const send = (message: ToEngine) => {
      if (child.connected) child.send(message);
    };
    // Settle once the process is gone, so callers never see a leftover process.
    const finish = (result: EngineOutcome) => {
      if (outcome) return;
      outcome = result;
      send({ type: 'shutdown' });
      clearTimeout(killTimer);
      killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
    };
    const onAbort = () => {
      events.log?.('info', `cancelling job ${run.id}`);
      send({ type: 'cancel', id: run.id });
      killTimer = setTimeout(() => {
        events.log?.('warn', `the engine did not stop within ${cancelGraceMs} ms: killing process ${child.pid}`);
        child.kill('SIGKILL');
      }, cancelGraceMs);
    };
    run.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (d: Buffer) => events.log?.('info', d.toString().trimEnd()));
    child.stderr?.on('data', (d: Buffer) => {
      const text = d.toString();
      stderrTail = (stderrTail + text).slice(-2000);
      events.log?.('warn', text.trimEnd());
    });
    child.on('message', (raw) => {
      let message: FromEngine;
      try {
        message = parseFromEngine(raw);
      } catch (e) {
        events.log?.('error', (e as Error).message);
        finish({ kind: 'error', message: `The engine sent a message this extension does not understand: ${(e as Error).message}`, code: 'EPROTOCOL' });
        return;
      }
      dispatch(message, run, send, finish);
    });
    child.on('error', (e) => {
      events.log?.('error', `engine process: ${e.message}`);
      if (!outcome) outcome = { kind: 'crashed', message: `The engine process could not run: ${e.message}` };
    });
    child.on('exit', (code, signal) => {
      live.delete(child);
      clearTimeout(killTimer);
      run.signal?.removeEventListener('abort', onAbort);
      events.log?.('info', `engine process ${child.pid} exited (${signal ?? `code ${code}`})`);
      if (!outcome) {
        outcome = run.signal?.aborted
          ? { kind: 'cancelled' }
          : { kind: 'crashed', message: `The engine process stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}).${stderrTail ? ` Last output: ${stderrTail.trim().split('\n').slice(-3).join(' ')}` : ''}` };
      }
      resolve(outcome);
    });
  });
}
