/**
 * A job's last step: its plan run until it ends, however it ends — on the
 * window's warm engine (the output reserved meanwhile, a stopped engine's
 * temp files removed) or in its panel's webview. Each progress names the
 * device it runs on ("webgpu: Apple M2 (metal-3)"), as the panel and the
 * status bar show it. Pure: no `vscode`.
 */
import { removeTempsOf } from '@neural-style/engine/atomic';
import { pathKey } from '@neural-style/engine/file-names';
import type { FromEngine } from '@neural-style/engine/protocol';
import type { Checkpoint } from './checkpoints';
import type { EngineClient, EngineEvents, EngineOutcome } from './engineTypes';
import type { JobPanelPort } from './jobRecord';
import { stylePaths } from './jobRequest';
import type { Resources } from './resources';
import type { SpeedStore } from './speedStore';
import type { JobLog, RunPlan } from './routeJob';
import { runInWebview } from './webviewRunner';

export interface ExecuteContext {
  engine: Pick<EngineClient, 'run'>;
  resources: Pick<Resources, 'imageWorkerPath'>;
  /** Outputs of running jobs, by pathKey (`A.png` is `a.png` on Windows and macOS): taken, though not on disk yet. */
  reserved: Set<string>;
  /** How long the warm engine waits for the next job: the last job's settings say. */
  engineIdleMinutes: number;
  /** This machine's speeds: given to the engine's estimate, and what a run measured kept. */
  speeds?: Pick<SpeedStore, 'all' | 'keep'>;
  /** The folder the engine writes the jobs' checkpoints to (checkpoints.ts); none: no checkpoints. */
  checkpoints?: string;
  log: JobLog;
}

export interface ExecuteEvents {
  /** The job is on its engine process: `warm` if that process ran a job before. */
  engine?(warm: boolean): void;
  /** What the run will do and take, before its first progress. */
  plan?(estimate: FromEngine<'plan'>['estimate']): void;
  progress(progress: FromEngine<'progress'>): void;
  /** A preview as a PNG data URL. */
  preview(step: number, src: string): void;
  /** A scale finished and the engine wrote its image: what a reload goes on from. */
  checkpoint?(checkpoint: Checkpoint): void;
  /** A clip's frame (1-based, of `frames`) is painted and written to `file`; `src` its small preview, a data URL. */
  frame?(frame: ClipFrameView): void;
}

/** A clip's finished frame, as the panel's strip shows it. */
export interface ClipFrameView {
  frame: number;
  frames: number;
  file: string;
  src: string;
}

/** A job's route, and the checkpoint it resumes from. */
export type ExecutePlan = RunPlan & { resume?: Checkpoint };

export function executeJob(plan: ExecutePlan, panel: JobPanelPort, signal: AbortSignal, context: ExecuteContext,
  events: ExecuteEvents): Promise<EngineOutcome> {
  const { route, job } = plan;
  let device = route.where === 'webview' ? `${route.backend}: ${route.adapter.name}` : '';
  const progress = (p: FromEngine<'progress'>) => events.progress(device ? { ...p, backend: device } : p);
  if (route.where === 'engine') {
    return onEngine(plan, signal, context, {
      progress,
      started: (warm) => events.engine?.(warm),
      plan: (m) => events.plan?.(m.estimate),
      preview: (p) => events.preview(p.step, `data:image/png;base64,${p.png}`),
      backend: (m) => { device = m.adapter ? `${m.name}: ${m.adapter}` : ''; },
      checkpoint: ({ scale, scales, steps, file }) => events.checkpoint?.({ scale, scales, steps, file }),
      frame: ({ frame, frames, file, png }) => events.frame?.({ frame, frames, file, src: `data:image/png;base64,${png}` }),
    });
  }
  const { request, settings } = job;
  const kept = context.speeds?.all().find((s) => s.backend === route.backend)?.speed;
  const outcome = runInWebview({
    id: job.id, backend: route.backend, adapter: route.adapter, content: request.content, styles: stylePaths(request),
    output: job.output, options: settings.options, maxInputPixels: settings.run.maxInputPixels,
    gpuMemory: settings.run.gpuMemory, memory: settings.run.memory,
    weightsDir: plan.weightsDir, imageWorkerPath: context.resources.imageWorkerPath,
    channel: panel.channel, signal, ...(kept ? { speed: kept } : {}),
    ...(context.checkpoints !== undefined ? { checkpoints: context.checkpoints } : {}),
    ...(plan.resume ? { resume: plan.resume } : {}),
    events: { plan: events.plan, progress, preview: events.preview, log: context.log, checkpoint: events.checkpoint },
  });
  // Kept by the backend's name ("webgpu"), as the next run on it asks; the done's backend names the device too.
  return outcome.then((end) => {
    if (end.kind === 'done' && end.done.speed) void context.speeds?.keep(route.backend, end.done.speed);
    return end;
  });
}

