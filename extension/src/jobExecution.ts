/**
 * Where a prepared job runs and running it there: the engine process, or its
 * panel's webview on the GPU. Progress and previews go to the job's record;
 * what the run becomes is its outcome, for the job manager to report.
 */
import * as l10n from '@vscode/l10n';
import * as path from 'path';
import type { FromEngine } from '@neural-style/engine/protocol';
import { type AdapterProbe, chooseRoute, needsEngineGpu, needsProbe, nodeGpuProblem, Route } from './backendRoute';
import type { EngineOutcome } from './engineProcess';
import { computeChannelOf, JobRecord } from './jobRecord';
import { type JobRunner, type PreparedJob, stylePaths } from './jobRunner';
import type { Resources } from './resources';
import { SettingsError } from './settings';
import { runInWebview } from './webviewRunner';
import type { AdapterMemory } from './adapterMemory';

export type Note = (level: 'info' | 'warn' | 'error', line: string) => void;

export interface ExecutionContext {
  runner: JobRunner;
  resources: Resources;
  adapters: AdapterMemory;
  note: Note;
  /** Opens (or reveals) the record's panel: a GPU run needs its webview. */
  openPanel(record: JobRecord): void;
}

export interface RunPlan {
  job: PreparedJob;
  route: Route;
  /** The weights' folder of a webview run ('' for the engine). */
  weightsDir: string;
}

/** Where the job runs, logged with why each better backend was skipped; throws a SettingsError the user must fix. */
export async function planRun(job: PreparedJob, record: JobRecord, context: ExecutionContext): Promise<RunPlan> {
  const choice = job.settings.run.backend;
  const nodeGpu = choice === 'auto' ? nodeGpuProblem(job.settings.enginePath || context.resources.workerPath) : null;
  // The engine's GPU first: it is on the machine with the files (the remote one under Remote-SSH), and asking needs no panel.
  const engineGpu = needsEngineGpu(choice, nodeGpu) ? await context.runner.engineGpu(job) : undefined;
  let probe: AdapterProbe | undefined;
  if (needsProbe(choice, nodeGpu, engineGpu)) {
    probe = await context.adapters.probe(record, () => context.openPanel(record));
  }
  const route = chooseRoute(choice, nodeGpu, probe, engineGpu);
  // The webview runs it: its page must be there.
  if (route.where === 'webview' && !record.livePanel) context.openPanel(record);
  const where = route.where === 'webview' ? `the panel's webview on ${route.backend}: ${route.adapter.name}` : `the engine process (backend ${route.backend})`;
  context.note('info', `${job.id}: runs in ${where}${route.skipped.length ? `; skipped ${route.skipped.join('; ')}` : ''}`);
  return { job, route, weightsDir: route.where === 'webview' ? webviewWeightsDir(job, context.resources) : '' };
}

function webviewWeightsDir(job: PreparedJob, resources: Resources): string {
  const configured = job.settings.weightsPath;
  if (/^https?:\/\//.test(configured)) {
    throw new SettingsError('neuralStyle.weightsPath', l10n.t('Setting {0}: a GPU run in the webview reads a weights folder, not a URL ({1}). Run once on wasm to download it, or give a folder.', 'neuralStyle.weightsPath', configured));
  }
  if (!configured) return resources.bundledWeightsDir;
  return configured.endsWith('model.json') ? path.dirname(configured) : configured;
}

/**
 * Runs the plan until it ends, however it ends; progress and previews go to
 * the record (and `progress`), each progress naming the GPU it runs on
 * ("webgpu: Apple M2 (metal-3)"), as the panel and the status bar show it.
 */
export function executeRun({ job, route, weightsDir }: RunPlan, record: JobRecord, signal: AbortSignal,
  report: (p: FromEngine<'progress'>) => void, context: ExecutionContext): Promise<EngineOutcome> {
  let device = route.where === 'webview' ? `${route.backend}: ${route.adapter.name}` : '';
  const progress = (p: FromEngine<'progress'>) => report(device ? { ...p, backend: device } : p);
  if (route.where === 'engine') {
    return context.runner.execute(job, signal, {
      progress,
      preview: (p) => record.post({ type: 'preview', step: p.step, src: `data:image/png;base64,${p.png}` }),
      backend: (m) => { device = m.adapter ? `${m.name}: ${m.adapter}` : ''; },
    });
  }
  const { request, settings } = job;
  return runInWebview({
    id: job.id, backend: route.backend, adapter: route.adapter, content: request.content, styles: stylePaths(request), output: job.output,
    options: settings.options, maxInputPixels: settings.run.maxInputPixels, gpuMemory: settings.run.gpuMemory, weightsDir, imageWorkerPath: context.resources.imageWorkerPath,
    channel: computeChannelOf(record), signal,
    events: { progress, preview: (step, src) => record.post({ type: 'preview', step, src }), log: context.note },
  });
}
