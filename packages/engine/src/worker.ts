/**
 * The engine process: `fork()` this file (`@neural-style/engine/worker`) and speak protocol.ts over IPC. One
 * job runs at a time (hosts queue); a cancel stops it between stages and
 * writes nothing (a host that needs it gone at once kills it: every write is
 * a temp file until its last step). Every request gets exactly one answer
 * naming its id: a start ends in done, error or cancelled, or is refused; a
 * cancel is answered by the job's cancelled, or refused. The process exits
 * when told to, or when its parent goes away.
 */
import sharp from 'sharp';
import { RgbImage } from './core/pixels';
import { CancelledError, NeuralStyleError } from './core/errors';
import { Engine, loadEngine, stylizeFiles, tf } from './node/engine';
import { checkJob } from './node/job-check';
import { loseGpu } from './node/gpu-loss';
import { probeDawn } from './node/dawn';
import { FromEngine, parseToEngine, PROTOCOL_VERSION, ToEngine } from './protocol';

// Tests ask for failures they cannot cause otherwise, at a job's first progress (`fault@jobId`: that job's only):
// 'unexpected' throws a plain Error (as a wasm trap or a bug would), 'lose-gpu' destroys the WebGPU device (a driver reset).
const [TEST_FAULT, TEST_FAULT_JOB] = (process.env.NEURAL_STYLE_TEST_FAULT ?? '').split('@');
const faultFor = (id: string) => (TEST_FAULT_JOB === undefined || TEST_FAULT_JOB === id ? TEST_FAULT : '');

let engine: Promise<Engine> | null = null;
let engineKey = '';
let running: { id: string; abort: AbortController } | null = null;

function refuse(request: 'start' | 'cancel', id: string, code: string, message: string): void {
  send({ type: 'refused', request, id, code, message });
}

function send(message: FromEngine, then?: () => void): void {
  if (process.connected) process.send!(message, () => then?.());
  else then?.();
}

async function pngBase64(image: RgbImage): Promise<string> {
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  return (await sharp(Buffer.from(image.data), { raw }).png({ compressionLevel: 3 }).toBuffer()).toString('base64');
}

/** The engine for a job's backend and weights, loaded once; the job's cancel reaches a weights download. */
async function getEngine(message: ToEngine<'start'>, signal: AbortSignal): Promise<Engine> {
  const key = `${message.backend ?? 'auto'}|${message.weights ?? ''}`;
  if (engine && key !== engineKey) {
    (await engine).dispose();
    engine = null;
  }
  if (!engine) {
    engineKey = key;
    engine = loadEngine({
      backend: message.backend,
      weights: message.weights,
      onDownload: (p) => send({ type: 'log', level: 'info', id: message.id, message: `downloading ${p.file}: ${p.receivedBytes}/${p.totalBytes} bytes` }),
      onWarning: (text) => send({ type: 'log', level: 'warn', id: message.id, message: text }),
      signal,
    });
    engine.catch(() => { engine = null; });
  }
  const loaded = await engine;
  const { name, detail, skipped, adapter } = loaded.backend;
  send({ type: 'backend', id: message.id, name, detail, skipped, ...(adapter ? { adapter: adapter.name } : {}) });
  return loaded;
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
    await checkJob(message.job); // a bad input or output path fails in milliseconds, before the weights load
    const loaded = await getEngine(message, abort.signal);
    const previews: Promise<void>[] = [];
    const result = await stylizeFiles(loaded, message.job, {
      signal: abort.signal,
      onProgress: ({ preview, ...p }) => {
        if (faultFor(id) === 'unexpected') throw new Error('injected fault (NEURAL_STYLE_TEST_FAULT=unexpected)');
        if (faultFor(id) === 'lose-gpu' && p.step === 1) loseGpu();
        send({ type: 'progress', id, ...p });
        if (preview) {
          previews.push(pngBase64(preview).then((png) => send({ type: 'preview', id, step: p.step, width: preview.width, height: preview.height, png })));
        }
      },
    });
    await Promise.all(previews);
    send({ type: 'done', id, output: result.output, steps: result.steps, elapsedMs: result.elapsedMs, losses: result.losses, backend: result.backend });
    // A cancel that came too late to stop the job still gets its own answer.
    if (abort.signal.aborted) refuse('cancel', id, 'EDONE', `Job ${id} had already finished.`);
  } catch (error) {
    if (error instanceof CancelledError) {
      send({ type: 'cancelled', id });
    } else {
      const e = error as Error;
      const known = e instanceof NeuralStyleError;
      // An aborted wasm instance or a lost GPU cannot run again, and an error the engine cannot vouch for (a wasm
      // trap, a bug) may have left the backend broken: exit once the error is sent, so the host starts a fresh process.
      const retiring = !known || e.code === 'EABORTED' || e.code === 'EGPULOST';
      send({ type: 'error', id, code: known ? e.code : 'EINTERNAL', message: known ? e.message : `${e.message}\n${e.stack ?? ''}`, retiring },
        retiring ? () => process.exit(1) : undefined);
      if (abort.signal.aborted) refuse('cancel', id, 'EDONE', `Job ${id} had already failed.`);
    }
  } finally {
    running = null;
    // What the backend holds between jobs (the weights): a line that shows a leak, also to tests.
    if (engine) send({ type: 'log', level: 'info', id, message: memoryLine() });
  }
}

function memoryLine(): string {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  const gpu = m.numBytesInGPU === undefined ? '' : `, ${m.numBytesInGPU} bytes on the GPU`;
  return `memory after the job: ${m.numTensors} tensors, ${m.numBytes} bytes${gpu}`;
}

function handle(raw: unknown): void {
  let message: ToEngine;
  try {
    message = parseToEngine(raw);
  } catch (e) {
    send({ type: 'error', code: 'EPROTOCOL', message: (e as Error).message });
    return;
  }
  switch (message.type) {
    case 'start':
      void start(message);
      break;
    case 'cancel':
      if (running?.id !== message.id) refuse('cancel', message.id, 'ENOJOB', `No job ${message.id} is running${running ? ` (job ${running.id} is)` : ''}.`);
      else if (running.abort.signal.aborted) refuse('cancel', message.id, 'EALREADY', `Job ${message.id} is already being cancelled.`);
      else running.abort.abort();
      break;
    case 'probe':
      void probeDawn().then((found) => send({ type: 'gpu', id: message.id, ...('problem' in found ? { problem: found.problem }
        : { adapter: { name: found.adapter.name, ...(found.adapter.software ? { software: found.adapter.software } : {}) } }) }));
      break;
    case 'shutdown':
      running?.abort.abort();
      process.disconnect();
      process.exit(0);
  }
}

if (!process.send) {
  console.error('This is the Neural Style engine process: start it with child_process.fork() and speak its IPC protocol.');
  process.exit(2);
}
process.on('message', handle);
// The parent went away (closed window, crash): nothing left to report to.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', version: PROTOCOL_VERSION, pid: process.pid });