/** The job's checkpoints folder, and where it resumes: the scale after its checkpoint's. */
function checkpointsOf(checkpoints: string | undefined, resume: Checkpoint | undefined) {
  if (checkpoints === undefined) return {};
  if (!resume) return { checkpoints };
  return { checkpoints, resume: { fromScale: resume.scale + 1, image: resume.file, steps: resume.steps } };
}

/** A clip's part of the engine's job: `resume` only when it goes on, as the CLI's --resume. */
function clipSpec({ temporalWeight, resume }: NonNullable<ExecutePlan['job']['clip']>) {
  return { temporalWeight, ...(resume ? { resume: true } : {}) };
}

/** Runs the job on the warm engine; a stopped engine's temp files are removed. */
async function onEngine({ job, engine, resume }: ExecutePlan, signal: AbortSignal, context: ExecuteContext,
  events: Pick<EngineEvents, 'progress' | 'preview' | 'backend' | 'plan' | 'checkpoint' | 'frame'>
    & { started(warm: boolean): void }): Promise<EngineOutcome> {
  const { id, request, settings: { options, run }, output } = job;
  const { log } = context;
  const regions = request.masks ? ` masked by ${request.masks.join(', ')}` : '';
  log('info', `${id}: ${request.content} + ${stylePaths(request).join(' + ')}${regions}`
    + (job.clip ? ` as a clip${job.clip.resume ? ', going on after its last finished frame' : ''}` : '') + ` → ${output} `
    + `(size ${options.size}, ${options.iterations} iterations, ${options.optimizer}, backend ${run.backend})`);
  context.reserved.add(pathKey(output));
  context.engineIdleMinutes = job.settings.engineIdleMinutes;
  let enginePid = 0;
  let outcome: EngineOutcome;
  try {
    outcome = await context.engine.run(engine, {
      id,
      // The name is free now; should another program take it before the engine's last step,
      // the engine takes the next free one.
      job: { content: request.content, styles: stylePaths(request), ...(request.masks ? { masks: request.masks } : {}),
        output, options, maxInputPixels: run.maxInputPixels, gpuMemory: run.gpuMemory, memory: run.memory,
        // A clip keeps its frames instead of checkpoints: it goes on after its last frame.
        ifExists: 'number', ...(job.clip ? { clip: clipSpec(job.clip) } : checkpointsOf(context.checkpoints, resume)) },
      signal,
      speeds: context.speeds?.all(),
      events: {
        ...events,
        started: (pid, warm) => {
          enginePid = pid;
          events.started(warm);
          log('info', `${id}: ${warm ? 'warm' : 'new'} engine process ${pid} (${engine.workerPath})`);
        },
        log: (level, message) => log(level, `${id}: ${message}`),
      },
    });
  } finally {
    context.reserved.delete(pathKey(output));
  }
  const { speeds } = context;
  if (outcome.kind === 'done' && outcome.done.speed) void speeds?.keep(outcome.done.backend, outcome.done.speed);
  if (outcome.kind !== 'done' && enginePid) {
    for (const f of removeTempsOf(output, enginePid)) log('info', `${id}: removed ${f}, left by the stopped engine`);
  }
  return outcome;
}
