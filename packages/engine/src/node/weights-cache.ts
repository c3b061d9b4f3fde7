import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { shown } from '../core/text';
import { sha256Hex, WeightFiles } from '../core/weights';
import { isRunning } from './atomic';

/*
 * The user cache of downloaded weights: one entry per URL, written in a temp
 * folder renamed into place, so an entry is whole or absent. The cache is a
 * convenience: when it cannot be written the run goes on with the weights in
 * memory, and the entries of writers killed mid-write are removed later.
 */

/** In a cache entry: the URL of a download whose server had no SHA256SUMS. */
export const UNVERIFIED_MARKER = 'UNVERIFIED';

export function weightsCacheDir(): string {
  const base = process.env.NEURAL_STYLE_CACHE ?? process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(process.env.NEURAL_STYLE_CACHE ? base : path.join(base, 'neural-style'), 'weights');
}

/** The cache entry of a URL: a folder named by its hash. */
export function cacheEntryOf(url: string): string {
  return path.join(weightsCacheDir(), crypto.createHash('sha256').update(url).digest('hex').slice(0, 16));
}

/**
 * An entry being written: `<entry>.partial-<pid>-XXXXXX` (before the pid was in the name: `<entry>.partial-XXXXXX`).
 */
const PARTIAL = /^[0-9a-f]{16}\.partial-(?:(\d+)-)?[A-Za-z0-9]{6}$/;
/** A partial entry without a pid is debris once this old: writing one takes seconds. */
const UNNAMED_PARTIAL_MS = 60 * 60_000;

/** Removes the partial entries of writers killed mid-write (their pid no longer runs); returns their names. */
export function removeCacheDebris(cache = weightsCacheDir()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(cache);
  } catch {
    return []; // No cache yet, or none we may read: nothing to clean.
  }
  return names.filter((name) => {
    const m = PARTIAL.exec(name);
    if (!m) return false;
    try {
      const stale = m[1] ? !isRunning(Number(m[1]))
        : Date.now() - fs.statSync(path.join(cache, name)).mtimeMs > UNNAMED_PARTIAL_MS;
      if (stale) fs.rmSync(path.join(cache, name), { recursive: true, force: true });
      return stale;
    } catch {
      return false; // Not ours to remove after all (permissions): leave it.
    }
  });
}

/** mkdir -p, one level at a time: Node's recursive mkdir says ENOENT for a read-only file system; this says EROFS. */
function makeFolders(dir: string): void {
  try {
    fs.mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && fs.statSync(dir).isDirectory()) return;
    if (code !== 'ENOENT' || path.dirname(dir) === dir) throw e;
    makeFolders(path.dirname(dir));
    fs.mkdirSync(dir);
  }
}

/**
 * Writes a verified download as the cache entry `dir`: in a temp folder, renamed into place last. Throws the file
 * system's error.
 */
export async function writeCacheEntry(dir: string, files: WeightFiles, manifestText: string): Promise<void> {
  makeFolders(path.dirname(dir));
  const temp = fs.mkdtempSync(`${dir}.partial-${process.pid}-`);
  try {
    let sumsText = '';
    for (const [name, bytes] of files.shards) {
      fs.writeFileSync(path.join(temp, name), bytes, { flag: 'wx' });
      sumsText += `${await sha256Hex(bytes)}  ${name}\n`;
    }
    fs.writeFileSync(path.join(temp, 'model.json'), manifestText, { flag: 'wx' });
    fs.writeFileSync(path.join(temp, 'SHA256SUMS'), sumsText, { flag: 'wx' });
    if (!files.sha256) fs.writeFileSync(path.join(temp, UNVERIFIED_MARKER), `${files.origin}\n`, { flag: 'wx' });
    fs.rmSync(dir, { recursive: true, force: true }); // an older entry without SHA256SUMS: incomplete
    fs.renameSync(temp, dir);
  } finally {
    try {
      fs.rmSync(temp, { recursive: true, force: true });
    } catch {
      // Left for removeCacheDebris: the original error is the one to report.
    }
  }
}

/** Why the cache entry `dir` could not be written, as the warning of a run that goes on without it. */
export function cacheWarning(dir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full'
    : code === 'EROFS' ? 'it is on a read-only file system'
      : code === 'EACCES' || code === 'EPERM' ? 'no permission to write there'
        : code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of its path is a file, not a folder'
          : `${code ?? 'error'}: ${shown(String((error as Error).message).split('\n')[0], 120)}`;
  return `Cannot keep the downloaded weights in the cache ${shown(dir)} (${why}): this run uses them from memory, `
    + 'and the next downloads them again. Free the cache, or set NEURAL_STYLE_CACHE to a writable folder.';
}
