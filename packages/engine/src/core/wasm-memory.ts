import { NeuralStyleError } from './errors';
import { WASM_MEMORY } from './tuning';

/*
 * The wasm backend's 4 GB heap holds everything of a run: what fits, and
 * what to say when it does not. Other backends have the machine's or the
 * device's memory and are not checked here.
 */

/** The L-BFGS history for `values` optimised values: on wasm capped to WASM_MEMORY.historyBytes. */
export function historyFor(requested: number, values: number, backend: string): number {
  if (backend !== 'wasm') return requested;
  return Math.max(WASM_MEMORY.minHistory, Math.min(requested, Math.floor(WASM_MEMORY.historyBytes / (8 * values))));
}

/** Throws when a width × height image cannot be optimised whole on wasm, naming the largest square that can. */
export function checkMemory(width: number, height: number, backend: string): void {
  const { fixedBytes, bytesPerPixel, limitBytes } = WASM_MEMORY;
  if (backend === 'wasm' && fixedBytes + width * height * bytesPerPixel > limitBytes) {
    const side = Math.floor(Math.sqrt((limitBytes - fixedBytes) / bytesPerPixel));
    throw new NeuralStyleError(`A ${width}×${height} output needs more than the wasm backend's 4 GB of memory. Lower size (up to about ${side}×${side} pixels fits), or install @tensorflow/tfjs-node or tfjs-node-gpu.`, 'ENOMEM');
  }
}

/** wasm aborts with a bare "Aborted()" when it runs out of memory: say what happened. */
export function explainFailure(error: unknown, width: number, height: number, backend: string): unknown {
  const message = String((error as Error)?.message ?? error);
  if (backend === 'wasm' && /Aborted\(|out of memory|Cannot enlarge memory|RangeError: Array buffer allocation failed/i.test(message)) {
    return new NeuralStyleError(`The wasm backend ran out of memory at ${width}×${height} (${message.split('\n')[0]}). Lower size, or install @tensorflow/tfjs-node or tfjs-node-gpu.`, 'EABORTED');
  }
  return error;
}
