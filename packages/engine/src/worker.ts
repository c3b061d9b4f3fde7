/**
 * The engine process: `fork()` this file (`@neural-style/engine/worker`) and speak protocol.ts over IPC
 * (node/engine-client.ts is the host's side). One job runs at a time (hosts
 * queue); a cancel stops it between stages and writes nothing (a host that
 * needs it gone at once kills it: every write is a temp file until its last
 * step). Every request gets exactly one answer naming its id: a start ends in
 * done, error or cancelled, or is refused; a cancel is answered by the job's
 * cancelled, or refused. The process exits when told to, or when its parent
 * goes away.
 */
import sharp from 'sharp';
import { RgbImage } from './core/pixels';
import { CancelledError } from './core/errors';
import type { Engine, FileHooks } from './node/engine';
import { writeCheckpoint } from './node/checkpoint';
import { checkJob } from './node/job-check';
import { probeDawn } from './node/dawn';
import { errorFields, send as sendToHost, serve } from './node/process-entry';
import { FromEngine, parseToEngine, PROTOCOL_VERSION, ToEngine } from './protocol';

// Tests ask for failures they cannot cause otherwise, at a job's first progress (`fault@jobId`: that job's only):
// 'unexpected' throws a plain Error (as a wasm trap or a bug would), 'lose-gpu' destroys the WebGPU device (a driver
// reset).
const [TEST_FAULT, TEST_FAULT_JOB] = (process.env.NEURAL_STYLE_TEST_FAULT ?? '').split('@');
const faultFor = (id: string) => (TEST_FAULT_JOB === undefined || TEST_FAULT_JOB === id ? TEST_FAULT : '');

const send: (message: FromEngine, then?: () => void) => void = sendToHost;

/**
 * TensorFlow.js and the weights load with a job's first start, after its check: a bad request is refused in
 * milliseconds (the CLI's first answer), and `ready` comes before the backend's load.
 */
const heavy = () => import('./node/engine');
type Heavy = Awaited<ReturnType<typeof heavy>>;

let engine: Promise<Engine> | null = null;
let engineKey = '';
let loaded: Heavy | null = null;
let running: { id: string; abort: AbortController } | null = null;

function refuse(request: 'start' | 'cancel', id: string, code: string, message: string): void {
  send({ type: 'refused', request, id, code, message });
}

async function pngBase64(image: RgbImage): Promise<string> {
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  return (await sharp(Buffer.from(image.data), { raw }).png({ compressionLevel: 3 }).toBuffer()).toString('base64');
}

/** The engine for a job's backend and weights, loaded once; the job's cancel reaches a weights download. */
async function getEngine(message: ToEngine<'start'>, signal: AbortSignal): Promise<Engine> {
  loaded ??= await heavy();
  const key = `${message.backend ?? 'auto'}|${message.weights ?? ''}`;
  if (engine && key !== engineKey) {
    (await engine).dispose();
    engine = null;
  }
  if (!engine) {
    engineKey = key;
    const id = message.id;
    engine = loaded.loadEngine({
      backend: message.backend,
      weights: message.weights,
      onDownload: (p) => {
        const message = `downloading ${p.file}: ${p.receivedBytes}/${p.totalBytes} bytes`;
        send({ type: 'log', level: 'info', id, message });
      },
      onWarning: (text) => send({ type: 'log', level: 'warn', id, message: text }),
      signal,
    });
    engine.catch(() => { engine = null; });
  }
  const ready = await engine;
  const { name, detail, skipped, adapter } = ready.backend;
  send({ type: 'backend', id: message.id, name, detail, skipped, ...(adapter ? { adapter: adapter.name } : {}) });
  return ready;
}

/** Runs the checked job on the engine, sending its progress and previews; resolves with its done message. */
async function run(message: ToEngine<'start'>, abort: AbortController): Promise<FromEngine<'done'>> {
  const { id, job } = message;
  // A bad input or output path, or a print over the memory budget on a CPU backend, fails before the weights load.
  const checked = await checkJob(job, message.backend);
  const ready = await getEngine(message, abort.signal);
  const loseGpu = faultFor(id) === 'lose-gpu' ? (await import('./node/gpu-loss')).loseGpu : null;
  const previews: Promise<void>[] = [];
  const speed = message.speeds?.find((s) => s.backend === ready.backend.name)?.speed;
  const paint = job.clip ? loaded!.stylizeClipFiles : loaded!.stylizeCheckedFiles;
  const result = await paint(ready, job, checked, {
    signal: abort.signal,
    onPlan: (estimate) => send({ type: 'plan', id, estimate }),
    onScaleDone: job.checkpoints ? checkpointWriter(job.checkpoints, id) : undefined,
    onStartOver: (why) => send({ type: 'log', level: 'warn', id, message: `could not resume: ${why}; starting over` }),
    onProgress: ({ preview, ...p }) => {
      if (faultFor(id) === 'unexpected') throw new Error('injected fault (NEURAL_STYLE_TEST_FAULT=unexpected)');
      if (loseGpu && p.step === 1) loseGpu();
      send({ type: 'progress', id, ...p });
      if (!preview) return;
      const { width, height } = preview;
      previews.push(pngBase64(preview).then((png) => send({ type: 'preview', id, step: p.step, width, height, png })));
    },
    onFrameDone: ({ frame, frames, file, preview }) => {
      const { width, height } = preview;
      previews.push(pngBase64(preview).then((png) => send({ type: 'frame', id, frame, frames, file, width, height,
        png })));
    },
  }, speed);
  await Promise.all(previews);
  const { output, steps, elapsedMs, losses, backend } = result;
  const measured = result.speed ? { speed: result.speed } : {};
  return { type: 'done', id, output, steps, elapsedMs, losses, backend, ...measured };
}

