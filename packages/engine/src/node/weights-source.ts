import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NeuralStyleError } from '../core/errors';
import { shown } from '../core/validate';
import { parseManifest, sha256Hex, verifyWeightFiles, WeightFiles } from '../core/weights';
import { DownloadProgress, downloadBytes } from './download';

export type { DownloadProgress };

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
    if (!m) throw new NeuralStyleError(`${origin} line ${i + 1} is not "<sha256>  <file name>": ${JSON.stringify(shown(line, 80))}. Reinstall or re-download the weights.`, 'EWEIGHTS');
    if (Object.hasOwn(out, m[2])) throw new NeuralStyleError(`${origin} lists ${shown(m[2], 80)} twice.`, 'EWEIGHTS');
    out[m[2]] = m[1].toLowerCase();
  });
  if (Object.keys(out).length === 0) throw new NeuralStyleError(`${origin} lists no files. Reinstall or re-download the weights (or remove it to load them unverified).`, 'EWEIGHTS');
  return out;
}

/** In a cache entry: the URL of a download whose server had no SHA256SUMS. */
const UNVERIFIED_MARKER = 'UNVERIFIED';

/** A weight file's bytes, or an error naming it (missing, a folder, unreadable). */
function readWeightFile(file: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NeuralStyleError(code === 'ENOENT' ? `Weight file ${shown(file)} is missing.` : `Cannot read weight file ${shown(file)} (${code}).`, 'EWEIGHTS');
  }
  if (!stat.isFile()) throw new NeuralStyleError(`Weight file ${shown(file)} is not a file (a folder?).`, 'EWEIGHTS');
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new NeuralStyleError(`Cannot read weight file ${shown(file)} (${(e as NodeJS.ErrnoException).code}).`, 'EWEIGHTS');
  }
}

/** Reads a weights folder: model.json, its shards and (when present) SHA256SUMS. */
export function readWeightsFolder(dir: string): WeightFiles {
  const manifestPath = path.join(dir, 'model.json');
  if (!fs.existsSync(manifestPath)) {
    throw new NeuralStyleError(`Weight file ${shown(manifestPath)} is missing. Point the weights option at a folder with model.json and its shards.`, 'EWEIGHTS');
  }
  const manifest = parseManifest(readWeightFile(manifestPath).toString('utf8'), manifestPath);
  const shards = new Map<string, Uint8Array>();
  for (const rel of manifest.weightsManifest.flatMap((g) => g.paths)) {
    shards.set(rel, new Uint8Array(readWeightFile(path.join(dir, rel))));
  }
  const sumsPath = path.join(dir, 'SHA256SUMS');
  const sha256 = fs.existsSync(sumsPath) ? parseSha256Sums(readWeightFile(sumsPath).toString('utf8'), sumsPath) : undefined;
  // A download without SHA256SUMS on its server is cached with sums of what arrived: they catch later damage, not a bad server.
  const marker = path.join(dir, UNVERIFIED_MARKER);
  const unverified = !sha256 ? `the weights in ${shown(dir)} have no SHA256SUMS`
    : fs.existsSync(marker) ? `the weights in ${shown(dir)} were downloaded from ${shown(fs.readFileSync(marker, 'utf8').trim())}, which has no SHA256SUMS` : undefined;
  return { manifest, shards, sha256, origin: dir, unverified };
}

export function weightsCacheDir(): string {
  const base = process.env.NEURAL_STYLE_CACHE ?? process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(process.env.NEURAL_STYLE_CACHE ? base : path.join(base, 'neural-style'), 'weights');
}

/** Size limits of a download: VGG19's conv layers are 20 MB quantized, 80 MB as float32. */
export const WEIGHTS_LIMITS = { manifestBytes: 4 * 1024 * 1024, sumsBytes: 64 * 1024, totalBytes: 1024 * 1024 * 1024 } as const;

/**
 * Downloads weights from a URL to a model.json once into the user cache (with
 * progress). Everything is fetched and checked in memory first (shard names,
 * sizes, SHA256SUMS when the server has one beside model.json); only then is
 * a cache entry written, in a temp folder renamed into place, so the cache
 * never holds a partial or unverified download. The entry records the
 * shards' hashes, so a later load notices a corrupted cache.
 */
export async function downloadWeights(url: string, onProgress?: (p: DownloadProgress) => void): Promise<string> {
  if (!/^https?:\/\//.test(url) || !url.endsWith('.json')) {
    throw new NeuralStyleError(`Invalid weights URL ${url.slice(0, 200)}. Give an https URL of a TF.js model.json.`, 'EWEIGHTS');
  }
  const cache = weightsCacheDir();
  const dir = path.join(cache, crypto.createHash('sha256').update(url).digest('hex').slice(0, 16));
  if (fs.existsSync(path.join(dir, 'SHA256SUMS'))) return dir;
  const manifestBytes = (await downloadBytes(url, WEIGHTS_LIMITS.manifestBytes))!;
  const manifestText = new TextDecoder().decode(manifestBytes);
  const manifest = parseManifest(manifestText, url); // refuses shard names that are not plain file names
  const sums = await downloadBytes(new URL('SHA256SUMS', url).href, WEIGHTS_LIMITS.sumsBytes, { optional: true });
  const expected = sums ? parseSha256Sums(new TextDecoder().decode(sums), new URL('SHA256SUMS', url).href) : undefined;
  const files: WeightFiles = { manifest, shards: new Map(), sha256: expected, origin: url };
  let budget = WEIGHTS_LIMITS.totalBytes;
  for (const name of manifest.weightsManifest.flatMap((g) => g.paths)) {
    const bytes = (await downloadBytes(new URL(name, url).href, budget, { onProgress }))!;
    budget -= bytes.byteLength;
    files.shards.set(name, bytes);
  }
  await verifyWeightFiles(files);
  await writeCacheEntry(dir, files, manifestText);
  return dir;
}

/** Writes a verified download as a cache entry: in a temp folder, renamed into place last. */
async function writeCacheEntry(dir: string, files: WeightFiles, manifestText: string): Promise<void> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const temp = fs.mkdtempSync(`${dir}.partial-`);
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
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * Weight files from the bundled default, a folder (or the model.json in it),
 * or a URL (downloaded once). An empty location is the bundled default.
 */
export async function loadWeightFiles(location?: string, onProgress?: (p: DownloadProgress) => void): Promise<WeightFiles> {
  if (!location) return readWeightsFolder(BUNDLED_WEIGHTS_DIR);
  if (/^https?:\/\//.test(location)) return readWeightsFolder(await downloadWeights(location, onProgress));
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(location);
  } catch {
    // Said below.
  }
  if (!stat) {
    throw new NeuralStyleError(`Weights folder ${shown(location)} does not exist. Give a folder with model.json, or an https URL of a model.json.`, 'EWEIGHTS');
  }
  if (stat.isFile()) {
    if (path.basename(location) === 'model.json') return readWeightsFolder(path.dirname(location));
    throw new NeuralStyleError(`Weights ${shown(location)} is a file, not a weights folder. Give the folder that holds model.json and its shards (or that model.json).`, 'EWEIGHTS');
  }
  return readWeightsFolder(location);
}
