import * as zlib from 'zlib';

/*
 * sharp writes no arbitrary PNG text, so we add one chunk after IHDR: an
 * iTXt, whose text is UTF-8 (a tEXt is Latin-1: a file name in another
 * script would come back as other characters, some of them quotes or
 * newlines). zlib.crc32 exists from Node 20.15; the table is for older 20.x.
 */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** A PNG chunk's CRC (of its type and data). */
export function crc32(bytes: Uint8Array): number {
  const native = (zlib as unknown as { crc32?: (b: Uint8Array) => number }).crc32;
  if (native) return native(bytes);
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Returns the PNG with an uncompressed iTXt chunk `keyword`=`text` (UTF-8, no
 * language tag) inserted after IHDR. The keyword is Latin-1, 1 to 79 characters.
 */
export function withPngText(png: Buffer, keyword: string, text: string): Buffer {
  if (!/^[\x20-\x7e\xa1-\xff]{1,79}$/.test(keyword)) throw new Error(`Invalid PNG text keyword ${JSON.stringify(keyword)}.`);
  // keyword NUL, compression flag 0, method 0, language tag "" NUL, translated keyword "" NUL, text.
  const body = Buffer.concat([Buffer.from('iTXt', 'latin1'), Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), body.length + 4);
  const afterIhdr = 8 + 8 + png.readUInt32BE(8) + 4;
  return Buffer.concat([png.subarray(0, afterIhdr), chunk, png.subarray(afterIhdr)]);
}

/** An iTXt's keyword and text; null for a compressed one (we write none) or one that is cut short. */
function readItxt(data: Buffer): [string, string] | null {
  const zero = data.indexOf(0);
  if (zero < 0 || data[zero + 1] !== 0) return null;
  const language = data.indexOf(0, zero + 3);
  const translated = language < 0 ? -1 : data.indexOf(0, language + 1);
  if (translated < 0) return null;
  return [data.toString('latin1', 0, zero), data.toString('utf8', translated + 1)];
}

/**
 * Reads the PNG's text chunks as keyword → text: uncompressed iTXt (UTF-8) and, from older pictures, tEXt (Latin-1).
 */
export function readPngText(png: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'tEXt') {
      const zero = data.indexOf(0);
      if (zero > 0) out[data.toString('latin1', 0, zero)] = data.toString('latin1', zero + 1);
    } else if (type === 'iTXt') {
      const entry = readItxt(data);
      if (entry) out[entry[0]] = entry[1];
    }
    at += 12 + length;
  }
  return out;
}
