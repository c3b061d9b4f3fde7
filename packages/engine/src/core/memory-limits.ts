import { NeuralStyleError } from './errors';
import { HOST_HISTORY, WASM_MEMORY } from './tuning';

/*
 * What fits where: a whole image on the backend (the wasm backend's 4 GB
 * heap holds everything of such a scale), a tiled one in ordinary memory
 * (the image, its gradient, the optimiser's state and the activations kept
 * between stages), and what to say when something does not.
 */

export interface MemoryLimits {
  /** Ordinary memory a run may use (a tiled scale keeps its image and state there). */
  hostBytes: number;
  /** WebGL's MAX_TEXTURE_SIZE, where the backend is WebGL: no tensor's texture may be larger (tiling/texture-limit.ts). */
  maxTextureSize?: number;
}

export const DEFAULT_LIMITS: MemoryLimits = { hostBytes: 8e9 };

/**
 * Bytes per output pixel a tiled scale keeps in ordinary memory: the image,
 * its gradient and the optimiser's vectors (3 floats a pixel each, ~6 of
 * them), the stages' outputs (8 + 4 + 2 floats) and their gradients (up to
 * 8 + 3), the content target at conv4_2 (8). The L-BFGS history comes on top.
 */
const HOST_BYTES_PER_PIXEL = 4 * (6 * 3 + 14 + 11 + 8);

/** The L-BFGS history for `values` optimised values: capped by the wasm heap on wasm, by HOST_HISTORY in ordinary memory. */
export function historyFor(requested: number, values: number, where: 'backend' | 'host', backend: string): number {
  if (where === 'host') return Math.max(HOST_HISTORY.minHistory, Math.min(requested, Math.floor(HOST_HISTORY.bytes / (8 * values))));
  if (backend !== 'wasm') return requested;
  return Math.max(WASM_MEMORY.minHistory, Math.min(requested, Math.floor(WASM_MEMORY.historyBytes / (8 * values))));
}

/** Whether a width × height image can be optimised whole on `backend`. */
export function wholeImageFits(width: number, height: number, backend: string): boolean {
  const { fixedBytes, bytesPerPixel, limitBytes } = WASM_MEMORY;
  return backend !== 'wasm' || fixedBytes + width * height * bytesPerPixel <= limitBytes;
}

/** Throws when a tiled width × height scale would not fit `limits`, naming the largest square that would. */
export function checkHostMemory(width: number, height: number, limits: MemoryLimits): void {
  const history = HOST_HISTORY.minHistory * 8 * 3;
  const perPixel = HOST_BYTES_PER_PIXEL + history;
  if (width * height * perPixel > limits.hostBytes) {
    const side = Math.floor(Math.sqrt(limits.hostBytes / perPixel));
    throw new NeuralStyleError(`A ${width}×${height} output needs about ${(width * height * perPixel / 1e9).toFixed(1)} GB of memory, more than the ${(limits.hostBytes / 1e9).toFixed(1)} GB this run may use. Lower size (up to about ${side}×${side} pixels fits).`, 'ENOMEM');
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
