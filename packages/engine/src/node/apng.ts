import * as fs from 'fs';
import sharp from 'sharp';
import UPNG from 'upng-js';
import { RgbImage } from '../core/pixels';
import { crc32 } from './png-text';

/*
 * Animated PNG (APNG), which libvips reads as its first frame only: read and
 * written by UPNG (upng-js), a frame at a time composed on the whole canvas
 * as the format's dispose and blend operations say.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * An animated PNG's frame count and loop count (0: for ever), from its acTL chunk, which comes before its first IDAT:
 * the headers alone are read. Null for any other file.
 */
export function apngHeader(file: string): { frames: number; loop: number } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(16);
    if (fs.readSync(fd, head, 0, 8, 0) !== 8 || !head.subarray(0, 8).equals(SIGNATURE)) return null;
    for (let at = 8, chunks = 0; chunks < 10_000; chunks++) {
      if (fs.readSync(fd, head, 0, 16, at) < 8) return null;
      const type = head.toString('latin1', 4, 8);
      if (type === 'acTL') return { frames: head.readUInt32BE(8), loop: head.readUInt32BE(12) };
      if (type === 'IDAT' || type === 'IEND') return null;
      at += 12 + head.readUInt32BE(0);
    }
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** An APNG's frames, composed, on white where they are transparent, and each one's delay (ms). */
export async function decodeApng(png: Buffer): Promise<{ frames: RgbImage[]; delays: number[] }> {
  const image = UPNG.decode(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer);
  const raw = { width: image.width, height: image.height, channels: 4 as const };
  const frames = await Promise.all(UPNG.toRGBA8(image).map(async (rgba) => {
    const data = await sharp(Buffer.from(rgba), { raw }).flatten({ background: '#ffffff' }).removeAlpha().raw()
      .toBuffer();
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
    return { width: image.width, height: image.height, data: pixels };
  }));
  return { frames, delays: image.frames.map((f) => f.delay) };
}

/** `frames` as a lossless APNG with `delays` (ms) that plays `loop` times (0: for ever). */
export function encodeApng(frames: readonly RgbImage[], delays: readonly number[], loop: number): Buffer {
  const [{ width, height }] = frames;
  const rgba = frames.map((f) => {
    const out = new Uint8Array(width * height * 4);
    for (let p = 0; p < width * height; p++) out.set([f.data[3 * p], f.data[3 * p + 1], f.data[3 * p + 2], 255], 4 * p);
    return out.buffer;
  });
  const png = Buffer.from(UPNG.encode(rgba, width, height, 0, [...delays]));
  return loop === 0 ? png : withLoopCount(png, loop);
}

/** UPNG writes an APNG that loops for ever: its acTL's play count set to `loop`, and the chunk's CRC again. */
function withLoopCount(png: Buffer, loop: number): Buffer {
  for (let at = 8; at + 12 <= png.length; at += 12 + png.readUInt32BE(at)) {
    if (png.toString('latin1', at + 4, at + 8) !== 'acTL') continue;
    png.writeUInt32BE(loop, at + 12);
    png.writeUInt32BE(crc32(png.subarray(at + 4, at + 16)), at + 16);
    break;
  }
  return png;
}
