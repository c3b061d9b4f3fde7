import * as tf from '@tensorflow/tfjs';
import { VGG_LAYERS, VggLayer } from './options';
import { NeuralStyleError } from './errors';
import { CHANNELS } from './geometry';

/** The TF.js weights manifest (`model.json`, format "weights-only"). */
export interface WeightsManifest {
  format?: string;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Raw weight files as a source read them: the manifest and each shard by its path. */
export interface WeightFiles {
  manifest: WeightsManifest;
  shards: Map<string, Uint8Array>;
  /** Expected sha256 (hex) of each shard path; verified when present. */
  sha256?: Record<string, string>;
  /** Where the files came from, for error messages. */
  origin: string;
  /** Set when no SHA256SUMS vouches for the shards (only their sizes and shapes can be checked): the user is warned. */
  unverified?: string;
}

export interface ConvWeights { kernel: tf.Tensor4D; bias: tf.Tensor1D }
export type Vgg19Weights = Record<VggLayer, ConvWeights>;

/** `conv4_2` ↔ `block4_conv2`: the manifest uses Keras names. */
export function kerasName(layer: VggLayer): string {
  const [, block, index] = /^conv(\d)_(\d)$/.exec(layer)!;
  return `block${block}_conv${index}`;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // WebCrypto: the same call in Node 20 and in a browser, so the core stays Node-free.
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function parseManifest(text: string, origin: string): WeightsManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new NeuralStyleError(`Weights manifest ${origin} is not valid JSON (${(e as Error).message}).`, 'EWEIGHTS');
  }
  const m = parsed as WeightsManifest;
  if (!m || !Array.isArray(m.weightsManifest) || m.weightsManifest.length === 0
    || !m.weightsManifest.every((g) => Array.isArray(g.paths) && Array.isArray(g.weights))) {
    throw new NeuralStyleError(`Weights manifest ${origin} has no "weightsManifest" groups with paths and weights.`, 'EWEIGHTS');
  }
  for (const w of m.weightsManifest.flatMap((g) => g.weights as unknown[])) {
    const entry = w as { name?: unknown; shape?: unknown };
    const shapeOk = Array.isArray(entry?.shape) && entry.shape.every((d) => Number.isInteger(d) && d >= 0);
    if (typeof entry?.name !== 'string' || !shapeOk) {
      throw new NeuralStyleError(`Weights manifest ${origin} has a weight entry without a name and a shape of whole numbers: ${JSON.stringify(w)?.slice(0, 120)}.`, 'EWEIGHTS');
    }
  }
  const seen = new Set<string>();
  for (const shard of m.weightsManifest.flatMap((g) => g.paths as unknown[])) {
    checkShardName(shard, origin);
    if (seen.has(shard)) throw new NeuralStyleError(`Weights manifest ${origin} lists shard ${shard} twice.`, 'EWEIGHTS');
    seen.add(shard);
  }
  return m;
}

/** What a shard may be called: a plain file name, so that it can only name a file in the manifest's own folder. */
const SHARD_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;
/** The files a weights folder (and the download cache) keeps beside the shards. */
const RESERVED_NAMES = new Set(['model.json', 'sha256sums', 'unverified']);

/**
 * A manifest's shard paths come from outside (a folder, a URL): one with a
 * folder part, `..` or an absolute path would make the engine read or write a
 * file outside the weights' folder. Only plain file names pass.
 */
export function checkShardName(shard: unknown, origin: string): asserts shard is string {
  if (typeof shard === 'string' && SHARD_NAME.test(shard) && !RESERVED_NAMES.has(shard.toLowerCase())) return;
  const shown = typeof shard === 'string' ? JSON.stringify(shard.length > 80 ? `${shard.slice(0, 80)}…` : shard) : typeof shard;
  throw new NeuralStyleError(`Weights manifest ${origin} names shard ${shown}, which is not a plain file name (letters, digits, '.', '_', '-'; no folders, not model.json or SHA256SUMS). Refusing to read or write it.`, 'EWEIGHTS');
}

/** Bytes each weight entry occupies in the shards, to check sizes before decoding. */
function entryBytes(entry: tf.io.WeightsManifestEntry): number {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const q = entry.quantization;
  if (q) return count * (q.dtype === 'uint8' ? 1 : q.dtype === 'uint16' ? 2 : 2);
  return count * 4;
}

/**
 * The shape VGG19 has for each weight: 3x3 kernels from the previous layer's channels (RGB for conv1_1), and one bias
 * per channel.
 */
function vgg19Shapes(): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  VGG_LAYERS.forEach((layer, i) => {
    const inputs = i === 0 ? 3 : CHANNELS[VGG_LAYERS[i - 1]];
    shapes.set(`${kerasName(layer)}/kernel`, [3, 3, inputs, CHANNELS[layer]]);
    shapes.set(`${kerasName(layer)}/bias`, [CHANNELS[layer]]);
  });
  return shapes;
}

/**
 * Checks the manifest against VGG19's architecture before any byte is
 * decoded: every layer present, each with its shape, so that weights of
 * another network are named here rather than failing deep inside a conv2d.
 */
