import { NeuralStyleError } from './errors';

// The wasm backend's 4 GB: what fits, and what to say when it does not.

/**
 * wasm32 has 4 GB for everything, and VGG19's activations and their gradients
 * take 1.5 GB at 512×512; so there the L-BFGS history is capped at 512 MB
 * (8 bytes per optimised value per pair: 81 pairs for the pixels of a
 * 512×512 image, 61 for its pyramid, which has 4/3 as many values).
 */
export function historyFor(requested: number, values: number, backend: string): number {
  if (backend !== 'wasm') return requested;
  return Math.max(5, Math.min(requested, Math.floor(512e6 / (8 * values))));
}

/*
 * Peak of one iteration on wasm (VGG19 to conv5_1, forward + input gradient),
 * from `pnpm bench`: ~0.7 GB at any size (weights, runtime) plus ~3 KB per
 * output pixel (1.5 GB RSS at 512×512); we allow 4.5 KB per pixel, plus the
 * L-BFGS history's 0.5 GB, under the 4 GB of wasm32.
 */
const WASM_FIXED_BYTES = 0.8e9 + 0.5e9;
const WASM_BYTES_PER_PIXEL = 4_500;
const WASM_MEMORY_LIMIT = 3.8e9;

export function checkMemory(width: number, height: number, backend: string): void {
  if (backend === 'wasm' && WASM_FIXED_BYTES + width * height * WASM_BYTES_PER_PIXEL > WASM_MEMORY_LIMIT) {
    const side = Math.floor(Math.sqrt((WASM_MEMORY_LIMIT - WASM_FIXED_BYTES) / WASM_BYTES_PER_PIXEL));
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
