/**
 * Where a job runs: in the engine process (tfjs-node-gpu, WebGPU through
 * Dawn, tfjs-node, wasm, cpu) or in its panel's webview on the GPU (WebGPU,
 * WebGL2). `auto` tries tfjs-node-gpu → the engine's WebGPU (Dawn, on the
 * machine the engine runs on: the remote one under Remote-SSH, WSL or
 * Codespaces) → the webview's WebGPU → its WebGL2 → the engine's own order
 * (tfjs-node → wasm → cpu), and skips a software adapter or renderer: on one,
 * every GPU backend is slower than wasm. Every skip says why, for the log.
 * Pure: no `vscode`, so the unit tests run it.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'fs';
import * as path from 'path';
import {
  type BackendChoice, NeuralStyleError, softwareReason, type WebviewBackend,
} from '@neural-style/engine/options';
import type { EngineGpu } from './engineTypes';
import type { AdapterView, FromCompute } from '../shared/protocol';

export type Route =
  | { where: 'engine'; backend: BackendChoice; skipped: string[] }
  | { where: 'webview'; backend: WebviewBackend; adapter: AdapterView; skipped: string[] };

export type AdapterProbe = Omit<FromCompute & { type: 'adapters' }, 'type'>;

const LABEL: Record<WebviewBackend, string> = { webgpu: 'WebGPU', webgl: 'WebGL2' };

/**
 * The webview backend asked for by name: run it even on a software adapter
 * (the user chose it), else say why it cannot.
 */
function forced(backend: WebviewBackend, probe: AdapterProbe, skipped: string[] = []): Route {
  const adapter = probe[backend];
  if (!adapter) {
    const problem = probe[backend === 'webgpu' ? 'webgpuProblem' : 'webglProblem'] ?? l10n.t('not available');
    const instead = backend === 'webgpu' ? 'auto, webgl' : 'auto';
    const message = l10n.t('{0} is not available in this VS Code\'s webview: {1}. Set {2} to {3} or wasm.',
      LABEL[backend], problem, 'neuralStyle.backend', instead);
    throw new NeuralStyleError(message, 'EBACKEND');
  }
  const software = softwareReason(adapter);
  return { where: 'webview', backend, adapter, skipped: [...skipped, ...chosenAnyway(software, backend)] };
}

/** The note that a software adapter runs because the setting names its backend. */
function chosenAnyway(software: string | null | undefined, backend: string): string[] {
  return software ? [`note: ${software}; running it because neuralStyle.backend is ${backend}`] : [];
}

/** Why the engine's WebGPU does not serve `auto` (no adapter, or a software one), or null when it does. */
function engineGpuSkip(engineGpu?: EngineGpu): string | null {
  if (!engineGpu) return 'webgpu in the engine: not probed';
  if (!engineGpu.adapter) return `webgpu in the engine: ${(engineGpu.problem ?? 'no adapter').replace(/^webgpu: /, '')}`;
  return engineGpu.adapter.software ? `webgpu in the engine: ${engineGpu.adapter.software}` : null;
}

/**
 * The route for `choice`. `nodeGpu` is null when tfjs-node-gpu is installed
 * with its native library, else why not; `engineGpu` is what the engine's
 * WebGPU found, `probe` what the webview found (each only asked for when the
 * choice needs it: see needsEngineGpu, needsProbe).
 */
export function chooseRoute(choice: BackendChoice, nodeGpu: string | null, probe?: AdapterProbe,
  engineGpu?: EngineGpu): Route {
  if (choice !== 'auto' && choice !== 'webgpu' && choice !== 'webgl') {
    return { where: 'engine', backend: choice, skipped: [] };
  }
  if (choice === 'webgl') return forced(choice, probe ?? {});
  if (choice === 'webgpu') {
    if (engineGpu?.adapter) {
      return { where: 'engine', backend: 'webgpu', skipped: chosenAnyway(engineGpu.adapter.software, 'webgpu') };
    }
    return forced('webgpu', probe ?? {}, [engineGpuSkip(engineGpu)!]);
  }
  if (nodeGpu === null) return { where: 'engine', backend: 'auto', skipped: [] };
  const skipped = [nodeGpu];
  const engineSkip = engineGpuSkip(engineGpu);
  if (engineSkip === null) return { where: 'engine', backend: 'auto', skipped };
  skipped.push(engineSkip);
  for (const backend of ['webgpu', 'webgl'] as const) {
    const adapter = probe?.[backend];
    if (!adapter) {
      skipped.push(`${backend}: ${probe?.[backend === 'webgpu' ? 'webgpuProblem' : 'webglProblem'] ?? 'not probed'}`);
      continue;
    }
    const software = softwareReason(adapter);
    if (!software) return { where: 'webview', backend, adapter, skipped };
    skipped.push(`${backend}: ${software}`);
  }
  return { where: 'engine', backend: 'auto', skipped };
}

/** Whether `choice` needs the engine's WebGPU adapter to decide (auto asks only when tfjs-node-gpu is not there). */
export function needsEngineGpu(choice: BackendChoice, nodeGpu: string | null): boolean {
  return choice === 'webgpu' || (choice === 'auto' && nodeGpu !== null);
}

/** Whether `choice` needs the webview's adapters too: not when the engine's GPU already decides it. */
export function needsProbe(choice: BackendChoice, nodeGpu: string | null, engineGpu?: EngineGpu): boolean {
  if (choice === 'webgl') return true;
  if (choice === 'webgpu') return !engineGpu?.adapter;
  return choice === 'auto' && nodeGpu !== null && engineGpuSkip(engineGpu) !== null;
}

/**
 * Whether the engine at `workerPath` has tfjs-node-gpu with its native
 * library (null), else why not: the same files the engine checks before it
 * loads it, read without loading it (the host never loads tfjs).
 */
export function nodeGpuProblem(workerPath: string): string | null {
  let dir: string;
  try {
    const paths = [path.dirname(workerPath)];
    dir = path.dirname(require.resolve('@tensorflow/tfjs-node-gpu/package.json', { paths }));
  } catch {
    return 'tfjs-node-gpu: not installed';
  }
  const lib = path.join(dir, 'lib');
  const found = fs.existsSync(lib) && fs.readdirSync(lib)
    .some((d) => d.startsWith('napi-v') && fs.existsSync(path.join(lib, d, 'tfjs_binding.node')));
  return found ? null : 'tfjs-node-gpu: installed without its native library';
}
