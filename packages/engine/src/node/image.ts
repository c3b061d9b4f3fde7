import * as fs from 'fs';
import sharp from 'sharp';
import { RgbImage } from '../core/pixels';
import { NeuralStyleError } from '../core/errors';
import { shown } from '../core/text';
import { checkOutputPath, IfExists, outputFormat, writeOutputFile } from './output-file';
import { decodeBmp, readBmpHeader } from './bmp';
import { withPngText } from './png-text';
import { PARAMETERS_KEYWORD } from '../result-parameters';

export interface DecodeOptions {
  /** Resize so that the longest side is exactly this (up or down, Lanczos). */
  longestSide?: number;
  /** Refuse images with more pixels than this, from the header alone (decompression bombs). */
  maxInputPixels: number;
  /** What transparent pixels become (default white, as a photo shown on a page; a mask's is black: no style). */
  background?: string;
}

/*
 * Only the documented formats are decoded, by what libvips finds in the
 * bytes, whatever the file is named: every other loader is off in this
 * process. SVG above all: librsvg draws the files an SVG refers to (<image>,
 * XInclude) into the picture, and one that refers to itself crashes it.
 * sharp cannot draw an SVG with its references off, and a painting or a
 * photo is never a vector drawing, so an SVG is refused, not rasterised.
 */
const DECODERS = [
  'VipsForeignLoadJpeg', 'VipsForeignLoadPng', 'VipsForeignLoadWebp', 'VipsForeignLoadTiff', 'VipsForeignLoadNsgif',
  'VipsForeignLoadHeif',
];
sharp.block({ operation: ['VipsForeignLoad'] });
sharp.unblock({ operation: DECODERS });

const READABLE = 'Use png, jpeg, webp, tiff, gif, avif or bmp.';

/** A sharp failure, said in words a user can act on; `head`: the file's first bytes, to name a format we refuse. */
function explain(file: string, error: Error, head?: Buffer): NeuralStyleError {
  const m = error.message;
  if (/exceeds pixel limit/i.test(m)) {
    return new NeuralStyleError(`${shown(file)} is too large: it declares more pixels than the limit of the `
      + 'maxInputPixels option. Resize it first, or raise the limit if it is genuine.', 'ETOOBIG');
  }
  if (/unsupported image format|bad seek|Input buffer contains unsupported/i.test(m)) {
    if (head && /<svg[\s>]/i.test(head.toString('latin1'))) {
      return new NeuralStyleError(`${shown(file)} is an SVG drawing, which is not read (an SVG can draw other files `
        + `into the picture). Export it as PNG first. ${READABLE}`, 'EIMAGE');
    }
    return new NeuralStyleError(`${shown(file)} is not an image we can read. ${READABLE}`, 'EIMAGE');
  }
  return new NeuralStyleError(`${shown(file)} could not be decoded (${shown(m.split('\n')[0])}); it may be truncated `
    + 'or corrupt.', 'EIMAGE');
}

/**
 * A failure to read an input, said in words a user can act on: missing
 * (perhaps removed mid-run), no permission (perhaps taken away mid-run), or
 * the file system's own reason by name.
 */
function readError(file: string, error: unknown): NeuralStyleError {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return new NeuralStyleError(`${shown(file)} does not exist.`, 'ENOENT');
    case 'EACCES':
    case 'EPERM': return new NeuralStyleError(`Cannot read ${shown(file)}: no permission to read it. Allow reading `
      + 'it (chmod), or choose another file.', 'EACCES');
    case 'EISDIR': return new NeuralStyleError(`${shown(file)} is not a file.`, 'EIMAGE');
    case 'ELOOP': return new NeuralStyleError(`Cannot read ${shown(file)}: its symbolic links lead in a `
      + 'circle.', 'ELOOP');
    default: return new NeuralStyleError(`Cannot read ${shown(file)} `
      + `(${code ?? shown(String((error as Error).message), 80)}).`, code ?? 'EIO');
  }
}

/** Fails with a plain sentence when the file is missing, not a file, empty or unreadable. */
async function checkReadable(file: string): Promise<void> {
  const stat = await fs.promises.stat(file).catch((e) => { throw readError(file, e); });
  if (!stat.isFile()) throw new NeuralStyleError(`${shown(file)} is not a file.`, 'EIMAGE');
  if (stat.size === 0) throw new NeuralStyleError(`${shown(file)} is empty (0 bytes).`, 'EIMAGE');
}

/** The file's first `bytes` bytes (fewer when it is shorter); a read failure is readError's sentence. */
async function readHead(file: string, bytes: number): Promise<Buffer> {
  const head = Buffer.alloc(bytes);
  try {
    const fd = await fs.promises.open(file, 'r');
    try {
      const { bytesRead } = await fd.read(head, 0, bytes, 0);
      return head.subarray(0, bytesRead);
    } finally {
      await fd.close();
    }
  } catch (e) {
    throw readError(file, e);
  }
}

