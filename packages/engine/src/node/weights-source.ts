import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { CancelledError, NeuralStyleError } from '../core/errors';
import { shown } from '../core/text';
import { parseManifest, verifyWeightFiles, WeightFiles } from '../core/weights';
import { DownloadProgress, downloadBytes, shownUrl } from './download';
import { cacheEntryOf, cacheWarning, removeCacheDebris, UNVERIFIED_MARKER, writeCacheEntry } from './weights-cache';

export type { DownloadProgress };
export { weightsCacheDir } from './weights-cache';

/** How weights from a URL are fetched: progress, warnings that do not stop the run, and a cancel. */
export interface WeightsLoad {
  onProgress?: (p: DownloadProgress) => void;
  /** Something the user should know that does not stop the run (the cache could not be written). */
  onWarning?: (message: string) => void;
  /** Aborting it stops a download: the load rejects with a CancelledError. */
  signal?: AbortSignal;
}

/** The VGG19 weights shipped in this package (the embedded default; nothing is downloaded). */
export const BUNDLED_WEIGHTS_DIR = path.resolve(__dirname, '..', '..', 'weights', 'vgg19');

/**
 * `SHA256SUMS` (sha256sum's format): a line per file, 64 hex digits, a space,
 * a space or `*`, the file name. Anything else is an error naming the file and
 * line: a SUMS file that does not parse must never turn verification off.
 */
export function parseSha256Sums(text: string, origin: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (!m) {
      throw new NeuralStyleError(`${origin} line ${i + 1} is not "<sha256>  <file name>": `
        + `${JSON.stringify(shown(line, 80))}. Reinstall or re-download the weights.`, 'EWEIGHTS');
    }
    if (Object.hasOwn(out, m[2])) throw new NeuralStyleError(`${origin} lists ${shown(m[2], 80)} twice.`, 'EWEIGHTS');
    out[m[2]] = m[1].toLowerCase();
  });
  if (Object.keys(out).length === 0) {
    throw new NeuralStyleError(`${origin} lists no files. Reinstall or re-download the weights (or remove it to load `
      + 'them unverified).', 'EWEIGHTS');
  }
  return out;
}

/** A weight file's bytes, or an error naming it (missing, a folder, unreadable). */
function readWeightFile(file: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `Weight file ${shown(file)} is missing.`
      : `Cannot read weight file ${shown(file)} (${code}).`;
    throw new NeuralStyleError(why, 'EWEIGHTS');
  }
  if (!stat.isFile()) throw new NeuralStyleError(`Weight file ${shown(file)} is not a file (a folder?).`, 'EWEIGHTS');
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new NeuralStyleError(`Cannot read weight file ${shown(file)} `
      + `(${(e as NodeJS.ErrnoException).code}).`, 'EWEIGHTS');
  }
}

/** Reads a weights folder: model.json, its shards and (when present) SHA256SUMS. */
export function readWeightsFolder(dir: string): WeightFiles {
  const manifestPath = path.join(dir, 'model.json');
  if (!fs.existsSync(manifestPath)) {
    throw new NeuralStyleError(`Weight file ${shown(manifestPath)} is missing. Point the weights option at a folder `
      + 'with model.json and its shards.', 'EWEIGHTS');
  }
  const manifest = parseManifest(readWeightFile(manifestPath).toString('utf8'), shown(manifestPath));
  const shards = new Map<string, Uint8Array>();
  for (const rel of manifest.weightsManifest.flatMap((g) => g.paths)) {
    shards.set(rel, new Uint8Array(readWeightFile(path.join(dir, rel))));
  }
  const sumsPath = path.join(dir, 'SHA256SUMS');
  const sha256 = fs.existsSync(sumsPath)
    ? parseSha256Sums(readWeightFile(sumsPath).toString('utf8'), sumsPath) : undefined;
  // A download without SHA256SUMS on its server is cached with sums of what arrived: they catch later damage, not a
  // bad server.
  const marker = path.join(dir, UNVERIFIED_MARKER);
  const unverified = !sha256 ? `the weights in ${shown(dir)} have no SHA256SUMS`
    : fs.existsSync(marker) ? `the weights in ${shown(dir)} were downloaded from `
      + `${shown(fs.readFileSync(marker, 'utf8').trim())}, which has no SHA256SUMS` : undefined;
  return { manifest, shards, sha256, origin: shown(dir), unverified };
}

/** Size limits of a download: VGG19's conv layers are 20 MB quantized, 80 MB as float32. */
export const WEIGHTS_LIMITS = {
  manifestBytes: 4 * 1024 * 1024, sumsBytes: 64 * 1024, totalBytes: 1024 * 1024 * 1024,
} as const;

