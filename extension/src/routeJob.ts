/**
 * A job's second step: where it runs — the engine process, or its panel's
 * webview on the GPU — asking only what the backend setting needs (the
 * engine's GPU first, then the webview's), logged with why each better
 * backend was skipped. Pure: no `vscode`; the choice itself is backendRoute.ts.
 */
import * as l10n from '@vscode/l10n';
import * as os from 'os';
import * as path from 'path';
import { type BackendChoice, softwareReason } from '@neural-style/engine/options';
import type { WhereView } from '../shared/protocol';
import { gpuName } from '../shared/where';
import type { AdapterMemory } from './adapterMemory';
import { type AdapterProbe, chooseRoute, needsEngineGpu, needsProbe, nodeGpuProblem, type Route } from './backendRoute';
import type { EngineClient, EngineConfig, EngineGpu } from './engineTypes';
import type { JobPanelPort } from './jobRecord';
import type { PreparedJob } from './prepareJob';
import type { Resources } from './resources';
import { SettingsError } from './settings';

/** A line for the log (the log stays English). */
export type JobLog = (level: 'info' | 'warn' | 'error', line: string) => void;

export interface RouteContext {
  engine: Pick<EngineClient, 'probeGpu'>;
  adapters: AdapterMemory;
  resources: Pick<Resources, 'workerPath' | 'weightsDir' | 'bundledWeightsDir'>;
  log: JobLog;
}

export interface RunPlan {
  job: PreparedJob;
  route: Route;
  /** The engine process the job's settings ask for (it runs the job, or says which GPU it has). */
  engine: EngineConfig;
  /** The weights' folder of a webview run ('' for the engine). */
  weightsDir: string;
  /** Where it runs, for the panel's words. */
  where: WhereView;
}

/** Where the job runs; throws a SettingsError the user must fix. A webview run's panel is opened. */
export async function routeJob(job: PreparedJob, panel: JobPanelPort, context: RouteContext): Promise<RunPlan> {
  const { settings } = job;
  const choice = settings.run.backend;
  const engine: EngineConfig = {
    workerPath: settings.enginePath || context.resources.workerPath,
    backend: choice,
    weights: settings.weightsPath || context.resources.weightsDir || undefined,
  };
  const nodeGpu = choice === 'auto' ? nodeGpuProblem(engine.workerPath) : null;
  // The engine's GPU first: it is on the machine with the files (the remote one under Remote-SSH),
  // and asking needs no panel.
  const engineGpu = needsEngineGpu(choice, nodeGpu) ? await context.engine.probeGpu(engine) : undefined;
  // Regions and clips are the engine process's: the webview's compute takes no masks and no frames, so such a job is
  // never routed there.
  const regions = job.request.masks !== undefined;
  const clip = job.request.clip !== undefined;
  if (regions) checkRegionsBackend(choice, engineGpu);
  if (clip) checkClipBackend(choice, engineGpu);
  let probe: AdapterProbe | undefined;
  if (!regions && !clip && needsProbe(choice, nodeGpu, engineGpu)) probe = await context.adapters.probe(panel);
  const route = chooseRoute(choice, nodeGpu, probe, engineGpu);
  // The webview runs it: its page must be there.
  if (route.where === 'webview') panel.open();
  const where = route.where === 'webview' ? `the panel's webview on ${route.backend}: ${route.adapter.name}`
    : `the engine process (backend ${route.backend})`;
  const skipped = route.skipped.length ? `; skipped ${route.skipped.join('; ')}` : '';
  context.log('info', `${job.id}: runs in ${where}${skipped}`);
  const weightsDir = route.where === 'webview' ? webviewWeightsDir(job, context.resources) : '';
  return { job, route, engine, weightsDir, where: whereOf(route, engineGpu, probe ?? context.adapters.last) };
}

/**
 * A job with regions runs in the engine process: a backend that would run it in the webview (WebGL2 there, or WebGPU
 * when the engine has none) is refused, naming the setting.
 */
function checkRegionsBackend(choice: BackendChoice, engineGpu?: EngineGpu): void {
  if (choice !== 'webgl' && (choice !== 'webgpu' || engineGpu?.adapter)) return;
  throw new SettingsError('neuralStyle.backend', l10n.t(
    'Setting {0}: regions are painted by the engine process, and {1} would run the job in the panel\'s webview, which takes no masks yet. Set {0} to auto, or clear the regions.',
    'neuralStyle.backend', choice));
}

/**
 * A clip runs in the engine process too (its frames are files): a backend that would run it in the webview is
 * refused.
 */
function checkClipBackend(choice: BackendChoice, engineGpu?: EngineGpu): void {
  if (choice !== 'webgl' && (choice !== 'webgpu' || engineGpu?.adapter)) return;
  throw new SettingsError('neuralStyle.backend', l10n.t(
    'Setting {0}: an animation is painted by the engine process, and {1} would run it in the panel\'s webview. Set {0} to auto to paint animations.',
    'neuralStyle.backend', choice));
}

/**
 * The panel's view of the route: the GPU it runs on (when it does), why not
 * (the log's skip reasons) and a hardware GPU the panel may choose instead.
 */
export function whereOf(route: Route, engineGpu?: EngineGpu, probe?: AdapterProbe): WhereView {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const engineAdapter = engineGpu?.adapter && !engineGpu.adapter.software ? engineGpu.adapter : undefined;
  const webview = (['webgpu', 'webgl'] as const).find((b) => probe?.[b] && !softwareReason(probe[b]!));
  const choice = engineAdapter ? { name: gpuName(engineAdapter.name), backend: 'webgpu' as const }
    : webview && { name: gpuName(probe![webview]!.name), backend: webview };
  const gpu = route.where === 'webview' ? gpuName(route.adapter.name) : choice?.name;
  const whyNotGpu = route.skipped.filter((s) => !s.startsWith('note:')).join('; ') || undefined;
  return { cores, ...(gpu ? { gpu } : {}), ...(whyNotGpu ? { whyNotGpu } : {}),
    ...(choice ? { gpuChoice: choice } : {}) };
}

function webviewWeightsDir(job: PreparedJob, resources: Pick<Resources, 'bundledWeightsDir'>): string {
  const configured = job.settings.weightsPath;
  if (/^https?:\/\//.test(configured)) {
    throw new SettingsError('neuralStyle.weightsPath', l10n.t(
      'Setting {0}: a GPU run in the webview reads a weights folder, not a URL ({1}). Run once on wasm to download it, or give a folder.',
      'neuralStyle.weightsPath', configured));
  }
  if (!configured) return resources.bundledWeightsDir;
  return configured.endsWith('model.json') ? path.dirname(configured) : configured;
}
