/**
 * The engine process: `fork()` this file (`@neural-style/engine/worker`) and speak protocol.ts over IPC. One
 * job runs at a time (hosts queue); a cancel stops it within one iteration and
 * writes nothing. The process exits when told to, or when its parent goes away.
 */
import sharp from 'sharp';
import { RgbImage } from './core/pixels';
import { CancelledError, NeuralStyleError } from './core/errors';
import { describeBackend } from './node/backend';
import { Engine, loadEngine } from './node/engine';
import { stylizeFiles } from './node/engine';
import { FromEngine, parseToEngine, PROTOCOL_VERSION, ToEngine } from './protocol';

let engine: Promise<Engine> | null = null;
let engineKey = '';
let running: { id: string; abort: AbortController } | null = null;

function send(message: FromEngine, then?: () => void): void {
  if (process.connected) process.send!(message, () => then?.());
  else then?.();
}

async function pngBase64(image: RgbImage): Promise<string> {
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  return (await sharp(Buffer.from(image.data), { raw }).png({ compressionLevel: 3 }).toBuffer()).toString('base64');
}

async function getEngine(message: ToEngine<'start'>): Promise<Engine> {
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
      onDownload: (p) => send({ type: 'log', level: 'info', message: `downloading ${p.file}: ${p.receivedBytes}/${p.totalBytes} bytes` }),
    });
    engine.catch(() => { engine = null; });
    const loaded = await engine;
    send({ type: 'log', level: 'info', message: describeBackend(loaded.backend) });
  }
  return engine;
}

async function start(message: ToEngine<'start'>): Promise<void> {
  if (running) {
    send({ type: 'error', id: message.id, code: 'EBUSY', message: `Job ${running.id} is still running; send one job at a time.` });
    return;
  }
  const abort = new AbortController();
  running = { id: message.id, abort };
  const { id } = message;
  try {
    const loaded = await getEngine(message);
    const previews: Promise<void>[] = [];
    const result = await stylizeFiles(loaded, message.job, {
      signal: abort.signal,
      onProgress: ({ preview, ...p }) => {
        send({ type: 'progress', id, ...p });
        if (preview) {
          previews.push(pngBase64(preview).then((png) => send({ type: 'preview', id, step: p.step, width: preview.width, height: preview.height, png })));
        }
      },
    });
    await Promise.all(previews);
    send({ type: 'done', id, output: result.output, steps: result.steps, elapsedMs: result.elapsedMs, losses: result.losses, backend: result.backend });
  } catch (error) {
    if (error instanceof CancelledError) {
      send({ type: 'cancelled', id });
    } else {
      const e = error as Error;
      const known = e instanceof NeuralStyleError;
      // An aborted wasm instance cannot run again: exit once the error is sent; the host starts a fresh process.
      const fatal = known && e.code === 'EABORTED';
      send({ type: 'error', id, code: known ? e.code : 'EINTERNAL', message: known ? e.message : `${e.message}\n${e.stack ?? ''}` },
        fatal ? () => process.exit(1) : undefined);
    }
  } finally {
    running = null;
  }
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
      if (running?.id === message.id) running.abort.abort();
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