/**
 * Weights from a URL to a model.json, downloaded once into the user cache
 * (with progress). Everything is fetched and checked in memory first (shard
 * names, sizes, SHA256SUMS when the server has one beside model.json); only
 * then is a cache entry written (weights-cache.ts), which records the shards'
 * hashes so a later load notices a corrupted cache. A cache that cannot be
 * written is a warning: the run uses the weights from memory.
 */
async function downloadWeights(url: string, load: WeightsLoad): Promise<WeightFiles> {
  if (!url.endsWith('.json')) {
    throw new NeuralStyleError(`Invalid weights URL ${shownUrl(url)}. Give an https URL of a TF.js `
      + 'model.json.', 'EWEIGHTS');
  }
  const dir = cacheEntryOf(url);
  if (fs.existsSync(path.join(dir, 'SHA256SUMS'))) return readWeightsFolder(dir);
  const get = (file: string, maxBytes: number, optional = false) =>
    downloadBytes(file, maxBytes, { optional, onProgress: load.onProgress, signal: load.signal });
  const manifestText = new TextDecoder().decode((await get(url, WEIGHTS_LIMITS.manifestBytes))!);
  const manifest = parseManifest(manifestText, shownUrl(url)); // refuses shard names that are not plain file names
  const sumsUrl = new URL('SHA256SUMS', url).href;
  const sums = await get(sumsUrl, WEIGHTS_LIMITS.sumsBytes, true);
  const expected = sums ? parseSha256Sums(new TextDecoder().decode(sums), shownUrl(sumsUrl)) : undefined;
  const files: WeightFiles = { manifest, shards: new Map(), sha256: expected, origin: shownUrl(url) };
  let budget = WEIGHTS_LIMITS.totalBytes;
  for (const name of manifest.weightsManifest.flatMap((g) => g.paths)) {
    const bytes = (await get(new URL(name, url).href, budget))!;
    budget -= bytes.byteLength;
    files.shards.set(name, bytes);
  }
  await verifyWeightFiles(files);
  try {
    await writeCacheEntry(dir, files, manifestText);
  } catch (e) {
    load.onWarning?.(cacheWarning(dir, e));
    return { ...files, unverified: expected ? undefined : `the weights from ${files.origin} have no SHA256SUMS` };
  }
  return readWeightsFolder(dir);
}

/** A weights folder, or the model.json in it. */
function readLocalWeights(location: string, shownAs = location): WeightFiles {
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(location);
  } catch {
    // Said below.
  }
  if (!stat) {
    throw new NeuralStyleError(`Weights folder ${shown(shownAs)} does not exist. Give a folder with model.json, or `
      + 'an https URL of a model.json.', 'EWEIGHTS');
  }
  if (stat.isFile()) {
    if (path.basename(location) === 'model.json') return readWeightsFolder(path.dirname(location));
    throw new NeuralStyleError(`Weights ${shown(shownAs)} is a file, not a weights folder. Give the folder that `
      + 'holds model.json and its shards (or that model.json).', 'EWEIGHTS');
  }
  return readWeightsFolder(location);
}

/** The local path of a file:// URL, or an error naming it (another machine's file, a malformed URL). */
function fileUrlPath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch (e) {
    throw new NeuralStyleError(`Invalid weights URL ${shownUrl(url)}: ${(e as Error).message}. Give a file:// URL of `
      + 'a folder on this machine, or the folder itself.', 'EWEIGHTS');
  }
}

/**
 * Weight files from the bundled default, a folder (or the model.json in it,
 * or a file:// URL of either), or an http(s) URL (downloaded once). An empty
 * location is the bundled default. Every load also removes what writers
 * killed mid-write left in the cache.
 */
export async function loadWeightFiles(location?: string, load: WeightsLoad = {}): Promise<WeightFiles> {
  removeCacheDebris();
  if (!location) return readWeightsFolder(BUNDLED_WEIGHTS_DIR);
  const scheme = /^([a-z][a-z\d+.-]*):\/\//i.exec(location)?.[1].toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    if (load.signal?.aborted) throw new CancelledError();
    return downloadWeights(location, load);
  }
  if (scheme === 'file') return readLocalWeights(fileUrlPath(location), location);
  if (scheme) {
    throw new NeuralStyleError(`Refusing weights ${shownUrl(location)}: ${scheme}: URLs are not supported. Give a `
      + 'folder, its model.json, a file:// URL of either, or an https URL of a model.json.', 'EWEIGHTS');
  }
  return readLocalWeights(location);
}
