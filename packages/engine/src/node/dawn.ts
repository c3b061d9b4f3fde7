import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { adapterName, softwareReason } from '../core/gpu-adapter';

/*
 * WebGPU in the engine process through Dawn, Chromium's implementation (the
 * npm package `webgpu`, with prebuilt binaries for macOS, Linux and Windows):
 * the user's GPU over Metal, Vulkan or D3D12, with no CUDA and no browser.
 * Loaded only when asked for; every way it can be missing is a reason for
 * the log, never a crash.
 */

/** The adapter Dawn offers, as the engine sizes its work for it. */
export interface DawnAdapter {
  /** For people: "NVIDIA H100 80GB HBM3 (hopper), vulkan". */
  name: string;
  /** Why it is a software adapter (slower than wasm), or null for a real GPU. */
  software: string | null;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

export type DawnProbe = { adapter: DawnAdapter } | { problem: string };

/** The native API Dawn drives on each platform. */
const NATIVE_API: Partial<Record<NodeJS.Platform, string>> = { darwin: 'metal', linux: 'vulkan', win32: 'd3d12' };

// `webgpu` is an ES module, and this file compiles to CommonJS, whose import() would become require().
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

interface Dawn { create(flags: string[]): GpuLike; globals: Record<string, unknown> }
interface GpuLike { requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null> }
interface AdapterLike {
  info: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
}

const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200);

/** glibc's version where the C library is glibc; Dawn's Linux builds need it (there is none for musl). */
function usesGlibc(): boolean {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return process.platform !== 'linux' || !!header?.glibcVersionRuntime;
}

/** dawn.node for this platform inside the package at `entry`, or why there is none. */
function dawnBinary(entry: string): string | { problem: string } {
  const arch = process.platform === 'darwin' ? 'universal' : process.arch;
  const binary = path.join(path.dirname(entry), 'dist', `${process.platform}-${arch}`, 'dawn.node');
  if (!fs.existsSync(binary) || !usesGlibc()) return { problem: `webgpu: Dawn has no build for ${process.platform}-${process.arch}${usesGlibc() ? '' : ' (musl)'}` };
  return binary;
}

/**
 * Makes Dawn the process's navigator.gpu, with WebGPU's globals (GPUBufferUsage, …), as tfjs's webgpu backend expects.
 */
function installNavigatorGpu(dawn: Dawn): GpuLike {
  const gpu = dawn.create([]);
  Object.assign(globalThis, dawn.globals);
  const global = globalThis as { navigator?: object };
  // Node 20 has no navigator; later versions have one without gpu.
  if (global.navigator) Object.defineProperty(global.navigator, 'gpu', { value: gpu, configurable: true });
  else global.navigator = { gpu };
  return gpu;
}

async function probe(): Promise<DawnProbe> {
  let entry: string;
  try {
    entry = require.resolve('webgpu');
  } catch {
    return { problem: 'webgpu: not installed' };
  }
  const binary = dawnBinary(entry);
  if (typeof binary !== 'string') return binary;
  let gpu: GpuLike;
  try {
    gpu = installNavigatorGpu(await importModule(pathToFileURL(entry).href) as Dawn);
  } catch (e) {
    return { problem: `webgpu: Dawn did not load (${firstLine(e)})` };
  }
  const api = NATIVE_API[process.platform] ?? process.platform;
  let adapter: AdapterLike | null;
  try {
    // tfjs's webgpu backend asks for the high-performance adapter: name the one it will get.
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { problem: `webgpu: requestAdapter failed (${firstLine(e)})` };
  }
  if (!adapter) return { problem: `webgpu: no GPU adapter (Dawn found no ${api} driver that it can use)` };
  const name = `${adapterName(adapter.info) || 'unnamed adapter'}, ${api}`;
  return {
    adapter: {
      name,
      software: softwareReason({ name, fallback: !!adapter.info.isFallbackAdapter }),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    },
  };
}

let probed: Promise<DawnProbe> | null = null;

/** Loads Dawn once per process and says which adapter it offers, or why none. */
export function probeDawn(): Promise<DawnProbe> {
  probed ??= probe();
  return probed;
}
