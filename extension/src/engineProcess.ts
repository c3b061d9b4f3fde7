/**
 * One engine process: packages/engine's worker.js, forked with the extension
 * host's own Node, speaking the engine's typed IPC protocol. This module only
 * starts it, checks what it says and ends it; warmEngine.ts runs jobs on it.
 * Every process started here is tracked so `killAllEngines` leaves none
 * behind. No `vscode` here, so the unit tests run it too.
 */
import * as l10n from '@vscode/l10n';
import { ChildProcess } from 'child_process';
import { FromEngine, parseFromEngine, PROTOCOL_VERSION, ToEngine } from '@neural-style/engine/protocol';
import { forkNode } from './nodeProcess';

export type EngineLog = (level: FromEngine<'log'>['level'], message: string) => void;

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

export class EngineProcess {
  /** Resolves with the engine's pid once it said ready in our protocol version; rejects when it cannot. */
  readonly ready: Promise<number>;
  /** Resolves once the process is gone, with why, in a sentence. */
  readonly exited: Promise<string>;
  private readonly child: ChildProcess;
  private readonly messageListeners = new Set<(message: FromEngine) => void>();
  private readonly badListeners = new Set<(why: string) => void>();
  private stderrTail = '';
  private gone = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(workerPath: string, private readonly log: EngineLog) {
    const child = forkNode(workerPath);
    this.child = child;
    live.add(child);
    child.stdout?.on('data', (text: string) => log('info', text.trimEnd()));
    child.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-2000);
      log('warn', text.trimEnd());
    });
    this.exited = new Promise((resolve) => {
      let spawnError = '';
      child.on('error', (e) => {
        spawnError = l10n.t('The engine process could not run: {0}', e.message);
        log('error', `engine process: ${e.message}`);
      });
      child.on('exit', (code, signal) => {
        this.gone = true;
        live.delete(child);
        clearTimeout(this.killTimer);
        log('info', `engine process ${child.pid} exited (${signal ?? `code ${code}`})`);
        resolve(spawnError || this.exitReason(code, signal));
      });
    });
    this.ready = this.waitReady(workerPath);
    this.ready.catch(() => this.kill());
    child.on('message', (raw) => this.receive(raw));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether the process is still there (it may be on its way out). */
  get alive(): boolean {
    return !this.gone;
  }

  /** Every valid message after ready; returns the unsubscribe. */
  onMessage(listener: (message: FromEngine) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** A message outside the protocol: the process is not to be trusted any more. */
  onBadMessage(listener: (why: string) => void): () => void {
    this.badListeners.add(listener);
    return () => this.badListeners.delete(listener);
  }

  send(message: ToEngine): void {
    if (this.child.connected) this.child.send(message);
  }

  /** Asks it to exit, and kills it when it has not within `graceMs`. */
  shutdown(graceMs = 2000): Promise<string> {
    this.send({ type: 'shutdown' });
    if (!this.gone) {
      clearTimeout(this.killTimer);
      this.killTimer = setTimeout(() => this.kill(), graceMs);
    }
    return this.exited;
  }

  kill(): void {
    if (!this.gone) this.child.kill('SIGKILL');
  }

  private waitReady(workerPath: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const off = this.onMessage((message) => {
        if (message.type !== 'ready') return;
        off();
        if (message.version === PROTOCOL_VERSION) resolve(message.pid);
        else reject(Object.assign(new Error(l10n.t('The engine speaks protocol version {0}; this extension needs {1}.', message.version, PROTOCOL_VERSION)), { code: 'EPROTOCOL' }));
      });
      void this.exited.then((why) => reject(Object.assign(new Error(`${why} (${workerPath})`), { code: 'ECRASHED' })));
    });
  }

  private receive(raw: unknown): void {
    let message: FromEngine;
    try {
      message = parseFromEngine(raw);
    } catch (e) {
      this.log('error', (e as Error).message);
      this.badListeners.forEach((listener) => listener((e as Error).message));
      return;
    }
    this.messageListeners.forEach((listener) => listener(message));
  }

  private exitReason(code: number | null, signal: NodeJS.Signals | null): string {
    const tail = this.stderrTail.trim().split('\n').slice(-3).join(' ');
    const how = signal ? l10n.t('signal {0}', signal) : l10n.t('exit code {0}', String(code));
    const stopped = l10n.t('The engine process stopped unexpectedly ({0}).', how);
    return tail ? `${stopped} ${l10n.t('Last output: {0}', tail)}` : stopped;
  }
}

// How a job on an engine process ends is warmEngine.ts's; named here too, where the job manager and the webview runner look for it.
export type { EngineOutcome } from './warmEngine';
