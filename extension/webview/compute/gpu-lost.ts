/**
 * A lost GPU (a driver reset, the GPU process crashing, the OS reclaiming
 * memory) leaves tfjs's pending reads unresolved forever: the run would hang.
 * So the loss itself is watched, WebGL's webglcontextlost and WebGPU's
 * device.lost, and reported at once, whatever the core is waiting for.
 */
import * as tf from '@tensorflow/tfjs';
import * as l10n from '@vscode/l10n';
import type { WebviewBackend } from '@neural-style/engine/options';

interface WebGlBackendLike { gpgpu?: { gl?: WebGL2RenderingContext } }
interface WebGpuBackendLike { device?: { lost: Promise<{ reason?: string; message?: string }>; destroy(): void } }

/**
 * Calls `onLost` with what the browser said once the current backend's context or device is lost; returns a stop
 * function.
 */
export function watchGpuLoss(backend: WebviewBackend, onLost: (why: string) => void): () => void {
  let active = true;
  const lost = (why: string) => { if (active) onLost(why); };
  if (backend === 'webgpu') {
    const device = (tf.backend() as unknown as WebGpuBackendLike).device;
    void device?.lost.then((info) => lost(info.message ? l10n.t('WebGPU device lost ({0}: {1})', info.reason ?? 'unknown', info.message) : l10n.t('WebGPU device lost ({0})', info.reason ?? 'unknown')));
    return () => { active = false; };
  }
  const canvas = (tf.backend() as unknown as WebGlBackendLike).gpgpu?.gl?.canvas as EventTarget | undefined;
  const listener = (event: Event) => {
    event.preventDefault();
    lost(l10n.t('WebGL context lost'));
  };
  canvas?.addEventListener('webglcontextlost', listener);
  return () => {
    active = false;
    canvas?.removeEventListener('webglcontextlost', listener);
  };
}

/** What a driver reset does, on demand (the loseGpu message, for tests). */
export function loseGpu(backend: WebviewBackend): void {
  if (backend === 'webgpu') (tf.backend() as unknown as WebGpuBackendLike).device?.destroy();
  else (tf.backend() as unknown as WebGlBackendLike).gpgpu?.gl?.getExtension('WEBGL_lose_context')?.loseContext();
}