/** The whole file if it is a BMP (sharp's libvips reads none), else null. */
async function readIfBmp(file: string): Promise<Uint8Array | null> {
  const head = await readHead(file, 2);
  if (head[0] !== 0x42 || head[1] !== 0x4d) return null; // "BM"
  return new Uint8Array(await fs.promises.readFile(file).catch((e) => { throw readError(file, e); }));
}

/**
 * A sharp failure explained, with the file's first kilobyte to name what it
 * is; a file that can no longer be read (made unreadable or removed since
 * our own read) is said as such, not as a bad image.
 */
async function explainFile(file: string, error: Error): Promise<NeuralStyleError> {
  let head: Buffer;
  try {
    head = await readHead(file, 1024);
  } catch (e) {
    return e as NeuralStyleError;
  }
  return explain(file, error, head);
}

/** A BMP's size from its header, refused before any pixel is decoded when over the limit. */
function bmpSize(bytes: Uint8Array, file: string, maxInputPixels: number): { width: number; height: number } {
  const { width, height } = readBmpHeader(bytes, file);
  if (width * height > maxInputPixels) throw explain(file, new Error('Input image exceeds pixel limit'));
  return { width, height };
}

/**
 * Reads an image file as 8-bit RGB: EXIF orientation applied; greyscale,
 * palette, 16-bit and CMYK converted to sRGB; transparency composited onto
 * white (a transparent pixel reads as paper, as in a painting); GIFs and other
 * animations give their first frame.
 */
export async function decodeImageFile(file: string, options: DecodeOptions): Promise<RgbImage> {
  await checkReadable(file);
  let input: string | Buffer = file;
  let raw: sharp.SharpOptions['raw'];
  const bmpBytes = await readIfBmp(file);
  if (bmpBytes) {
    // sharp's libvips reads no BMP: decode it here and hand sharp the pixels.
    bmpSize(bmpBytes, file, options.maxInputPixels);
    const bmp = decodeBmp(bmpBytes, file);
    input = Buffer.from(bmp.data.buffer, bmp.data.byteOffset, bmp.data.byteLength);
    raw = { width: bmp.width, height: bmp.height, channels: bmp.channels };
  }
  try {
    let pipeline = sharp(input, { limitInputPixels: options.maxInputPixels, failOn: 'truncated', pages: 1, raw })
      .rotate()
      .flatten({ background: options.background ?? '#ffffff' })
      .toColourspace('srgb');
    if (options.longestSide) {
      pipeline = pipeline.resize(options.longestSide, options.longestSide, { fit: 'inside', kernel: 'lanczos3' });
    }
    const { data, info } = await pipeline.removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return { width: info.width, height: info.height, data: pixels };
  } catch (e) {
    throw await explainFile(file, e as Error);
  }
}

/** Image dimensions from the header, oriented, without decoding; checks the pixel limit. */
export async function imageSize(file: string, maxInputPixels: number): Promise<{ width: number; height: number }> {
  await checkReadable(file);
  const bmpBytes = await readIfBmp(file);
  if (bmpBytes) return bmpSize(bmpBytes, file, maxInputPixels);
  let meta: sharp.Metadata;
  try {
    meta = await sharp(file, { limitInputPixels: maxInputPixels }).metadata();
  } catch (e) {
    throw await explainFile(file, e as Error);
  }
  if (!meta.width || !meta.height) {
    throw new NeuralStyleError(`${shown(file)} has no image dimensions; it may be truncated or corrupt.`, 'EIMAGE');
  }
  if (meta.width * meta.height > maxInputPixels) throw explain(file, new Error('Input image exceeds pixel limit'));
  const swap = (meta.orientation ?? 1) >= 5;
  return swap ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
}

export { outputFormat };

/**
 * Encodes RGB pixels to the format the file name asks for (PNG gets `parameters`, result-parameters.ts's text, as an
 * iTXt chunk).
 */
export async function encodeImage(image: RgbImage, file: string, parameters?: string): Promise<Buffer> {
  const format = outputFormat(file);
  const raw = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 3 },
  });
  const encoded = await raw.toFormat(format, format === 'jpeg' ? { quality: 92 } : {}).toBuffer();
  return format === 'png' && parameters ? withPngText(encoded, PARAMETERS_KEYWORD, parameters) : encoded;
}

/**
 * Writes the image (see output-file.ts): never over one of `inputs`; an
 * existing file is refused, replaced or given a numbered name, as `ifExists`
 * says. Returns the path written.
 */
export async function writeImageFile(image: RgbImage, file: string, inputs: string[], parameters?: string,
  ifExists: IfExists = 'refuse'): Promise<string> {
  checkOutputPath(file, { inputs, ifExists });
  return writeOutputFile(file, await encodeImage(image, file, parameters), ifExists);
}
