import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/*
 * tfjs's wasm backend with threads under Node.
 *
 * tfjs turns wasm threads off under Node (tfjs issue #3830): its loader hands
 * Emscripten a blob: URL for the pthread worker, which Node's Worker rejects
 * (ERR_WORKER_PATH). The package does ship the threaded build
 * (wasm-out/tfjs-backend-wasm-threaded-simd.{js,wasm}), and Emscripten's
 * runtime supports Node worker_threads. So we instantiate that build ourselves
 * through Emscripten's documented Module hooks — locateFile (a real worker
 * file, ../../wasm/pthread-worker.cjs) and instantiateWasm — wrap it in tfjs's
 * exported BackendWasm, and register it as the "wasm" backend; the wasm kernels
 * tfjs-backend-wasm registered stay valid. Nothing global is patched.
 *
 * Two adjustments:
 * - tfjs's C++ caps its XNNPACK pool at logical cores / 2 (it assumes SMT);
 *   the pool size comes from the emscripten_num_logical_cores import, which we
 *   answer with 2 × the threads wanted, in this instance's imports only.
 * - Emscripten keeps the pool's workers referenced, so a process would never
 *   exit by itself; we unref them (they only ever run work the main thread
 *   waits for), and end the idle pre-spawned ones.
 */

const THREADED = 'tfjs-backend-wasm-threaded-simd';

/** Where the threaded build lives: beside a bundled engine (the .vsix), else in tfjs-backend-wasm's wasm-out. */
function wasmOutDir(): string | null {
  if (fs.existsSync(path.join(__dirname, `${THREADED}.js`))) return __dirname;
  try {
    return path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  } catch {
    return null;
  }
}
const WASM_OUT = wasmOutDir() ?? __dirname;
const FACTORY = path.join(WASM_OUT, `${THREADED}.js`);
const BINARY = path.join(WASM_OUT, `${THREADED}.wasm`);
// src/node and dist/node are both two levels below the package root.
// Bundled: copied beside the bundle.
const PTHREAD_WORKER = [path.join(__dirname, 'pthread-worker.cjs'), path.join(__dirname, '..', '..', 'wasm', 'pthread-worker.cjs')]
  .find((f) => fs.existsSync(f)) ?? path.join(__dirname, '..', '..', 'wasm', 'pthread-worker.cjs');

interface EmscriptenWorker { unref(): void; terminate(): unknown }
interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread: { runningWorkers: EmscriptenWorker[]; unusedWorkers: EmscriptenWorker[] };
  tfjs?: unknown;
}
type Imports = Record<string, Record<string, unknown>>;
/**
 * The part of the WebAssembly JS API used here: a global in Node, whose types TypeScript ships only with the DOM lib.
 */
interface WasmInstantiation { instance: object; module: object }
declare const WebAssembly: { instantiate(bytes: Uint8Array, imports: Imports): Promise<WasmInstantiation> };

/**
 * Threads to ask for: NEURAL_STYLE_WASM_THREADS, else every core this process may use (XNNPACK's pool is capped at 8).
 */
export function defaultWasmThreads(): number {
  const forced = Number(process.env.NEURAL_STYLE_WASM_THREADS);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(8, Number.isInteger(forced) && forced >= 1 ? forced : cores));
}

/** Why threaded wasm cannot run in this process, or null when it can. */
export function threadedWasmUnavailable(): string | null {
  if (typeof SharedArrayBuffer === 'undefined') return 'no SharedArrayBuffer';
  if (!fs.existsSync(BINARY) || !fs.existsSync(FACTORY)) return `tfjs-backend-wasm has no threaded build in ${WASM_OUT}`;
  if (!fs.existsSync(PTHREAD_WORKER)) return `missing ${PTHREAD_WORKER}`;
  return null;
}

async function instantiate(threads: number): Promise<ThreadedModule> {
  const factory = require(FACTORY) as (config: object) => Promise<ThreadedModule>;
  const binary = fs.readFileSync(BINARY);
  // Emscripten's promise never settles when instantiateWasm fails: reject ours ourselves.
  return new Promise((resolve, reject) => {
    factory({
      locateFile: (file: string) => (file.endsWith('.worker.js') ? PTHREAD_WORKER : path.join(WASM_OUT, file)),
      mainScriptUrlOrBlob: FACTORY,
      instantiateWasm(info: Imports, receive: (instance: object, module: object) => void) {
        const env = { ...info.env, emscripten_num_logical_cores: () => 2 * threads };
        WebAssembly.instantiate(binary, { ...info, env, wasi_snapshot_preview1: env })
          .then(({ instance, module }) => receive(instance, module), reject);
        return {};
      },
    }).then(resolve, reject);
  });
}

/**
 * Registers the threaded wasm build as tfjs's "wasm" backend with `threads`
 * XNNPACK threads (the caller included) and makes it current. Returns the
 * thread count the backend reports.
 */
export async function setThreadedWasmBackend(threads = defaultWasmThreads()): Promise<number> {
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  const module = await instantiate(threads);
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  wasm.setThreadsCount(threads);
  // Not findBackend: it would start tfjs's own (threadless) initialisation.
  const ownFactory = tf.findBackendFactory('wasm') as ReturnType<typeof tf.findBackendFactory> | null; // null when none
  if (ownFactory) tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => new wasm.BackendWasm(module as never), 3);
  if (!(await tf.setBackend('wasm'))) {
    // Put tfjs's own loader back, so that the caller's single-thread fallback gets it.
    tf.removeBackend('wasm');
    if (ownFactory) tf.registerBackend('wasm', ownFactory, 2);
    throw new Error('the threaded wasm backend did not initialise');
  }
  for (const worker of module.PThread.runningWorkers) worker.unref();
  // Emscripten pre-spawns 8 workers; XNNPACK's pool took threads − 1 of them and
  // never grows. The idle ones would each hold a V8 isolate: end them.
  for (const worker of module.PThread.unusedWorkers) void worker.terminate();
  module.PThread.unusedWorkers.length = 0;
  return wasm.getThreadsCount();
}
