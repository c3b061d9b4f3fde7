/**
 * Windows BMP → RGBA, because sharp's prebuilt libvips reads no BMP. Covers
 * what image editors write: uncompressed 1/4/8-bit palette, 16/24/32-bit
 * (BI_RGB and BI_BITFIELDS), bottom-up or top-down. RLE is refused by name.
 */
import { NeuralStyleError } from '../core/errors';
import { shown } from '../core/text';

export interface RawImage { width: number; height: number; channels: 4; data: Uint8Array }

export const isBmp = (bytes: Uint8Array) => bytes.length > 26 && bytes[0] === 0x42 && bytes[1] === 0x4d;

// A channel mask → (shift, scale to 0..255).
function channel(mask: number): (v: number) => number {
  if (!mask) return () => 255;
  let shift = 0;
  while (!((mask >>> shift) & 1)) shift++;
  const max = mask >>> shift;
  return (v) => Math.round((((v & mask) >>> shift) * 255) / max);
}

interface BmpHeader {
  width: number; height: number; topDown: boolean; bpp: number; compression: number; headerSize: number;
  dataOffset: number; stride: number;
}

const unreadable = (file: string, why: string) => new NeuralStyleError(`${shown(file)} is a BMP we cannot read `
  + `(${why}). Convert it to PNG.`, 'EIMAGE');

/** The header's facts, checked (size, compression, bit depth, truncation), without touching the pixels. */
export function readBmpHeader(bytes: Uint8Array, file: string): BmpHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (why: string) => unreadable(file, why);
  if (!isBmp(bytes) || bytes.length < 54) throw bad('truncated header');
  const dataOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (headerSize < 40) throw bad(`OS/2 header of ${headerSize} bytes`);
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bpp = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0 || width * height > 1e9) throw bad(`size ${width}×${rawHeight}`);
  if (compression !== 0 && compression !== 3) {
    throw bad(compression === 1 || compression === 2 ? 'RLE compression' : `compression ${compression}`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw bad(`${bpp} bits per pixel`);
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  if (dataOffset + stride * height > bytes.length) throw bad('truncated pixel data');
  return { width, height, topDown: rawHeight < 0, bpp, compression, headerSize, dataOffset, stride };
}

export function decodeBmp(bytes: Uint8Array, file: string): RawImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (why: string) => unreadable(file, why);
  const { width, height, topDown, bpp, compression, headerSize, dataOffset, stride } = readBmpHeader(bytes, file);
  let masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0xff0000, 0xff00, 0xff, 0];
  if (compression === 3) {
    if (bytes.length < (headerSize >= 56 ? 70 : 66)) throw bad('truncated bit fields');
    // At byte 54 either way: right after a 40-byte header, or inside a V3/V4/V5 one (which adds alpha).
    const alpha = headerSize >= 56 ? view.getUint32(66, true) : 0;
    masks = [view.getUint32(54, true), view.getUint32(58, true), view.getUint32(62, true), alpha];
  }
  const [r, g, b, a] = masks.map(channel);
  const hasAlpha = bpp === 32 && (compression === 3 ? masks[3] !== 0 : false);
  const colors = view.getUint32(46, true) || (bpp <= 8 ? 1 << bpp : 0);
  // The palette follows the header (and, with a 40-byte header and bit fields, the 3 masks).
  const palette = 14 + headerSize + (compression === 3 && headerSize === 40 ? 12 : 0);
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (bpp <= 8) {
        const bit = x * bpp;
        const index = (bytes[row + (bit >> 3)] >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        if (index >= colors) throw bad(`palette index ${index} of ${colors}`);
        const p = palette + index * 4;
        out[o] = bytes[p + 2]; out[o + 1] = bytes[p + 1]; out[o + 2] = bytes[p]; out[o + 3] = 255;
      } else {
        const v = bpp === 16 ? view.getUint16(row + x * 2, true)
          : bpp === 24 ? bytes[row + x * 3] | (bytes[row + x * 3 + 1] << 8) | (bytes[row + x * 3 + 2] << 16)
          : view.getUint32(row + x * 4, true);
        out[o] = r(v); out[o + 1] = g(v); out[o + 2] = b(v); out[o + 3] = hasAlpha ? a(v) : 255;
      }
    }
  }
  return { width, height, channels: 4, data: out };
}
