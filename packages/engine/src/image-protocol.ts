/*
 * The protocol of the image process (image-worker.ts): a host whose compute
 * runs elsewhere (VS Code's webview on the GPU) has its images decoded and
 * its result encoded and written here, by the same code and the same atomic,
 * never-overwrite write as the engine's own results. Pixels travel as base64
 * 8-bit RGB; every message is validated on arrival, in both directions.
 */
import { MAX_STYLES, OPTION_SPECS, StylizeOptions } from './core/options';
import { messageParser, MessageSchemas, Message, number, object, optional, someOf, string, array, tuple } from './schema';

/** 8-bit RGB pixels, row-major, base64: width × height × 3 bytes. */
export const rgbPixels = object({ width: number, height: number, data: string });

const someOptions = someOf<StylizeOptions>(Object.keys(OPTION_SPECS) as Array<keyof StylizeOptions>);

const TO_IMAGES = {
  /** Decodes a job's images the way the engine does: the content to options.size, the styles to their scale's side. */
  decode: { id: string, content: string, styles: array(string, 1, MAX_STYLES), options: optional(someOptions),
    maxInputPixels: optional(number) },
  /**
   * Encodes and writes a result atomically, never over its content or styles. A PNG keeps what made it
   * (result-parameters.ts: the file names, never their folders).
   */
  write: { id: string, image: rgbPixels, output: string, content: string, styles: array(string, 1, MAX_STYLES),
    backend: string, steps: number, options: someOptions,
    /** The loss at each iteration's end ([step, content, style, tv, total]); thinned and checked as it is written. */
    losses: optional(array(tuple(number, number, number, number, number))) },
  /**
   * Writes a finished scale's image as job `job`'s checkpoint in the host's folder `dir` (node/checkpoint.ts), with
   * the loss trace so far: what a run in the webview resumes from after a reload.
   */
  writeCheckpoint: { id: string, dir: string, job: string, scale: number, scales: number, steps: number,
    image: rgbPixels, losses: optional(array(tuple(number, number, number, number, number))) },
  /** The size of image `file` as the engine reads it (oriented): a mask drawn for it must have that size. */
  measure: { id: string, file: string, maxInputPixels: optional(number) },
  /** Reads checkpoint `file` (a PNG in `dir` only) of `steps` steps: its pixels and its loss trace. */
  readCheckpoint: { id: string, dir: string, file: string, steps: number },
  shutdown: {},
} satisfies MessageSchemas;

const FROM_IMAGES = {
  ready: { pid: number },
  decoded: { id: string, content: rgbPixels, styles: array(rgbPixels, 1, MAX_STYLES) },
  written: { id: string, output: string },
  measured: { id: string, width: number, height: number },
  checkpointWritten: { id: string, file: string },
  checkpointRead: { id: string, image: rgbPixels, losses: array(tuple(number, number, number, number, number)) },
  error: { id: optional(string), message: string, code: string },
} satisfies MessageSchemas;

export type ToImages<K extends keyof typeof TO_IMAGES = keyof typeof TO_IMAGES> = Message<typeof TO_IMAGES, K>;
export type FromImages<K extends keyof typeof FROM_IMAGES = keyof typeof FROM_IMAGES> = Message<typeof FROM_IMAGES, K>;

export const parseToImages = messageParser('to the image process', TO_IMAGES);
export const parseFromImages = messageParser('from the image process', FROM_IMAGES);

/** Base64 of 8-bit pixels (plain JavaScript: runs in Node and in a webview). */
export function encodePixels(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Pixels of a `rgbPixels` message, checked: whole-number sides, exactly width × height × 3 bytes. */
export function decodePixels(image: { width: number; height: number; data: string },
  what: string): { width: number; height: number; data: Uint8Array } {
  const { width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > 1e9) {
    throw new Error(`${what}: bad size ${width}×${height}.`);
  }
  let binary: string;
  try {
    binary = atob(image.data);
  } catch {
    throw new Error(`${what}: the pixels are not base64.`);
  }
  if (binary.length !== width * height * 3) throw new Error(`${what}: ${binary.length} bytes for ${width}×${height} RGB (expected ${width * height * 3}).`);
  const data = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
  return { width, height, data };
}
