import * as tf from '@tensorflow/tfjs';
import { NeuralStyleError } from '../core/errors';

/*
 * A lost GPU (a driver reset, an unplugged eGPU, the OS reclaiming it) or one
 * out of memory leaves tfjs's pending reads unresolved, or computing on
 * invalid buffers: the run would hang or paint garbage. So the device is
 * watched, and the run ends at once with a named error, whatever the core is
 * waiting for. The process's backend is broken after that: it retires.
 */

interface GpuErrorLike { message: string; constructor: { name: string } }
interface DeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
  addEventListener(type: 'uncapturederror', listener: (event: { error: GpuErrorLike }) => void): void;
  removeEventListener(type: 'uncapturederror', listener: (event: { error: GpuErrorLike }) => void): void;
  destroy(): void;
}

/** The device of tfjs's webgpu backend, when it is the one running. */
function device(): DeviceLike | undefined {
  return tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as { device?: DeviceLike }).device : undefined;
}

const RUN_ON_CPU = 'Nothing was written. Run it on the CPU instead (--backend wasm, or neuralStyle.backend wasm), or lower gpuMemory.';

/**
 * Rejects once the current WebGPU device is lost or reports an error no one caught; never settles otherwise. `stop`
 * ends the watch.
 */
export function watchGpu(): { failed: Promise<never>; stop(): void } {
  const watched = device();
  if (!watched) return { failed: new Promise<never>(() => {}), stop: () => {} };
  let active = true;
  let fail: (error: NeuralStyleError) => void = () => {};
  const failed = new Promise<never>((_, reject) => { fail = (e) => { if (active) reject(e); }; });
  void watched.lost.then((info) => fail(new NeuralStyleError(`The GPU stopped during the run (device lost: ${info.reason ?? 'unknown'}${info.message ? `, ${info.message}` : ''}). ${RUN_ON_CPU}`, 'EGPULOST')));
  const onError = ({ error }: { error: GpuErrorLike }) => {
    const memory = error.constructor.name === 'GPUOutOfMemoryError';
    fail(new NeuralStyleError(memory ? `The GPU ran out of memory during the run (${error.message}). ${RUN_ON_CPU}`
      : `WebGPU reported an error during the run (${error.message}). ${RUN_ON_CPU}`, 'EGPULOST'));
  };
  watched.addEventListener('uncapturederror', onError);
  // A watch nobody awaits any more must not surface as an unhandled rejection.
  failed.catch(() => {});
  return { failed, stop: () => { active = false; watched.removeEventListener('uncapturederror', onError); } };
}

/** What a driver reset does, on demand: a test's way to lose the GPU mid-run. */
export function loseGpu(): void {
  device()?.destroy();
}