/**
 * Writes each scale's checkpoint into `dir` and tells the host where; one that cannot be written is a warning, not the
 * end of the run (it only loses the resume).
 */
function checkpointWriter(dir: string, id: string): NonNullable<FileHooks['onScaleDone']> {
  return async (checkpoint, losses) => {
    try {
      const file = await writeCheckpoint(dir, id, checkpoint, losses);
      const { scale, scales, steps } = checkpoint;
      send({ type: 'checkpoint', id, scale, scales, steps, file });
    } catch (e) {
      send({ type: 'log', level: 'warn', id, message: `the checkpoint of scale ${checkpoint.scale} was not written: `
        + `${(e as Error).message}` });
    }
  };
}

async function start(message: ToEngine<'start'>): Promise<void> {
  if (running) {
    // Not an error of the running job, even when the id is the same: a refusal of this request.
    refuse('start', message.id, 'EBUSY', `Job ${running.id} is still running; send one job at a time.`);
    return;
  }
  const abort = new AbortController();
  running = { id: message.id, abort };
  const { id } = message;
  try {
    send(await run(message, abort));
    // A cancel that came too late to stop the job still gets its own answer.
    if (abort.signal.aborted) refuse('cancel', id, 'EDONE', `Job ${id} had already finished.`);
  } catch (error) {
    if (error instanceof CancelledError) {
      send({ type: 'cancelled', id });
    } else {
      const { code, message: text, known } = errorFields(error, true);
      // An aborted wasm instance or a lost GPU cannot run again, and an error the engine cannot vouch for (a wasm
      // trap, a bug) may have left the backend broken: exit once the error is sent, so the host starts a fresh process.
      const retiring = !known || code === 'EABORTED' || code === 'EGPULOST';
      send({ type: 'error', id, code, message: text, retiring }, retiring ? () => process.exit(1) : undefined);
      if (abort.signal.aborted) refuse('cancel', id, 'EDONE', `Job ${id} had already failed.`);
    }
  } finally {
    running = null;
    // What the backend holds between jobs (the weights): a line that shows a leak, also to tests.
    if (engine && loaded) send({ type: 'log', level: 'info', id, message: memoryLine(loaded) });
  }
}

function memoryLine({ tf }: Heavy): string {
  const m = tf.memory() as ReturnType<typeof tf.memory> & { numBytesInGPU?: number };
  const gpu = m.numBytesInGPU === undefined ? '' : `, ${m.numBytesInGPU} bytes on the GPU`;
  return `memory after the job: ${m.numTensors} tensors, ${m.numBytes} bytes${gpu}`;
}

function cancel(message: ToEngine<'cancel'>): void {
  const { id } = message;
  const other = running ? ` (job ${running.id} is)` : '';
  if (running?.id !== id) refuse('cancel', id, 'ENOJOB', `No job ${id} is running${other}.`);
  else if (running.abort.signal.aborted) refuse('cancel', id, 'EALREADY', `Job ${id} is already being cancelled.`);
  else running.abort.abort();
}

async function probe(message: ToEngine<'probe'>): Promise<void> {
  const found = await probeDawn();
  if ('problem' in found) {
    send({ type: 'gpu', id: message.id, problem: found.problem });
    return;
  }
  const { name, software } = found.adapter;
  send({ type: 'gpu', id: message.id, adapter: { name, ...(software ? { software } : {}) } });
}

serve<ToEngine, FromEngine>({
  name: 'engine process',
  parse: parseToEngine,
  handle: (message) => {
    if (message.type === 'start') void start(message);
    else if (message.type === 'cancel') cancel(message);
    else void probe(message);
  },
  beforeExit: () => running?.abort.abort(),
  ready: { type: 'ready', version: PROTOCOL_VERSION, pid: process.pid },
});
