/**
 * One stylization in the webview: the engine core (the same plan, objective,
 * optimiser and loop as in the engine process) on tfjs's WebGPU or WebGL2
 * backend. Pixels come and go as validated messages; the host writes the file.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import * as l10n from '@vscode/l10n';
import {
  CancelledError, createVgg19, decodeVgg19, NeuralStyleError, readbackProblem, stylize,
  type FeatureExtractor, type MemoryLimits, type Progress, type RunEstimate, type ScaleCheckpoint,
} from '@neural-style/engine/core';
import { RUN_DEFAULTS, type WebviewBackend } from '@neural-style/engine/options';
import { decodePixels, encodePixels } from '@neural-style/engine/image-protocol';
import { COMPUTE_FAILURES, type AdapterView, type FromCompute, type ToCompute } from '../../shared/protocol';
import { describeAdapter, describeWebGl, requestAdapter } from './adapters';
import { watchGpuLoss } from './gpu-lost';
import { fetchWeightFiles } from './weights';

type Post = (message: FromCompute) => void;
type ComputeMessage = ToCompute & { type: 'compute' };

/**
 * Ordinary memory a tiled scale may use here: the webview's renderer process
 * also holds VS Code's view of the panel, and a browser tab is not given the
 * machine's memory as the engine process is.
 */
const WEBVIEW_HOST_BYTES = 2e9;

/**
 * What a run here may use: `memory` GB of ordinary memory, at most
 * WEBVIEW_HOST_BYTES (0: that much); on WebGL tiles whose textures
 * fit the GPU's MAX_TEXTURE_SIZE; on WebGPU `gpuMemory` GB of the GPU in
 * buffers as large as its adapter allows (as the engine process's Dawn).
 */
function webviewLimits(backend: WebviewBackend, adapter: AdapterView,
  gpuMemory = RUN_DEFAULTS.gpuMemory, memory = 0): MemoryLimits {
  const hostBytes = memory > 0 ? Math.min(memory * 1e9, WEBVIEW_HOST_BYTES) : WEBVIEW_HOST_BYTES;
  const limits: MemoryLimits = { hostBytes };
  if (backend === 'webgl' && adapter.maxTextureSize > 0) return { ...limits, maxTextureSize: adapter.maxTextureSize };
  if (backend === 'webgpu' && adapter.maxBufferBytes) return { ...limits, gpu: { budgetBytes: gpuMemory * 1e9, maxBufferBytes: adapter.maxBufferBytes } };
  return limits;
}

export async function useBackend(backend: WebviewBackend): Promise<AdapterView> {
  // setBackend resolves false (it does not throw) when the backend cannot start, e.g. WebGPU without an adapter.
  if (!(await tf.setBackend(backend))) {
    const name = backend === 'webgpu' ? 'WebGPU' : 'WebGL2';
    throw new NeuralStyleError(l10n.t('The {0} backend did not start in this webview (no usable GPU). Set {1} to auto or wasm.', name, 'neuralStyle.backend'), 'EGPU');
  }
  await tf.ready();
  if (backend === 'webgl') return describeWebGl((tf.backend() as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl);
  const found = await requestAdapter();
  const adapter = found ? describeAdapter(found) : { name: l10n.t('unnamed adapter'), fallback: false, maxTextureSize: 0 };
  await checkReadback(adapter);
  return adapter;
}

/** An adapter whose asynchronous read back is wrong would paint garbage (readbackProblem): refused up front. */
async function checkReadback(adapter: AdapterView): Promise<void> {
  const wrong = await readbackProblem();
  if (wrong) {
    throw new NeuralStyleError(l10n.t('WebGPU on {0} reads results back wrong (it gave {1} where {2} was computed), so a run would paint garbage. Set {3} to webgl or auto.',
      adapter.name, wrong.got, wrong.expected, 'neuralStyle.backend'), 'EGPU');
  }
}

/** A preview as a PNG data URL (the panel shows it as an <img>). */
function pngDataUrl(image: { width: number; height: number; data: Uint8Array }): string {
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d')!;
  const rgba = context.createImageData(image.width, image.height);
  for (let i = 0, j = 0; i < image.data.length; i += 3, j += 4) {
    rgba.data[j] = image.data[i];
    rgba.data[j + 1] = image.data[i + 1];
    rgba.data[j + 2] = image.data[i + 2];
    rgba.data[j + 3] = 255;
  }
  context.putImageData(rgba, 0, 0);
  return canvas.toDataURL('image/png');
}

function failure(error: unknown): FromCompute & { type: 'computeFailed' } {
  if (error instanceof CancelledError) return { type: 'computeFailed', code: 'ECANCELLED', message: l10n.t('Cancelled.') };
  const e = error as Error;
  const code = error instanceof NeuralStyleError && (COMPUTE_FAILURES as readonly string[]).includes(error.code) ? error.code as typeof COMPUTE_FAILURES[number] : 'EINTERNAL';
  return { type: 'computeFailed', code, message: code === 'EINTERNAL' ? `${e?.message ?? e}\n${e?.stack ?? ''}` : e.message };
}

/** Runs `message` until it ends; posts exactly one computeDone or computeFailed, a lost GPU included. */
export async function runCompute(message: ComputeMessage, signal: AbortSignal, post: Post): Promise<void> {
  let ended = false;
  const end = (m: FromCompute) => {
    if (ended) return;
    ended = true;
    post(m);
  };
  let vgg: FeatureExtractor | undefined;
  let stopWatching = () => {};
  try {
    const adapter = await useBackend(message.backend);
    stopWatching = watchGpuLoss(message.backend, (why) => end({ type: 'computeFailed', code: 'EGPULOST', message: l10n.t('The GPU stopped during the run: {0}. Nothing was written.', why) }));
    post({ type: 'computeStarted', backend: message.backend, adapter });
    vgg = createVgg19(decodeVgg19(await fetchWeightFiles(message.weights)));
    const content = decodePixels(message.content, l10n.t('the content image'));
    const styles = message.styles.map((s, i) => decodePixels(s, l10n.t('style image {0}', i + 1)));
    const onProgress = ({ preview, ...progress }: Progress) => {
      if (!ended) post({ type: 'computeProgress', progress, preview: preview && pngDataUrl(preview) });
    };
    const onPlan = (estimate: RunEstimate) => post({ type: 'computePlan', estimate });
    const limits = webviewLimits(message.backend, adapter, message.gpuMemory, message.memory);
    const resume = message.resume && { fromScale: message.resume.fromScale, steps: message.resume.steps,
      image: decodePixels(message.resume.image, l10n.t('the checkpoint')) };
    const request = { content, styles, options: message.options, limits, speed: message.speed, resume };
    // Each finished scale's image goes to the host, which keeps it for a reload to resume from.
    const onScaleDone = ({ image, ...at }: ScaleCheckpoint) => {
      if (!ended) post({ type: 'computeCheckpoint', ...at, image: { ...image, data: encodePixels(image.data) } });
    };
    const onStartOver = (why: string) => post({ type: 'computeStartOver', why });
    const result = await stylize(vgg, request, { signal, onProgress, onPlan, onScaleDone, onStartOver });
    const image = { width: result.image.width, height: result.image.height, data: encodePixels(result.image.data) };
    const { losses, steps, elapsedMs, backend, speed } = result;
    end({ type: 'computeDone', image, losses, steps, elapsedMs, backend, ...(speed ? { speed } : {}) });
  } catch (error) {
    end(failure(error));
  } finally {
    stopWatching();
    vgg?.dispose();
  }
}
