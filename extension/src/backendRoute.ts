/**
 * Where a job runs: in the engine process (tfjs-node-gpu, tfjs-node, wasm,
 * cpu) or in its panel's webview on the GPU (WebGPU, WebGL2). `auto` tries
 * tfjs-node-gpu → webview WebGPU → webview WebGL2 → the engine's own order
 * (tfjs-node → wasm → cpu), and skips a software adapter or renderer: on one,
 * both GPU backends are slower than wasm. Every skip says why, for the log.
 * Pure: no `vscode`, so the unit tests run it.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'fs';
import * as path from 'path';
import { type BackendChoice, NeuralStyleError, type WebviewBackend } from '@neural-style/engine/options';
import type { AdapterView, FromCompute } from '../shared/protocol';

export type Route =
  | { where: 'engine'; backend: BackendChoice; skipped: string[] }
  | { where: 'webview'; backend: WebviewBackend; adapter: AdapterView; skipped: string[] };

export type AdapterProbe = Omit<FromCompute & { type: 'adapters' }, 'type'>;

/** Renderers that are a CPU pretending to be a GPU: SwiftShader (Chromium's), Mesa's llvmpipe/softpipe/lavapipe, Windows' WARP. */
const SOFTWARE_RENDERER = /SwiftShader|llvmpipe|softpipe|lavapipe|Microsoft Basic Render Driver|Software Rasterizer/i;

/** Why `adapter` is a software one, or null for a real GPU. */
export function softwareReason(adapter: AdapterView): string | null {
  if (adapter.fallback) return `${adapter.name} is a fallback (software) adapter, slower than wasm`;
  const match = SOFTWARE_RENDERER.exec(adapter.name);
  return match ? `${adapter.name} is a software renderer (${match[0]}), slower than wasm` : null;
}

const LABEL: Record<WebviewBackend, string> = { webgpu: 'WebGPU', webgl: 'WebGL2' };

/** The webview backend asked for by name: run it even on a software adapter (the user chose it), else say why it cannot. */
function forced(backend: WebviewBackend, probe: AdapterProbe): Route {
  const adapter = probe[backend];
  if (!adapter) {
    const problem = probe[backend === 'webgpu' ? 'webgpuProblem' : 'webglProblem'] ?? l10n.t('not available');
    const instead = backend === 'webgpu' ? 'auto, webgl' : 'auto';
    throw new NeuralStyleError(l10n.t('{0} is not available in this VS Code\'s webview: {1}. Set {2} to {3} or wasm.', LABEL[backend], problem, 'neuralStyle.backend', instead), 'EBACKEND');
  }
  const software = softwareReason(adapter);
  return { where: 'webview', backend, adapter, skipped: software ? [`note: ${software}; running it because neuralStyle.backend is ${backend}`] : [] };
}

/**
 * The route for `choice`. `nodeGpu` is null when tfjs-node-gpu is installed
 * with its native library, else why not; `probe` is what the webview found
 * (only asked for when the choice needs it: see needsProbe).
 */
export function chooseRoute(choice: BackendChoice, nodeGpu: string | null, probe?: AdapterProbe): Route {
  if (choice !== 'auto' && choice !== 'webgpu' && choice !== 'webgl') return { where: 'engine', backend: choice, skipped: [] };
  if (choice !== 'auto') return forced(choice, probe ?? {});
  if (nodeGpu === null) return { where: 'engine', backend: 'auto', skipped: [] };
  const skipped = [nodeGpu];
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

/** Whether `choice` needs the webview's adapters to decide (auto asks only when tfjs-node-gpu is not there). */
export function needsProbe(choice: BackendChoice, nodeGpu: string | null): boolean {
  return choice === 'webgpu' || choice === 'webgl' || (choice === 'auto' && nodeGpu !== null);
}

/**
 * Whether the engine at `workerPath` has tfjs-node-gpu with its native
 * library (null), else why not: the same files the engine checks before it
 * loads it, read without loading it (the host never loads tfjs).
 */
export function nodeGpuProblem(workerPath: string): string | null {
  let dir: string;
  try {
    dir = path.dirname(require.resolve('@tensorflow/tfjs-node-gpu/package.json', { paths: [path.dirname(workerPath)] }));
  } catch {
    return 'tfjs-node-gpu: not installed';
  }
  const lib = path.join(dir, 'lib');
  const found = fs.existsSync(lib) && fs.readdirSync(lib).some((d) => d.startsWith('napi-v') && fs.existsSync(path.join(lib, d, 'tfjs_binding.node')));
  return found ? null : 'tfjs-node-gpu: installed without its native library';
}

/** How the log and the panel name what ran: "webgpu: Apple M2 (metal-3)". */
export function routeName(route: Route): string {
  return route.where === 'webview' ? `${route.backend}: ${route.adapter.name}` : route.backend;
}
