/**
 * A cheap look at an image file before it is queued: its first bytes say
 * which format it is, and for the formats with an end marker (PNG, JPEG, GIF)
 * its last bytes say whether it was cut short. A few dozen bytes read, no
 * decoding: the host must not load sharp or decode on its thread, and a
 * broken file should be listed when the batch is queued, not fail at its turn.
 * Pure Node (no vscode).
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import * as l10n from '@vscode/l10n';

type Format = 'PNG' | 'JPEG' | 'WebP' | 'GIF' | 'BMP' | 'TIFF' | 'AVIF';

const FORMAT_OF_EXTENSION: Record<string, Format> = {
  png: 'PNG', jpg: 'JPEG', jpeg: 'JPEG', webp: 'WebP', gif: 'GIF', bmp: 'BMP', tif: 'TIFF', tiff: 'TIFF', avif: 'AVIF',
};

const ascii = (bytes: Buffer, at: number, text: string) => bytes.toString('latin1', at, at + text.length) === text;

/** The format the first bytes are the signature of; undefined: none we read. */
export function formatOfHead(head: Buffer): Format | undefined {
  if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47 && head.readUInt32BE(4) === 0x0d0a1a0a) return 'PNG';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'JPEG';
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return 'WebP';
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return 'GIF';
  if (ascii(head, 0, 'BM') && head.length >= 14) return 'BMP';
  if (ascii(head, 0, 'II*\0') || ascii(head, 0, 'MM\0*')) return 'TIFF';
  if (ascii(head, 4, 'ftyp') && (ascii(head, 8, 'avif') || ascii(head, 8, 'avis'))) return 'AVIF';
  return undefined;
}

/**
 * Whether a file of `format` ends as it should. PNG ends with its IEND chunk,
 * JPEG with the EOI marker (some cameras add padding after it: looked for in
 * the tail, not only the last two bytes), GIF with its trailer byte.
 */
export function endsWhole(format: Format, tail: Buffer): boolean {
  switch (format) {
    case 'PNG': return tail.includes(Buffer.from('IEND', 'latin1'));
    case 'JPEG': return tail.includes(Buffer.from([0xff, 0xd9]));
    case 'GIF': return tail.includes(0x3b);
    default: return true;
  }
}

const HEAD = 32;
const TAIL = 64;

/** What is wrong with image `file`, in words ("not a JPEG: its bytes are not an image"); undefined: nothing seen. */
export async function imageFileProblem(file: string): Promise<string | undefined> {
  const named = FORMAT_OF_EXTENSION[path.extname(file).slice(1).toLowerCase()];
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const { size } = await handle.stat();
    if (size === 0) return l10n.t('the file is empty');
    const head = Buffer.alloc(Math.min(HEAD, size));
    await handle.read(head, 0, head.length, 0);
    const format = formatOfHead(head);
    if (!format) return l10n.t('not a {0}: its bytes are not an image', named ?? 'image');
    const tail = Buffer.alloc(Math.min(TAIL, size));
    await handle.read(tail, 0, tail.length, size - tail.length);
    // A PNG named .jpg is still a picture: sharp reads it by its bytes, so only a cut-short file is refused.
    if (!endsWhole(format, tail)) return l10n.t('truncated: the {0} file ends before its picture does', format);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? l10n.t('the file is not there') : l10n.t('cannot be read ({0})', code ?? String(e));
  } finally {
    await handle?.close();
  }
}

export interface SortedImages {
  good: string[];
  bad: Array<{ file: string; problem: string }>;
}

/** The files split into those that look like pictures and those that do not, each with its problem. */
export async function sortImageFiles(files: string[]): Promise<SortedImages> {
  const problems = await Promise.all(files.map(imageFileProblem));
  return {
    good: files.filter((_, i) => !problems[i]),
    bad: files.flatMap((file, i) => (problems[i] ? [{ file, problem: problems[i]! }] : [])),
  };
}
