/**
 * Runs a job in its panel's webview on the GPU (WebGPU or WebGL2): the host
 * has the images decoded by the image process, sends the pixels and the
 * weights' webview URIs to the panel, relays its progress, and writes the
 * result through the image process (atomic, never over an input). A cancel
 * stops the core within one iteration; closing the panel cancels; a lost GPU
 * or a reloaded webview ends the run with an error, never a hang. Nothing is
 * written unless the run finished and was not cancelled.
 * No `vscode` here: the panel is reached through a ComputeChannel.
 */
import * as l10n from '@vscode/l10n';
import { endsIteration, type FromEngine } from '@neural-style/engine/protocol';
import { lossPointOf, lossTrace, type LossPoint } from '@neural-style/engine/result-parameters';
import type { StylizeOptions, WebviewBackend } from '@neural-style/engine/options';
import type { AdapterView, FromCompute, ToCompute } from '../shared/protocol';
import type { AdapterProbe } from './backendRoute';
import type { EngineOutcome } from './engineTypes';
import { ImageProcess } from './imageProcess';
import { type CheckpointsOfRun, WebviewCheckpoints } from './webviewCheckpoints';
import { webviewWeights } from './webviewWeights';

/** A job's panel as the compute sees it. */
export interface ComputeChannel {
  post(message: ToCompute): void;
  /** The compute's messages, and `ready` when the webview (re)loaded. Returns an unsubscribe function. */
  onMessage(listener: (message: FromCompute | { type: 'ready' }) => void): () => void;
  /** The panel was closed. Returns an unsubscribe function. */
  onClosed(listener: () => void): () => void;
  /** The webview URI of a local file (asWebviewUri); `allowFolder` first. */
  webviewUri(file: string): string;
  /** Lets the webview read `dir`; resolves once a page that may has loaded (a change of roots reloads the page). */
  allowFolder(dir: string): Promise<void>;
}

export interface WebviewRun extends CheckpointsOfRun {
  id: string;
  backend: WebviewBackend;
  adapter: AdapterView;
  content: string;
  /** The style images' paths (two for a blend, weighted by options.styleBlendWeights). */
  styles: string[];
  output: string;
  options: StylizeOptions;
  maxInputPixels: number;
  /** GB of GPU memory the run may use on WebGPU. */
  gpuMemory: number;
  /** GB of ordinary memory the run may use (0: the webview's own cap). */
  memory?: number;
  weightsDir: string;
  imageWorkerPath: string;
  channel: ComputeChannel;
  signal: AbortSignal;
  /** This machine's speed on the backend, for the estimate. */
  speed?: FromEngine<'plan'>['estimate']['speed'];
  events: CheckpointsOfRun['events'] & {
    plan?(estimate: FromEngine<'plan'>['estimate']): void;
    progress(message: FromEngine<'progress'>): void;
    preview(step: number, src: string): void;
  };
  /** How long a cancelled run may take to say so before the job ends anyway (nothing is written either way). */
  cancelGraceMs?: number;
  /** How long the panel's page may take to load with the weights' folder allowed. */
  loadTimeoutMs?: number;
}

/** `what`: the error's words, given the seconds. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: (seconds: number) => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what(ms / 1000))), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * What a probe found; `answered`: the webview said it (not a timeout or a closed panel, which say nothing of the GPUs).
 */
export type ProbeAnswer = AdapterProbe & { answered: boolean };

/** Asks the panel which GPUs it has; asks again every 2 s until it answers (the webview may still be loading). */
export function probeAdapters(channel: ComputeChannel, timeoutMs = 30_000): Promise<ProbeAnswer> {
  return new Promise((resolve) => {
    const asked = setInterval(() => channel.post({ type: 'probe' }), 2000);
    const silent = () => ({ webgpuProblem: l10n.t('the panel did not answer within {0} s', timeoutMs / 1000),
      webglProblem: l10n.t('the panel did not answer') });
    const timer = setTimeout(() => finish(silent(), false), timeoutMs);
    const stop = channel.onMessage((m) => { if (m.type === 'adapters') finish(m, true); });
    const stopClosed = channel.onClosed(() =>
      finish({ webgpuProblem: l10n.t('the panel was closed'), webglProblem: l10n.t('the panel was closed') }, false));
    function finish(result: AdapterProbe & { type?: string }, answered: boolean): void {
      clearInterval(asked);
      clearTimeout(timer);
      stop();
      stopClosed();
      const { type: _type, ...probe } = result;
      resolve({ ...probe, answered });
    }
    channel.post({ type: 'probe' });
  });
}

type Computed = { kind: 'computed'; done: FromCompute & { type: 'computeDone' } }
  | Exclude<EngineOutcome, { kind: 'done' }>;

