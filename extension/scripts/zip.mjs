// Reads a zip (a .vsix) with Buffer reads: its central directory, then each entry's bytes.
// Enough for what vsce writes (stored or deflated entries, no zip64, no encryption).
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The end-of-central-directory record: the last one in the file (a comment may follow it). */
function endRecord(zip) {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === EOCD) return { count: zip.readUInt16LE(at + 10), offset: zip.readUInt32LE(at + 16) };
  }
  throw new Error('not a zip file (no end of central directory)');
}

/** Every entry of the zip at `file`, in order: { name, size, read() → Buffer }. */
export function readZip(file) {
  const zip = readFileSync(file);
  const { count, offset } = endRecord(zip);
  const entries = [];
  for (let i = 0, at = offset; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new Error(`${file}: central directory entry ${i} is damaged`);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const read = () => {
      if (zip.readUInt32LE(local) !== LOCAL) throw new Error(`${file}: ${name}'s local header is damaged`);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${file}: ${name} uses compression method ${method}`);
    };
    entries.push({ name, size, read });
  }
  return entries;
}
