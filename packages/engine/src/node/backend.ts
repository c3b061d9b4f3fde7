import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import { BackendChoice } from '../core/options';
import { NeuralStyleError } from '../core/errors';
import { readbackProblem } from '../core/gpu-readback';
import { backendLine } from '../protocol';
import { DawnAdapter, probeDawn } from './dawn';
import { defaultWasmThreads, setThreadedWasmBackend, threadedWasmUnavailable } from './wasm-threads';

/** The backends a Node process can run: all but WebGL, which needs a browser. */
type NodeBackend = Exclude<BackendChoice, 'auto' | 'webgl'>;

/** Which backend runs, and why each better one did not. */
export interface BackendReport {
  name: NodeBackend;
  /** tfjs's own backend name: tensorflow, wasm or cpu. */
  tfjsBackend: string;
  /** e.g. "wasm (SIMD, 1 thread)". */
  detail: string;
  /** One line per better backend that was skipped: "tfjs-node-gpu: not installed". */
  skipped: string[];
  /** On webgpu: the GPU Dawn runs on, and its limits. */
  adapter?: DawnAdapter;
}

const ORDER: NodeBackend[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];
const PACKAGES: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

let chosen: BackendReport | null = null;
let wasmThreadCount = 1;

/** Short reason a package could not be loaded: not installed, or its native part is missing. */
function loadFailure(pkg: string, error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const short = pkg.replace('@tensorflow/', '');
  if (e?.code === 'MODULE_NOT_FOUND' && String(e.message).includes(`'${pkg}'`)) return `${short}: not installed`;
  const first = String(e?.message ?? e).split('\n')[0].slice(0, 200);
  return `${short}: installed but cannot load (${first})`;
}

// tfjs-node keeps its native addon in lib/napi-vN; without it, require() registers kernels and then throws.
function nativeAddonMissing(pkg: string): string | null {
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return `${pkg.replace('@tensorflow/', '')}: not installed`;
  }
  const lib = path.join(dir, 'lib');
  const found = fs.existsSync(lib) && fs.readdirSync(lib).some((d) => d.startsWith('napi-v') && fs.existsSync(path.join(lib, d, 'tfjs_binding.node')));
  return found ? null : `${pkg.replace('@tensorflow/', '')}: installed without its native library (its install script could not download libtensorflow)`;
}

async function tryNative(kind: 'tensorflow-gpu' | 'tensorflow'): Promise<string | null> {
  const pkg = PACKAGES[kind];
  const missing = nativeAddonMissing(pkg);
  if (missing) return missing;
  try {
    // Lazy: these are optionalDependencies whose install downloads libtensorflow; usually absent.
    require(pkg);
  } catch (error) {
    return loadFailure(pkg, error);
  }
  if (!(await tf.setBackend('tensorflow'))) return `${pkg.replace('@tensorflow/', '')}: loaded but the backend did not initialise`;
  return null;
}

let dawnAdapter: DawnAdapter | undefined;
let webgpuNote = '';

/**
 * Dawn's adapter with tfjs's webgpu backend on it. `auto` skips a software
 * adapter (slower than wasm); asked for by name, it runs there, with a note.
 */
async function tryWebgpu(forced: boolean): Promise<string | null> {
  const probe = await probeDawn();
  if ('problem' in probe) return probe.problem;
  const { adapter } = probe;
  if (adapter.software && !forced) return `webgpu: ${adapter.software}`;
  // Only now: on import it registers a backend that tf.ready() would try first.
  require('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) return `webgpu: the backend did not initialise on ${adapter.name}`;
  const wrong = await readbackProblem();
  if (wrong) return `webgpu: ${adapter.name} reads results back wrong (${wrong.got} where ${wrong.expected} was computed)`;
  dawnAdapter = adapter;
  webgpuNote = adapter.software ? ' (a software adapter, slower than wasm: run because it was asked for)' : '';
  return null;
}

let wasmNote = '';

async function tryWasm(): Promise<string | null> {
  try {
    require('@tensorflow/tfjs-backend-wasm');
    const threads = defaultWasmThreads();
    const unavailable = threads > 1 ? threadedWasmUnavailable() : 'one thread asked for';
    if (unavailable === null) {
      try {
        wasmThreadCount = await setThreadedWasmBackend(threads);
        return null;
      } catch (error) {
        // Fall back to tfjs's own single-threaded loader below.
        wasmNote = `; threads failed: ${String((error as Error).message ?? error).split('\n')[0]}`;
      }
    } else if (threads > 1) {
      wasmNote = `; threads unavailable: ${unavailable}`;
    }
    if (!(await tf.setBackend('wasm'))) return 'wasm: the backend did not initialise';
    wasmThreadCount = 1;
    return null;
  } catch (error) {
    return `wasm: ${String((error as Error).message ?? error).split('\n')[0]}`;
  }
}

async function tryCpu(): Promise<string | null> {
  if (!(await tf.setBackend('cpu'))) return 'cpu: did not initialise';
  // tfjs's cpu backend prints a banner ("install our node backend") on its first tensor; we have said which backend
  // runs and why, so mark it as said.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return null;
}

async function describe(name: BackendReport['name']): Promise<string> {
  if (name === 'wasm') {
    const simd = wasmThreadCount > 1 || (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${wasmThreadCount === 1 ? '1 thread' : `${wasmThreadCount} threads`}${wasmNote})`;
  }
  if (name === 'tensorflow-gpu') return 'tfjs-node-gpu (CUDA)';
  if (name === 'webgpu') return `webgpu: ${dawnAdapter!.name}${webgpuNote}`;
  if (name === 'tensorflow') return 'tfjs-node (native CPU)';
  return 'cpu (plain JavaScript, slow)';
}

/**
 * Sets the best available tfjs backend (or the forced one) and says which and
 * why. Once chosen, a process keeps its backend: tfjs-node cannot be unloaded.
 */
export async function chooseBackend(choice: BackendChoice = 'auto'): Promise<BackendReport> {
  if (choice === 'webgl') {
    throw new NeuralStyleError('Backend webgl runs in VS Code\'s webview (a browser), not in the engine process or the CLI: Node has no WebGL. Here use auto, webgpu, tensorflow-gpu, tensorflow, wasm or cpu.', 'EBACKEND');
  }
  if (chosen && (choice === 'auto' || choice === chosen.name)) return chosen;
  if (chosen) throw new NeuralStyleError(`This process already runs on ${chosen.name}; start a new one to use ${choice}.`, 'EBACKEND');
  const candidates = choice === 'auto' ? ORDER : [choice];
  const skipped: string[] = [];
  for (const name of candidates) {
    const failure = name === 'wasm' ? await tryWasm() : name === 'cpu' ? await tryCpu()
      : name === 'webgpu' ? await tryWebgpu(choice === 'webgpu') : await tryNative(name);
    if (failure === null) {
      chosen = { name, tfjsBackend: tf.getBackend(), detail: await describe(name), skipped, ...(name === 'webgpu' ? { adapter: dawnAdapter } : {}) };
      return chosen;
    }
    skipped.push(failure);
  }
  throw new NeuralStyleError(`Backend ${choice} is not available: ${skipped.join('; ')}.`, 'EBACKEND');
}

/** One line for logs: "backend: wasm (SIMD, 1 thread); skipped tfjs-node-gpu: not installed; …". */
export function describeBackend(report: BackendReport): string {
  return backendLine(report);
}
