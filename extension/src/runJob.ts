/**
 * One job, from the queue's start to its end, each step once: prepare (its
 * settings, a free output path) → route (the engine process or its panel's
 * webview) → execute. It reports through one callback of plain records
 * (RunReport) and returns how the job ended; the job manager passes both on
 * to whatever shows jobs. Pure: no `vscode` (the settings come through
 * RunContext.configOf).
 */
import type { BackendChoice } from '@neural-style/engine/options';
import { formatDuration } from '@neural-style/engine/options';
import { AdapterMemory } from './adapterMemory';
import type { Checkpoint } from './checkpoints';
import type { EngineOutcome } from './engineTypes';
import { framesKeptOf, restartsClip } from './clipRun';
import { type ExecuteContext, type ExecuteEvents, executeJob } from './executeJob';
import type { JobOutcome, RunReport } from './jobChange';
import type { JobPanelPort } from './jobRecord';
import type { JobRequest } from './jobRequest';
import { type JobConfig, type PreparedJob, prepareJob } from './prepareJob';
import type { Resources } from './resources';
import { type JobLog, type RouteContext, routeJob, type RunPlan } from './routeJob';
import { SettingsError } from './settings';
import type { SpeedStore } from './speedStore';
import { WarmEngine } from './warmEngine';

/** What runJob needs of the window: the engine, the GPUs, the outputs being written, the settings. */
export type RunContext = RouteContext & ExecuteContext & {
  /** The settings as a job of `content` reads them (its workspace folder's). */
  configOf(content: string): JobConfig;
};

/** A queued job, as it starts. */
export interface JobToRun {
  id: string;
  request: JobRequest;
  /** Instead of the backend setting ("Run on CPU instead"). */
  backend?: BackendChoice;
  /** When *Stylize* queued it (Date.now()): the log says how long the first progress took. */
  queuedAt: number;
  /** Start after this scale of a run a reload interrupted (on the engine process; a webview run starts over). */
  resume?: Checkpoint;
}

/** The window's context: one engine process kept warm between jobs, stopped by `dispose`. */
export function windowRunContext(resources: Resources, log: JobLog, configOf: RunContext['configOf'],
  speeds?: SpeedStore, checkpoints?: string): RunContext & { dispose(): Promise<void> } {
  const engine: WarmEngine = new WarmEngine(() => context.engineIdleMinutes * 60_000,
    (level, message) => log(level, `engine: ${message}`));
  const context: RunContext & { dispose(): Promise<void> } = {
    engine, adapters: new AdapterMemory(), resources, reserved: new Set<string>(), engineIdleMinutes: 10, log, configOf,
    speeds, checkpoints,
    dispose: () => engine.stop(),
  };
  return context;
}

export async function runJob(job: JobToRun, panel: JobPanelPort, signal: AbortSignal, context: RunContext,
  report: (change: RunReport) => void): Promise<JobOutcome> {
  const { id, request, queuedAt } = job;
  const startedAt = Date.now();
  let plan: RunPlan;
  try {
    const prepared = prepareJob(id, request, context.configOf(request.content), job.backend, context.reserved);
    plan = await routeJob(prepared, panel, context);
  } catch (e) {
    const { message } = e as Error;
    context.log('error', `${id}: ${message}`);
    return { outcome: 'invalid', message, ...(e instanceof SettingsError ? { setting: e.setting } : {}) };
  }
  report({ id, kind: 'running', job: plan.job, where: plan.where });
  const started = Date.now();
  // Where the wait before the first progress goes: the queue, the settings and the route, the engine's first step.
  const waited = `waited ${startedAt - queuedAt} ms, prepared and routed in ${started - startedAt} ms`;
  let first = true;
  let frames = 0;
  const events: ExecuteEvents = {
    engine: (warm) => report({ id, kind: 'engine', warm }),
    plan: (estimate) => report({ id, kind: 'plan', estimate }),
    progress: (progress) => {
      if (first) {
        context.log('info', `${id}: first progress ${Date.now() - queuedAt} ms after Stylize `
          + `(${waited}, then ${Date.now() - started} ms to run its first step)`);
      }
      first = false;
      report({ id, kind: 'progress', progress });
    },
    preview: (step, src) => report({ id, kind: 'preview', step, src }),
    checkpoint: (checkpoint) => report({ id, kind: 'checkpoint', checkpoint }),
    frame: (frame) => {
      frames++;
      report({ id, kind: 'frame', ...frame });
    },
  };
  const run = (p: RunPlan) => executeJob({ ...p, resume: job.resume }, panel, signal, context, events);
  const { outcome, last } = await runClipToEnd(plan, run, () => frames, signal, context.log);
  return outcomeOf(id, outcome, Date.now() - started, context, last.job, frames);
}

/**
 * Runs `plan`; a clip whose engine died mid-clip goes on after its last finished frame on a new engine (clipRun.ts).
 * Returns how the last run ended, and its plan.
 */
async function runClipToEnd(plan: RunPlan, run: (plan: RunPlan) => Promise<EngineOutcome>, frames: () => number,
  signal: AbortSignal, log: JobLog): Promise<{ outcome: EngineOutcome; last: RunPlan }> {
  let outcome = await run(plan);
  let restarts = 0, before = 0;
  while (plan.job.clip && restartsClip({ outcome: outcome.kind, framesThisRun: frames() - before, restarts,
    cancelled: signal.aborted })) {
    const why = outcome.kind === 'crashed' ? outcome.message : outcome.kind;
    log('warn', `${plan.job.id}: the engine died after frame ${frames()} was written (${why}); the clip goes on after `
      + 'its last finished frame on a new engine');
    plan = { ...plan, job: { ...plan.job, clip: { ...plan.job.clip, resume: true } } };
    [restarts, before] = [restarts + 1, frames()];
    outcome = await run(plan);
  }
  return { outcome, last: plan };
}

/**
 * The job's end, as the log says it; a lost GPU makes the next job probe the GPUs again. A cancelled clip keeps its
 * frames (`frames`: those this job finished).
 */
function outcomeOf(id: string, outcome: EngineOutcome, ms: number, context: RunContext, job: PreparedJob,
  frames: number): JobOutcome {
  switch (outcome.kind) {
    case 'done': {
      const { output, elapsedMs, steps, backend } = outcome.done;
      context.log('info', `${id}: done in ${formatDuration(elapsedMs)} (${steps} iterations on ${backend}); `
        + `wrote ${output}`);
      return { outcome: 'done', output, elapsedMs, steps, backend };
    }
    case 'cancelled': {
      const framesKept = job.clip && framesKeptOf(job.output, job.clip.resume, frames);
      context.log('info', `${id}: cancelled after ${formatDuration(ms)}; `
        + `${framesKept ? `its finished frames are kept in ${framesKept}` : 'nothing was written'}`);
      return framesKept ? { outcome: 'cancelled', framesKept } : { outcome: 'cancelled' };
    }
    case 'error':
      if (outcome.code === 'EGPULOST') context.adapters.forget();
      context.log('error', `${id}: ${outcome.message}`);
      return { outcome: 'error', message: outcome.message, code: outcome.code };
    case 'crashed':
      context.log('error', `${id}: ${outcome.message}`);
      return { outcome: 'crashed', message: outcome.message };
  }
}
