/*
 * A host's side of one job in an engine process: which messages belong to the
 * job, which pass on as events and which end it. The engine client
 * (node/engine-client.ts) settles every job through it, for the CLI and the
 * VS Code extension alike. Plain data in, callbacks out: no Node API.
 */
import type { FromEngine } from './protocol';

/** How a job in an engine process ended, as the engine said it. */
export type EngineJobEnd =
  | { kind: 'done'; done: FromEngine<'done'> }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string; code: string; retiring?: boolean };

export interface JobMessageEvents {
  log?(level: FromEngine<'log'>['level'], message: string): void;
  backend?(message: FromEngine<'backend'>): void;
  /** What the job will do and take, before its first progress. */
  plan?(message: FromEngine<'plan'>): void;
  progress?(message: FromEngine<'progress'>): void;
  preview?(message: FromEngine<'preview'>): void;
  /** A scale's checkpoint is written: where a later run may resume. */
  checkpoint?(message: FromEngine<'checkpoint'>): void;
  /** A clip's frame is painted and written. */
  frame?(message: FromEngine<'frame'>): void;
  /** A refusal of another request (a late cancel): worth a log line, not the end of the job. */
  refused?(message: FromEngine<'refused'>): void;
}

/**
 * One message from the engine, for the job `id`: passes it on to `events`, and
 * returns the job's end when the message ends it. `ready` and `gpu` are the caller's.
 */
export function jobMessage(message: FromEngine, id: string, events: JobMessageEvents): EngineJobEnd | undefined {
  // A warm engine runs jobs one after another: a straggler of an earlier one is not this job's.
  if (message.type !== 'refused' && 'id' in message && message.id !== undefined && message.id !== id) return undefined;
  switch (message.type) {
    case 'ready':
    case 'gpu':
      return undefined;
    case 'log':
      events.log?.(message.level, message.message);
      return undefined;
    case 'backend':
      events.backend?.(message);
      return undefined;
    case 'plan':
      events.plan?.(message);
      return undefined;
    case 'progress':
      events.progress?.(message);
      return undefined;
    case 'preview':
      events.preview?.(message);
      return undefined;
    case 'checkpoint':
      events.checkpoint?.(message);
      return undefined;
    case 'frame':
      events.frame?.(message);
      return undefined;
    case 'refused':
      // A refusal answers one request; only a refused start of this job ends it.
      if (message.request === 'start' && message.id === id) {
        return { kind: 'error', message: message.message, code: message.code };
      }
      events.refused?.(message);
      return undefined;
    case 'done':
      return { kind: 'done', done: message };
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'error':
      return {
        kind: 'error', message: message.message, code: message.code, ...(message.retiring ? { retiring: true } : {}),
      };
  }
}
