/**
 * What the engine package's two process entries (worker.ts, image-worker.ts)
 * do alike, the other side of process-client.ts: refuse to run unless forked
 * with an IPC channel, validate every message on arrival and answer one
 * outside the protocol with an EPROTOCOL error, exit when told to or when the
 * parent goes away, and say `ready` once listening.
 */
import { NeuralStyleError } from '../core/errors';

export interface ProcessEntry<To extends { type: string }, From extends { type: string }> {
  /** For the refusal when run by hand: "engine process", "image process". */
  name: string;
  parse(raw: unknown): To;
  /** Every valid message but `shutdown`, which the kit answers by exiting (after `beforeExit`). */
  handle(message: Exclude<To, { type: 'shutdown' }>): void;
  beforeExit?(): void;
  ready: From;
}

/** Sends a message to the host (`then` once it is on its way, or at once without a host). */
export function send<From extends { type: string }>(message: From, then?: () => void): void {
  if (process.connected) process.send!(message, () => then?.());
  else then?.();
}

/** An error's fields for an `error` message: a NeuralStyleError's code and text, anything else as EINTERNAL. */
export function errorFields(error: unknown, withStack = false): { code: string; message: string; known: boolean } {
  const e = error as Error;
  if (e instanceof NeuralStyleError) return { code: e.code, message: e.message, known: true };
  return { code: 'EINTERNAL', message: withStack ? `${e.message}\n${e.stack ?? ''}` : e.message, known: false };
}

/** Starts serving `entry` on this process's IPC channel. */
export function serve<To extends { type: string }, From extends { type: string }>(entry: ProcessEntry<To, From>): void {
  if (!process.send) {
    console.error(`This is the Neural Style ${entry.name}: start it with child_process.fork() and speak its IPC `
      + 'protocol.');
    process.exit(2);
  }
  process.on('message', (raw) => {
    let message: To;
    try {
      message = entry.parse(raw);
    } catch (e) {
      send({ type: 'error', code: 'EPROTOCOL', message: (e as Error).message });
      return;
    }
    if (message.type !== 'shutdown') {
      entry.handle(message as Exclude<To, { type: 'shutdown' }>);
      return;
    }
    entry.beforeExit?.();
    process.disconnect();
    process.exit(0);
  });
  // The parent went away (closed window, crash): nothing left to report to.
  process.on('disconnect', () => process.exit(0));
  send(entry.ready);
}
