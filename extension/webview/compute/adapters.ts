/**
 * Which GPUs this webview has, as the browser names them: WebGPU's adapter
 * (with isFallbackAdapter) and WebGL2's renderer. Nothing is initialised for
 * tfjs here: the host decides from these what to run (extension/src/backendRoute.ts).
 */
import * as l10n from '@vscode/l10n';
import { adapterName } from '@neural-style/engine/core';
import type { AdapterView, FromCompute } from '../../shared/protocol';

interface GpuAdapterInfoLike {
  vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean;
}
export interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
  limits: { maxTextureDimension2D: number; maxBufferSize?: number; maxStorageBufferBindingSize?: number };
}
interface GpuLike { requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null> }

const gpu = () => (navigator as unknown as { gpu?: GpuLike }).gpu;

/** tfjs's webgpu backend asks for the high-performance adapter; so do we, to name the one it will use. */
export async function requestAdapter(): Promise<GpuAdapterLike | null> {
  return (await gpu()?.requestAdapter({ powerPreference: 'high-performance' })) ?? null;
}

export function describeAdapter(adapter: GpuAdapterLike): AdapterView {
  const info = adapter.info ?? {};
  const name = adapterName(info) || l10n.t('unnamed adapter');
  const { maxTextureDimension2D, maxBufferSize, maxStorageBufferBindingSize } = adapter.limits;
  const maxBufferBytes = maxBufferSize && maxStorageBufferBindingSize
    ? { maxBufferBytes: Math.min(maxBufferSize, maxStorageBufferBindingSize) } : {};
  return { name, fallback: !!(adapter.isFallbackAdapter ?? info.isFallbackAdapter),
    maxTextureSize: maxTextureDimension2D, ...maxBufferBytes };
}

async function probeWebGpu(): Promise<{ webgpu?: AdapterView; webgpuProblem?: string }> {
  if (!gpu()) return { webgpuProblem: l10n.t('navigator.gpu is missing (this VS Code\'s browser has WebGPU off, or the page is not a secure context)') };
  try {
    const adapter = await requestAdapter();
    return adapter ? { webgpu: describeAdapter(adapter) } : { webgpuProblem: l10n.t('requestAdapter() found no adapter') };
  } catch (e) {
    return { webgpuProblem: l10n.t('requestAdapter() failed: {0}', (e as Error).message) };
  }
}

/** WebGL2's renderer; the probe's context is released at once. */
export function describeWebGl(gl: WebGL2RenderingContext): AdapterView {
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return { name: renderer, fallback: false, maxTextureSize: Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)) };
}

function probeWebGl(): { webgl?: AdapterView; webglProblem?: string } {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return { webglProblem: l10n.t('getContext("webgl2") returned null (WebGL2 is off or blocked for this GPU)') };
  try {
    return { webgl: describeWebGl(gl) };
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

export async function probeAdapters(): Promise<FromCompute & { type: 'adapters' }> {
  return { type: 'adapters', ...(await probeWebGpu()), ...probeWebGl() };
}
