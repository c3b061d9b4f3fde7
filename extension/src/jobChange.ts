/**
 * What happens to a job, as one plain record per change: the queue's moves
 * (queued, starting, ended) and what runJob reports (running, progress,
 * preview). The job manager passes each to the job's panel, then to
 * everything else that shows jobs (jobViews.ts). Pure: no `vscode`.
 */
import * as path from 'path';
import type { FromEngine } from '@neural-style/engine/protocol';
import type { BatchCounts } from '../shared/batchProgress';
import type { Checkpoint } from './checkpoints';
import type { ClipFrameView } from './executeJob';
import { controlsOf } from '../shared/controls';
import type { PanelState, ToWebview, WhereView } from '../shared/protocol';
import type { PreparedJob } from './prepareJob';
import type { QueueEntry, RunEnd } from './queue';

/** A job of a batch (the photos one command queued): which photo of how many; `key` names the batch. */
export interface BatchTag {
  key: string;
  index: number;
  size: number;
  /** The batch's photos that ended before a reload, when this job was queued again after one. */
  earlier?: BatchCounts;
}

/** How a job ended; 'invalid': it never ran (a setting to fix, a backend it cannot have). */
export type JobOutcome =
  | { outcome: 'done'; output: string; elapsedMs: number; steps: number; backend: string }
  /** `framesKept`: a clip's folder of the frames it finished, which a later run may go on from. */
  | { outcome: 'cancelled'; framesKept?: string }
  | { outcome: 'invalid'; message: string; setting?: string }
  | { outcome: 'error'; message: string; code: string }
  | { outcome: 'crashed'; message: string };

/** What runJob reports while the job runs. */
export type RunReport = { id: string } & (
  /** Prepared and routed: its settings are read, its output path settled; it runs now. */
  | { kind: 'running'; job: PreparedJob; where?: WhereView }
  /** On its engine process: one that ran a job before (warm), or a new one that loads TensorFlow.js and the weights. */
  | { kind: 'engine'; warm: boolean }
  /** Planned, before its first progress: what it will do and take. */
  | { kind: 'plan'; estimate: FromEngine<'plan'>['estimate'] }
  | { kind: 'progress'; progress: FromEngine<'progress'> }
  | { kind: 'preview'; step: number; src: string }
  /** A scale finished and its image is on disk: what a reload goes on from. */
  | { kind: 'checkpoint'; checkpoint: Checkpoint }
  /** A clip's frame is painted and on disk (its preview a data URL). */
  | ({ kind: 'frame' } & ClipFrameView));

export type JobChange = { id: string; batch?: BatchTag } & (
  /** Queued, or moved in the line: `position` 1 is next. */
  | { kind: 'queued'; position: number }
  /** The queue started it: its settings are about to be read. */
  | { kind: 'starting' }
  | RunReport
  /** It left the queue, however it ended (a queued job cancelled before it ran too). */
  | { kind: 'ended'; end: JobOutcome }
  /** A panel of a result opened from its file: no job runs, but the queue view lists it. */
  | { kind: 'opened' });

/** The queue's state for how a job ended: a job that could not run failed. */
export function runEndOf(end: JobOutcome): RunEnd {
  return end.outcome === 'done' || end.outcome === 'cancelled' ? end.outcome : 'failed';
}

/** A change of the queue's entry; `end`: how its run ended, when it ran to the end of runJob. */
export function changeOfEntry(entry: QueueEntry<unknown>, position: number, end?: JobOutcome): JobChange {
  const { id } = entry;
  switch (entry.state) {
    case 'queued': return { id, kind: 'queued', position };
    case 'running': return { id, kind: 'starting' };
    case 'cancelled': return { id, kind: 'ended', end: end ?? { outcome: 'cancelled' } };
    default: {
      // runJob settles every job it runs: without an end, it threw.
      const message = end ? '' : String((entry.error as Error | undefined)?.message ?? entry.error);
      return { id, kind: 'ended', end: end ?? { outcome: 'error', code: 'EINTERNAL', message } };
    }
  }
}

/** What the job's panel is told of `change` (its state before it is `state`); undefined: nothing. */
export function panelMessageOf(change: JobChange, state: PanelState, now = Date.now()): ToWebview | undefined {
  switch (change.kind) {
    case 'queued': return { type: 'status', status: 'queued', position: change.position };
    case 'running': {
      const { output, settings: { options } } = change.job;
      const job = { ...state.job, status: 'running' as const, position: undefined, outputPath: output,
        size: options.size, iterations: options.iterations };
      // What the panel noted while the job waited ("queued again after a reload") is over now.
      const where = change.where ?? state.where;
      return { type: 'snapshot', state: { ...state, job, controls: controlsOf(options), note: undefined, where } };
    }
    case 'progress': {
      const { type: _type, id: _id, ...progress } = change.progress;
      return { type: 'progress', progress };
    }
    case 'engine': return { type: 'engine', engine: change.warm ? 'warm' : 'new' };
    case 'plan': return { type: 'estimate', estimate: change.estimate };
    case 'preview': return { type: 'preview', step: change.step, src: change.src };
    case 'frame': return { type: 'frame', frame: change.frame, frames: change.frames, src: change.src };
    case 'ended': return endMessageOf(change.end, now);
    case 'starting':
    case 'opened':
    case 'checkpoint':
      return undefined;
  }
}

function endMessageOf(end: JobOutcome, now: number): ToWebview {
  switch (end.outcome) {
    case 'done': {
      const { output, elapsedMs, steps, backend } = end;
      const outputName = path.basename(output);
      return { type: 'done', done: { outputSrc: '', outputName, elapsedMs, steps, backend, finishedAt: now } };
    }
    case 'cancelled': return { type: 'status', status: 'cancelled' };
    case 'error': return { type: 'failed', message: end.message, code: end.code };
    default: return { type: 'failed', message: end.message };
  }
}
