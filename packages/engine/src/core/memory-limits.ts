import { NeuralStyleError } from './errors';
import type { ScratchFiles } from './scratch-file';
import { GPU_MEMORY, HOST_HISTORY, WASM_MEMORY, WIDEST_TENSOR_BYTES_PER_PIXEL } from './tuning';

/*
 * What fits where: a whole image on the backend (the wasm backend's 4 GB
 * heap holds everything of such a scale), a tiled one in ordinary memory
 * (the image, its gradient, the optimiser's state and the activations kept
 * between stages), and what to say when something does not.
 */

export interface MemoryLimits {
  /** Ordinary memory a run may use (a tiled scale keeps its image and state there). */
  hostBytes: number;
  /**
   * WebGL's MAX_TEXTURE_SIZE, where the backend is WebGL: no tensor's texture may be larger (tiling/texture-limit.ts).
   */
  maxTextureSize?: number;
  /** Where the backend is WebGPU: what the run may keep on the GPU, and its adapter's largest buffer. */
  gpu?: GpuLimits;
  /**
   * Files for what a tiled scale keeps image-sized (the optimiser's vectors, the activations between stages, the
   * content target): the program gives them where it has a disk; else they stay in memory.
   */
  scratchFiles?: ScratchFiles;
  /** Where scratchFiles go, and the space free there (the plan refuses a run whose files would not fit). */
  scratchSpace?: { folder: string; freeBytes: number };
}

export interface GpuLimits {
  /** GPU memory the run may use (the gpuMemory option: WebGPU cannot tell how much a GPU has). */
  budgetBytes: number;
  /** The adapter's largest buffer a shader may bind: min(maxBufferSize, maxStorageBufferBindingSize). */
  maxBufferBytes: number;
}

/**
 * What a run on a WebGPU adapter with these limits may keep on it: `gpuMemory` GB, and buffers as large as the adapter
 * allows.
 */
export function gpuLimits(gpuMemory: number,
  adapter: { maxBufferSize: number; maxStorageBufferBindingSize: number }): GpuLimits {
  return { budgetBytes: gpuMemory * 1e9,
    maxBufferBytes: Math.min(adapter.maxBufferSize, adapter.maxStorageBufferBindingSize) };
}

export const DEFAULT_LIMITS: MemoryLimits = { hostBytes: 8e9 };

/**
 * The L-BFGS history for `values` optimised values: capped by HOST_HISTORY in
 * ordinary memory, by the wasm heap on wasm, by its share of the run's GPU
 * memory on WebGPU.
 */
export function historyFor(requested: number, values: number, where: 'backend' | 'host', backend: string, limits: MemoryLimits = DEFAULT_LIMITS): number {
  const capped = (bytes: number, least: number) =>
    Math.max(least, Math.min(requested, Math.floor(bytes / (8 * values))));
  if (where === 'host') return capped(HOST_HISTORY.bytes, HOST_HISTORY.minHistory);
  if (backend === 'wasm') return capped(WASM_MEMORY.historyBytes, WASM_MEMORY.minHistory);
  if (limits.gpu) return capped(limits.gpu.budgetBytes * GPU_MEMORY.historyShare, GPU_MEMORY.minHistory);
  return requested;
}

/** GPU memory left for an iteration's tensors once the weights and the L-BFGS history have their part. */
function gpuIterationBytes(gpu: GpuLimits): number {
  return gpu.budgetBytes * (1 - GPU_MEMORY.historyShare) - GPU_MEMORY.fixedBytes;
}

/** Whether a width × height image can be optimised whole on `backend` within `limits`. */
export function wholeImageFits(width: number, height: number, backend: string,
  limits: MemoryLimits = DEFAULT_LIMITS): boolean {
  const pixels = width * height;
  if (backend === 'wasm') return WASM_MEMORY.fixedBytes + pixels * WASM_MEMORY.bytesPerPixel <= WASM_MEMORY.limitBytes;
  if (!limits.gpu) return true;
  return pixels * GPU_MEMORY.bytesPerPixel <= gpuIterationBytes(limits.gpu)
    && pixels * WIDEST_TENSOR_BYTES_PER_PIXEL <= limits.gpu.maxBufferBytes;
}

/**
 * The first-stage tile side (tile-shapes.ts scales every stage's tiles by it)
 * whose tiles fit the GPU: a tile's iteration within the run's GPU memory,
 * its widest tensor within one buffer.
 */
export function gpuTileSize(gpu: GpuLimits): number {
  const side = Math.min(Math.sqrt(gpuIterationBytes(gpu) / GPU_MEMORY.bytesPerPixel),
    Math.sqrt(gpu.maxBufferBytes / WIDEST_TENSOR_BYTES_PER_PIXEL));
  // A tile has halos of about 100 px at its first stage: below this, most of its work would be halo.
  return Math.max(128, Math.floor(side));
}

/** wasm aborts with a bare "Aborted()" when it runs out of memory: say what happened. */
export function explainFailure(error: unknown, width: number, height: number, backend: string): unknown {
  const message = String((error as Error)?.message ?? error);
  if (backend === 'wasm' && /Aborted\(|out of memory|Cannot enlarge memory|RangeError: Array buffer allocation failed/i.test(message)) {
    return new NeuralStyleError(`The wasm backend ran out of memory at ${width}×${height} (${message.split('\n')[0]}). Lower size, or install @tensorflow/tfjs-node or tfjs-node-gpu.`, 'EABORTED');
  }
  return error;
}