/** Posts the compute message and waits for the run's end, however it ends. */
function computeInPanel(run: WebviewRun, message: ToCompute & { type: 'compute' }, trace: LossPoint[],
  checkpoints: WebviewCheckpoints): Promise<Computed> {
  const { channel, signal, events, id } = run;
  return new Promise((resolve) => {
    const cleanups: Array<() => void> = [];
    let settled = false;
    const settle = (outcome: Computed) => {
      if (settled) return;
      settled = true;
      cleanups.forEach((c) => c());
      resolve(outcome);
    };
    cleanups.push(channel.onMessage((m) => {
      switch (m.type) {
        case 'ready':
          settle({ kind: 'error', code: 'EGPULOST',
            message: l10n.t('The panel\'s webview reloaded during the run, which ended it. Nothing was written.') });
          break;
        case 'computeStarted':
          events.log('info', `${id}: running on ${m.backend}: ${m.adapter.name} `
            + `(textures up to ${m.adapter.maxTextureSize} px)`);
          break;
        case 'computePlan':
          events.plan?.(m.estimate);
          break;
        case 'computeProgress':
          events.progress({ type: 'progress', id, ...m.progress });
          if (endsIteration(m.progress)) trace.push(lossPointOf(m.progress));
          if (m.preview) events.preview(m.progress.step, m.preview);
          break;
        case 'computeCheckpoint':
          checkpoints.keep(m, trace);
          break;
        case 'computeStartOver':
          events.log('warn', `${id}: could not resume: ${m.why}; starting over`);
          trace.splice(0);
          break;
        case 'computeDone':
          settle({ kind: 'computed', done: m });
          break;
        case 'computeFailed':
          settle(m.code === 'ECANCELLED' ? { kind: 'cancelled' } : { kind: 'error', code: m.code, message: m.message });
          break;
        case 'adapters':
          break;
      }
    }));
    cleanups.push(channel.onClosed(() => settle({ kind: 'cancelled' })));
    const onAbort = () => {
      events.log('info', `cancelling job ${id}`);
      channel.post({ type: 'stopCompute' });
      const timer = setTimeout(() => settle({ kind: 'cancelled' }), run.cancelGraceMs ?? 2000);
      cleanups.push(() => clearTimeout(timer));
    };
    if (signal.aborted) return settle({ kind: 'cancelled' });
    signal.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => signal.removeEventListener('abort', onAbort));
    channel.post(message);
  });
}

export async function runInWebview(run: WebviewRun): Promise<EngineOutcome> {
  const { id, channel, signal, options } = run;
  const images = new ImageProcess(run.imageWorkerPath, (m) => run.events.log('warn', `${id}: ${m}`));
  try {
    const pageLoaded = withTimeout(channel.allowFolder(run.weightsDir), run.loadTimeoutMs ?? 60_000,
      (s) => l10n.t('The panel\'s webview did not load within {0} s.', s));
    const weights = webviewWeights(run.weightsDir, (f) => channel.webviewUri(f));
    const { content, styles } = run;
    const decoded = await images.decode({ content, styles, options, maxInputPixels: run.maxInputPixels });
    // A run posted to a page that is about to be replaced would be lost with it.
    await pageLoaded;
    if (signal.aborted) return { kind: 'cancelled' };
    const checkpoints = new WebviewCheckpoints(run, images);
    const { resume, losses: before } = await checkpoints.resumeFrom();
    // The loss at each iteration's end goes into the picture, as the engine's own runs keep it (a resumed run's
    // begins with its checkpoint's).
    const trace: LossPoint[] = [...before];
    const computed = await computeInPanel(run, { type: 'compute', backend: run.backend, weights, content: decoded.content,
      styles: decoded.styles, options, gpuMemory: run.gpuMemory, memory: run.memory ?? 0,
      ...(run.speed ? { speed: run.speed } : {}), ...(resume ? { resume } : {}) }, trace, checkpoints);
    await checkpoints.settled();
    if (computed.kind !== 'computed') return computed;
    // Cancelled after the last iteration: still nothing is written.
    if (signal.aborted) return { kind: 'cancelled' };
    const { image, steps, elapsedMs, losses, speed } = computed.done;
    if (image.width !== decoded.content.width || image.height !== decoded.content.height) {
      const message = l10n.t('The webview sent a {0}×{1} result for a {2}×{3} job.', image.width, image.height,
        decoded.content.width, decoded.content.height);
      return { kind: 'error', code: 'EPROTOCOL', message };
    }
    const backend = `${run.backend}: ${run.adapter.name}`;
    // Thinned here: a diverged step's NaN would not survive the way to the image process.
    const kept = lossTrace(trace);
    await images.write({ image, output: run.output, content, styles, backend, steps, options, losses: kept });
    const done = { type: 'done' as const, id, output: run.output, steps, elapsedMs, losses, backend };
    return { kind: 'done', done: { ...done, ...(speed ? { speed } : {}) } };
  } catch (e) {
    // A NeuralStyleError (settings, weights) or an ImageProcessError (decoding, writing) carries its code.
    const error = e as Error & { code?: unknown };
    return { kind: 'error', code: typeof error.code === 'string' ? error.code : 'EINTERNAL', message: error.message };
  } finally {
    images.dispose();
  }
}
