/**
 * The image process: `fork()` this file (`@neural-style/engine/image-worker`)
 * and speak image-protocol.ts over IPC. It decodes a job's images and writes
 * results for a host whose compute runs elsewhere (VS Code's webview on the
 * GPU), with the engine's own code: sharp, the same sizes, the same atomic
 * write that refuses an input as the output. It loads no TensorFlow.js backend
 * and keeps sharp off the extension host.
 */
import * as path from 'path';
import { validateOptions, validateRunOptions } from './core/validate';
import { RgbImage } from './core/pixels';
import { imageSize, outputFormat, writeImageFile } from './node/image';
import { checkResumeFile, readCheckpointFile, writeCheckpoint } from './node/checkpoint';
import { decodeJobImages } from './node/job-images';
import { errorFields, send as sendToHost, serve } from './node/process-entry';
import { formatResultParameters } from './result-parameters';
import { decodePixels, encodePixels, FromImages, parseToImages, ToImages } from './image-protocol';

const send: (message: FromImages) => void = sendToHost;

const asMessage = (image: RgbImage) => ({ width: image.width, height: image.height, data: encodePixels(image.data) });

async function decode(message: ToImages<'decode'>): Promise<void> {
  const options = validateOptions(message.options);
  const { maxInputPixels } = validateRunOptions({ maxInputPixels: message.maxInputPixels });
  const { content, styles } = await decodeJobImages(message.content, message.styles, options, maxInputPixels);
  send({ type: 'decoded', id: message.id, content: asMessage(content), styles: styles.map(asMessage) });
}

async function write(message: ToImages<'write'>): Promise<void> {
  outputFormat(message.output);
  const image = decodePixels(message.image, 'the result');
  const { content, styles, backend, steps, losses } = message;
  const names = { content: path.basename(content), styles: styles.map((s) => path.basename(s)) };
  const options = validateOptions(message.options);
  const parameters = formatResultParameters({ ...names, backend, steps, options, losses });
  await writeImageFile(image, message.output, [content, ...styles], parameters);
  send({ type: 'written', id: message.id, output: message.output });
}

async function measure(message: ToImages<'measure'>): Promise<void> {
  const { maxInputPixels } = validateRunOptions({ maxInputPixels: message.maxInputPixels });
  const { width, height } = await imageSize(message.file, maxInputPixels);
  send({ type: 'measured', id: message.id, width, height });
}

async function saveCheckpoint(message: ToImages<'writeCheckpoint'>): Promise<void> {
  const { dir, job, scale, scales, steps, losses } = message;
  const image = decodePixels(message.image, `the checkpoint of scale ${scale}`);
  const file = await writeCheckpoint(dir, job, { scale, scales, steps, image }, losses);
  send({ type: 'checkpointWritten', id: message.id, file });
}

async function loadCheckpoint(message: ToImages<'readCheckpoint'>): Promise<void> {
  checkResumeFile(message.file, message.dir);
  const { image, losses } = await readCheckpointFile(message.file, message.steps);
  send({ type: 'checkpointRead', id: message.id, image: asMessage(image), losses });
}

/** The work a request asks for (shutdown is the entry's own). */
function work(message: Exclude<ToImages, { type: 'shutdown' }>): Promise<void> {
  switch (message.type) {
    case 'decode': return decode(message);
    case 'write': return write(message);
    case 'measure': return measure(message);
    case 'writeCheckpoint': return saveCheckpoint(message);
    case 'readCheckpoint': return loadCheckpoint(message);
  }
}

serve<ToImages, FromImages>({
  name: 'image process',
  parse: parseToImages,
  handle: (message) => {
    const { id } = message;
    work(message).catch((error: Error) => {
      const { code, message: text } = errorFields(error);
      send({ type: 'error', id, code, message: text });
    });
  },
  ready: { type: 'ready', pid: process.pid },
});
