import * as tf from '@tensorflow/tfjs';

/*
 * tfjs's webgpu backend keeps every buffer a tensor frees for the next tensor
 * of exactly its size, and never gives one back. A run whose scales have
 * other sizes would keep each scale's buffers on the GPU beside the next
 * one's; so after each scale the free ones are destroyed (buffers in use,
 * and any the GPU may still read, are not in that pool). And a tensor freed
 * while its work waits to be submitted (a cancel between two dispatches)
 * keeps its buffer until the next submit: that submit is made first.
 */

interface BufferManagerLike {
  freeBuffers: Map<string, Array<{ size: number; destroy(): void }>>;
  numFreeBuffers: number;
  numBytesAllocated: number;
}

interface WebGpuBackendLike {
  bufferManager?: BufferManagerLike;
  commandEncoder?: object | null;
  endComputePassEncoder?(): void;
  submitQueue?(): void;
}

/**
 * Submits the webgpu backend's pending work and destroys its free buffers, keeping its own count right; elsewhere
 * nothing.
 */
export function releaseFreeGpuBuffers(): void {
  if (tf.getBackend() !== 'webgpu') return;
  const backend = tf.backend() as unknown as WebGpuBackendLike;
  if (backend.commandEncoder) {
    backend.endComputePassEncoder?.();
    backend.submitQueue?.();
  }
  const manager = backend.bufferManager;
  if (!manager?.freeBuffers) return;
  for (const buffers of manager.freeBuffers.values()) {
    for (const buffer of buffers) {
      manager.numBytesAllocated -= buffer.size;
      buffer.destroy();
    }
    buffers.length = 0;
  }
  manager.numFreeBuffers = 0;
}
