/**
 * A host's side of one of the engine package's processes (worker.ts,
 * image-worker.ts, both on process-entry.ts): forks it with no shell, reads
 * its messages through its protocol's parser, keeps the end of its stderr,
 * says in a sentence why it stopped, and ends it: asked, then killed after a
 * grace. Node's child_process only, no tfjs and no sharp: the VS Code
 * extension host runs it.
 */
import { ChildProcess, fork } from 'child_process';

export interface ProcessOptions {
  /** The Node that runs it, and its environment (VS Code: its own Electron, as Node); default: this process's. */
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Its stdout, passed to `onStdout`, or ignored (the CLI keeps its own stdout for JSON lines). */
  stdout?: 'pipe' | 'ignore';
  /** A process group of its own (the CLI's: a terminal's Ctrl-C reaches only the CLI, which ends it). */
  detached?: boolean;
  onStdout?(text: string): void;
  onStderr?(text: string): void;
}

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why it never ran (the spawn failed). */
  startError?: string;
  /** The last lines of its stderr, on one line ('' when it said nothing). */
  lastOutput: string;
}

/** The words an exit is told in: English for the CLI, the user's language in VS Code. */
export interface ExitWords {
  couldNotRun(error: string): string;
  /** `how`: signal(…) or exitCode(…). */
  stopped(how: string): string;
  signal(name: string): string;
  exitCode(code: string): string;
  /** Absent: the sentence leaves the process's last output out. */
  lastOutput?(tail: string): string;
}

/** Why a process stopped, in a sentence (its last output appended, where the words have a place for it). */
export function explainExit(exit: ProcessExit, words: ExitWords): string {
  if (exit.startError !== undefined) return words.couldNotRun(exit.startError);
  const stopped = words.stopped(exit.signal ? words.signal(exit.signal) : words.exitCode(String(exit.code)));
  return exit.lastOutput && words.lastOutput ? `${stopped} ${words.lastOutput(exit.lastOutput)}` : stopped;
}

/** What of a process's stderr is kept for its exit's explanation: enough for a stack's last lines. */
const STDERR_KEPT = 2000;

/** A forked process speaking `To` and `From` (each a union of messages keyed on `type`, with a `shutdown`). */
export class ProcessClient<To extends { type: string }, From extends { type: string }> {
  /** Resolves once the process is gone (never rejects). */
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private readonly messageListeners = new Set<(message: From) => void>();
  private readonly badListeners = new Set<(why: string) => void>();
  private stderrTail = '';
  private gone = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(readonly script: string, private readonly parse: (raw: unknown) => From, options: ProcessOptions = {}) {
    // No shell: the script's path is one argument, whatever a user folder's name holds (spaces, quotes, `&`, `%`, é).
    const child = fork(script, [], {
      execPath: options.execPath, env: options.env, detached: options.detached,
      stdio: ['ignore', options.stdout ?? 'pipe', 'pipe', 'ipc'], serialization: 'json',
    });
    this.child = child;
    // Read as UTF-8, so that a character split between two chunks (an é in a path) stays whole.
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => options.onStdout?.(text));
    child.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_KEPT);
      options.onStderr?.(text);
    });
    child.on('message', (raw) => this.receive(raw));
    this.exited = new Promise((resolve) => {
      const end = (exit: Omit<ProcessExit, 'lastOutput'>) => {
        if (this.gone) return;
        this.gone = true;
        clearTimeout(this.killTimer);
        resolve({ ...exit, lastOutput: this.stderrTail.trim().split('\n').slice(-3).join(' ') });
      };
      // An error after the spawn (a failed send or kill) is no end: the exit event comes when the process goes.
      child.on('error', (e) => {
        if (child.pid === undefined) end({ code: null, signal: null, startError: e.message });
      });
      child.on('exit', (code, signal) => end({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether the process is still there (it may be on its way out). */
  get alive(): boolean {
    return !this.gone;
  }

  /** Every message that fits the protocol; returns the unsubscribe. */
  onMessage(listener: (message: From) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** A message outside the protocol (why, in a sentence): the process is not to be trusted any more. */
  onBadMessage(listener: (why: string) => void): () => void {
    this.badListeners.add(listener);
    return () => this.badListeners.delete(listener);
  }

  send(message: To): void {
    if (this.child.connected) this.child.send(message);
  }

  /** Asks it to exit, and kills it when it has not within `graceMs`; resolves once it is gone. */
  shutdown(graceMs = 2000): Promise<ProcessExit> {
    this.send({ type: 'shutdown' } as To);
    if (!this.gone) {
      clearTimeout(this.killTimer);
      this.killTimer = setTimeout(() => this.kill(), graceMs);
    }
    return this.exited;
  }

  /**
   * Ends it at once (SIGKILL): it writes nothing more (and every write of the engine is a temp file until its last
   * step).
   */
  kill(): void {
    if (!this.gone) this.child.kill('SIGKILL');
  }

  private receive(raw: unknown): void {
    let message: From;
    try {
      message = this.parse(raw);
    } catch (e) {
      this.badListeners.forEach((listener) => listener((e as Error).message));
      return;
    }
    this.messageListeners.forEach((listener) => listener(message));
  }
}
