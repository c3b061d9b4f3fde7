import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NeuralStyleError } from '../core/validate';
import { parseManifest, sha256Hex, verifyWeightFiles, WeightFiles } from '../core/weights';
import { writeFileAtomic } from './atomic';

/** The VGG19 weights shipped in this package (the embedded default; nothing is downloaded). */
export const BUNDLED_WEIGHTS_DIR = path.resolve(__dirname, '..', '..', 'weights', 'vgg19');

export interface DownloadProgress { file: string; receivedBytes: number; totalBytes: number }

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

async function fetchBytes(url: string, onProgress?: (p: DownloadProgress) => void): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new NeuralStyleError(`Cannot download ${url}: ${(e as Error).cause ?? (e as Error).message}.`, 'EWEIGHTS');
  }
  if (!response.ok || !response.body) throw new NeuralStyleError(`Cannot download ${url}: HTTP ${response.status}.`, 'EWEIGHTS');
  const total = Number(response.headers.get('content-length') ?? 0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    received += chunk.byteLength;
    onProgress?.({ file: url, receivedBytes: received, totalBytes: total });
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Downloads weights from a URL to a model.json once into the user cache (with
 * progress), checks them like bundled ones (sizes; SHA256SUMS when the server
 * has one beside model.json) and records their hashes so a later load notices
 * a corrupted cache.
 */
export async function downloadWeights(url: string, onProgress?: (p: DownloadProgress) => void): Promise<string> {
  if (!/^https?:\/\//.test(url) || !url.endsWith('.json')) {
    throw new NeuralStyleError(`Invalid weights URL ${url}. Give an http(s) URL of a TF.js model.json.`, 'EWEIGHTS');
  }
  const dir = path.join(weightsCacheDir(), crypto.createHash('sha256').update(url).digest('hex').slice(0, 16));
  if (fs.existsSync(path.join(dir, 'SHA256SUMS'))) return dir;
  const manifestText = new TextDecoder().decode(await fetchBytes(url));
  const manifest = parseManifest(manifestText, url);
  let expected: Record<string, string> | undefined;
  const sums = await fetch(new URL('SHA256SUMS', url)).catch(() => null);
  if (sums?.ok) expected = parseSha256Sums(await sums.text());
  const files: WeightFiles = { manifest, shards: new Map(), sha256: expected, origin: url };
  for (const rel of manifest.weightsManifest.flatMap((g) => g.paths)) {
    files.shards.set(rel, await fetchBytes(new URL(rel, url).toString(), onProgress));
  }
  await verifyWeightFiles(files);
  fs.mkdirSync(dir, { recursive: true });
  let sumsText = '';
  for (const [rel, bytes] of files.shards) {
    await writeFileAtomic(path.join(dir, rel), bytes);
    sumsText += `${await sha256Hex(bytes)}  ${rel}\n`;
  }
  await writeFileAtomic(path.join(dir, 'model.json'), manifestText);
  await writeFileAtomic(path.join(dir, 'SHA256SUMS'), sumsText); // last: its presence marks a complete download
  return dir;
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
