/**
 * Where a job ran, in a painter's words: "the CPU (8 cores)", "your GPU
 * (Apple M2)", not the backend's name ("wasm"). The panel says it; the host
 * fills the WhereView when it routes the job. Pure: no `vscode`, no DOM.
 */
import * as l10n from '@vscode/l10n';
import type { WhereView } from './protocol';

/** The backends (as the engine and the webview report them) that run on a GPU; the others run on the CPU. */
const GPU_BACKENDS = ['tensorflow-gpu', 'webgpu', 'webgl'];

export const isGpuBackend = (backend: string): boolean => GPU_BACKENDS.includes(backend.split(/[\s:(]/)[0]);

/** "the CPU (8 cores)" or "your GPU (NVIDIA GeForce RTX 3060)"; the backend's name when nothing else is known. */
export function whereText(backend: string, where?: WhereView): string {
  if (isGpuBackend(backend)) return where?.gpu ? l10n.t('your GPU ({0})', where.gpu) : l10n.t('your GPU');
  if (!where) return l10n.t('the CPU');
  return where.cores === 1 ? l10n.t('the CPU (1 core)') : l10n.t('the CPU ({0} cores)', where.cores);
}

/**
 * A GPU's name as a person reads it: WebGL's renderer string wraps it
 * ("ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x2503) Direct3D11 …)").
 */
export function gpuName(adapterName: string): string {
  const api = '(?: Direct3D.*| OpenGL.*| Vulkan.*| Metal.*)?';
  const angle = new RegExp(`^ANGLE \\([^,]+, ([^,]+?)(?: \\(0x[0-9a-f]+\\))?${api}(?:,.*)?\\)$`, 'i').exec(adapterName);
  return (angle ? angle[1] : adapterName).trim();
}