export function checkVgg19Shapes(manifest: WeightsManifest, origin: string): void {
  const given = new Map(manifest.weightsManifest.flatMap((g) => g.weights).map((w) => [w.name, w.shape]));
  const missing: string[] = [];
  for (const [name, shape] of vgg19Shapes()) {
    const actual = given.get(name);
    if (!actual) { missing.push(name.replace(/\/kernel$|\/bias$/, '')); continue; }
    if (!Array.isArray(actual) || actual.length !== shape.length || actual.some((d, i) => d !== shape[i])) {
      throw new NeuralStyleError(`Weights in ${origin}: ${name} has shape [${String(actual).slice(0, 60)}]; VGG19 needs [${shape}]. These are not VGG19's weights (or not in its layer order).`, 'EWEIGHTS');
    }
  }
  if (missing.length > 0) {
    throw new NeuralStyleError(`Weights in ${origin} lack layers ${[...new Set(missing)].join(', ')} (expected Keras VGG19 names block1_conv1/kernel …).`, 'EWEIGHTS');
  }
}

/**
 * TF.js writes a group's shards at one size, the last one shorter: the
 * shards that break that pattern are the truncated (or padded) ones.
 */
function oddShards(paths: string[], sizes: number[], needed: number): string[] {
  if (paths.length === 1) return paths;
  const counts = new Map<number, number>();
  for (const size of sizes.slice(0, -1)) counts.set(size, (counts.get(size) ?? 0) + 1);
  const shardSize = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  const expected = paths.map((_, i) => (i < paths.length - 1 ? shardSize : needed - shardSize * (paths.length - 1)));
  const odd = paths.filter((_, i) => sizes[i] !== expected[i]);
  return odd.length > 0 ? odd : paths;
}

/**
 * Checks that every shard is there, is listed in SHA256SUMS and has its hash there (when there is one), and that the
 * sizes add up.
 */
export async function verifyWeightFiles(files: WeightFiles): Promise<void> {
  checkVgg19Shapes(files.manifest, files.origin);
  for (const group of files.manifest.weightsManifest) {
    const sizes: number[] = [];
    for (const path of group.paths) {
      const bytes = files.shards.get(path);
      if (!bytes) throw new NeuralStyleError(`Weight file ${path} is missing from ${files.origin}.`, 'EWEIGHTS');
      if (files.sha256) {
        // A SHA256SUMS that leaves a shard out would leave that shard unverified: refuse it.
        const expected = Object.hasOwn(files.sha256, path) ? files.sha256[path] : undefined;
        if (!expected) throw new NeuralStyleError(`SHA256SUMS in ${files.origin} does not list weight file ${path}. Reinstall or re-download the weights (or remove SHA256SUMS to load them unverified).`, 'EWEIGHTS');
        const actual = await sha256Hex(bytes);
        if (actual !== expected.toLowerCase()) {
          throw new NeuralStyleError(`Weight file ${path} in ${files.origin} is corrupt: sha256 ${actual}, expected ${expected}. Reinstall or re-download the weights.`, 'EWEIGHTS');
        }
      }
      sizes.push(bytes.byteLength);
    }
    const total = sizes.reduce((a, b) => a + b, 0);
    const needed = group.weights.reduce((sum, w) => sum + entryBytes(w), 0);
    if (total !== needed) {
      const odd = oddShards(group.paths, sizes, needed);
      throw new NeuralStyleError(`Weight file${odd.length > 1 ? 's' : ''} ${odd.join(', ')} in ${files.origin}: the group holds ${total} bytes; the manifest needs ${needed}. ${odd.length > 1 ? 'A shard is' : 'It is'} truncated or from another model.`, 'EWEIGHTS');
    }
  }
}

/** Dequantizes the shards into VGG19 conv kernels (HWIO) and biases, named conv1_1 … conv5_4. */
export function decodeVgg19(files: WeightFiles): Vgg19Weights {
  const named: Record<string, tf.Tensor> = {};
  for (const group of files.manifest.weightsManifest) {
    const parts = group.paths.map((p) => files.shards.get(p)!);
    const buffer = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let offset = 0;
    for (const p of parts) { buffer.set(p, offset); offset += p.byteLength; }
    Object.assign(named, tf.io.decodeWeights(buffer.buffer, group.weights));
  }
  const out = {} as Vgg19Weights;
  const missing: string[] = [];
  for (const layer of VGG_LAYERS) {
    const kernel = named[`${kerasName(layer)}/kernel`];
    const bias = named[`${kerasName(layer)}/bias`];
    if (!kernel || !bias) { missing.push(kerasName(layer)); continue; }
    out[layer] = { kernel: kernel as tf.Tensor4D, bias: bias as tf.Tensor1D };
  }
  if (missing.length > 0) {
    Object.values(named).forEach((t) => t.dispose());
    throw new NeuralStyleError(`Weights in ${files.origin} lack layers ${missing.join(', ')} (expected Keras VGG19 names block1_conv1/kernel …).`, 'EWEIGHTS');
  }
  return out;
}
