/**
 * test/engine/helpers.ts for a browser page (gradient-page.ts aliases it in):
 * the backend named in the page's URL (?backend=webgl), and the bundled VGG19
 * weights fetched from the page's server, checked as in a webview run.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { createVgg19, decodeVgg19, parseManifest, verifyWeightFiles, type FeatureExtractor, type WeightFiles } from '../../packages/engine/src/core/index';

let shared: Promise<{ vgg: FeatureExtractor }> | null = null;

async function load(): Promise<{ vgg: FeatureExtractor }> {
  const backend = new URLSearchParams(location.search).get('backend') ?? 'webgl';
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not start`);
  const manifest = parseManifest(await (await fetch('/weights/model.json')).text(), '/weights/');
  const sums = (await (await fetch('/weights/SHA256SUMS')).text()).trim().split('\n').map((l) => l.trim().split(/\s+/));
  const shards = new Map<string, Uint8Array>();
  for (const [, name] of sums) shards.set(name, new Uint8Array(await (await fetch(`/weights/${name}`)).arrayBuffer()));
  const files: WeightFiles = { manifest, shards, sha256: Object.fromEntries(sums.map(([hash, name]) => [name, hash])), origin: '/weights/' };
  await verifyWeightFiles(files);
  return { vgg: createVgg19(decodeVgg19(files)) };
}

export function testEngine(): Promise<{ vgg: FeatureExtractor }> {
  shared ??= load();
  return shared;
}
