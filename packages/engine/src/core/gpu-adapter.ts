/*
 * A GPU as WebGPU describes it, the same in the engine process (Dawn) and in
 * a webview (the browser): its name, whether it is a CPU pretending to be a
 * GPU.
 */

/** What an adapter says of itself (GPUAdapterInfo). */
export interface GpuAdapterInfo {
  vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean;
}

/**
 * Renderers that are a CPU pretending to be a GPU: SwiftShader (Chromium's), Mesa's llvmpipe/softpipe/lavapipe,
 * Windows' WARP.
 */
const SOFTWARE_RENDERER = /SwiftShader|llvmpipe|softpipe|lavapipe|Microsoft Basic Render Driver|Software Rasterizer/i;

/**
 * An adapter's name for people, from what it says: the device (Dawn gives it,
 * a browser hides it) or else the vendor, the architecture, the driver:
 * "nvidia-h100-80gb-hbm3 (hopper) — NVIDIA 550.54.15", "apple (metal-3)".
 * Empty when it says nothing.
 */
export function adapterName(info: GpuAdapterInfo): string {
  const device = info.device?.replace(/^-+|-+$/g, '') || info.vendor || '';
  const named = [device, info.architecture && `(${info.architecture})`].filter(Boolean).join(' ');
  return [named, info.description].filter(Boolean).join(' — ');
}

/** Why an adapter is a software one (slower than wasm), or null for a real GPU. */
export function softwareReason(adapter: { name: string; fallback: boolean }): string | null {
  if (adapter.fallback) return `${adapter.name} is a fallback (software) adapter, slower than wasm`;
  const match = SOFTWARE_RENDERER.exec(adapter.name);
  return match ? `${adapter.name} is a software renderer (${match[0]}), slower than wasm` : null;
}
