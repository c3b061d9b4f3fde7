import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NeuralStyleError } from '../core/errors';
import { parseManifest, sha256Hex, verifyWeightFiles, WeightFiles } from '../core/weights';
import { DownloadProgress, downloadBytes } from './download';

export type { DownloadProgress };

/** The VGG19 weights shipped in this package (the embedded default; nothing is downloaded). */
export const BUNDLED_WEIGHTS_DIR = path.resolve(__dirname, '..', '..', 'weights', 'vgg19');

/** `SHA256SUMS` (sha256sum's format): hex, two spaces, file name. */
export function parseSha256Sums(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line.trim());
    if (m) out[m[2]] = m[1].toLowerCase();
  }
  return out;
}

/** Reads a weights folder: model.json, its shards and (when present) SHA256SUMS. */
export function readWeightsFolder(dir: string): WeightFiles {
  const manifestPath = path.join(dir, 'model.json');
  if (!fs.existsSync(manifestPath)) {
    throw new NeuralStyleError(`Weight file ${manifestPath} is missing. Point the weights option at a folder with model.json and its shards.`, 'EWEIGHTS');
  }
  const manifest = parseManifest(fs.readFileSync(manifestPath, 'utf8'), manifestPath);
  const shards = new Map<string, Uint8Array>();
  for (const rel of manifest.weightsManifest.flatMap((g) => g.paths)) {
    const file = path.join(dir, rel);
    if (!fs.existsSync(file)) throw new NeuralStyleError(`Weight file ${file} is missing.`, 'EWEIGHTS');
    shards.set(rel, new Uint8Array(fs.readFileSync(file)));
  }
  const sumsPath = path.join(dir, 'SHA256SUMS');
  const sha256 = fs.existsSync(sumsPath) ? parseSha256Sums(fs.readFileSync(sumsPath, 'utf8')) : undefined;
  return { manifest, shards, sha256, origin: dir };
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
  const expected = sums ? parseSha256Sums(new TextDecoder().decode(sums)) : undefined;
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
    fs.rmSync(dir, { recursive: true, force: true }); // an older entry without SHA256SUMS: incomplete
    fs.renameSync(temp, dir);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** Weight files from the bundled default, a folder, or a URL (downloaded once). */
export async function loadWeightFiles(location?: string, onProgress?: (p: DownloadProgress) => void): Promise<WeightFiles> {
  if (!location) return readWeightsFolder(BUNDLED_WEIGHTS_DIR);
  if (/^https?:\/\//.test(location)) return readWeightsFolder(await downloadWeights(location, onProgress));
  const dir = location.endsWith('model.json') ? path.dirname(location) : location;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new NeuralStyleError(`Weights folder ${location} does not exist. Give a folder with model.json, or an https URL of a model.json.`, 'EWEIGHTS');
  }
  return readWeightsFolder(dir);
}
