#!/usr/bin/env node
// node packages/engine/bench/profile.mjs [WIDTH HEIGHT] [--convolution auto|direct|winograd|winograd-4x4|winograd-4x4-when-small|winograd-4x4-when-small-else-2x2]
// Where one gradient of the paper's style + content features goes: tf.profile
// kernel times on the wasm backend (default 256x170, the quality bench's
// size), summed per kernel, largest first. Profiling adds its own overhead;
// the shares are what matter. Loads the built engine (dist): `pnpm build` first.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../dist/index.js');
const tf = require('@tensorflow/tfjs');

const args = process.argv.slice(2);
const at = args.indexOf('--convolution');
const convolution = at >= 0 ? args[at + 1] : 'auto';
const [width = 256, height = 170] = args.filter((a, i) => !a.startsWith('--') && i !== at + 1).map(Number);

const loaded = await engine.loadEngine({ backend: 'wasm', convolution });
const layers = ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1', 'conv4_2'];
const image = tf.randomUniform([1, height, width, 3], -100, 100);
const loss = (x) => {
  let total = tf.scalar(0);
  for (const f of loaded.vgg.extract(x, layers).values()) total = tf.add(total, tf.sum(tf.square(f)));
  return total;
};
// Warm up: layers prepared in a forward pass (inside a gradient tfjs's tape
// would copy what their transforms read: see Vgg19.conv), operators created.
tf.tidy(() => loss(image).dataSync());
for (let i = 0; i < 2; i++) tf.tidy(() => tf.grad(loss)(image).dataSync());
const started = performance.now();
const info = await tf.profile(() => tf.tidy(() => tf.grad(loss)(image)));
const wall = performance.now() - started;
const byKernel = new Map();
for (const k of info.kernels) {
  if (k.name === 'forward' || k.name.endsWith('__op')) continue; // wrappers whose kernels are counted on their own
  const ms = typeof (await k.kernelTimeMs) === 'number' ? await k.kernelTimeMs : 0;
  const [sum, calls] = byKernel.get(k.name) ?? [0, 0];
  byKernel.set(k.name, [sum + ms, calls + 1]);
}
const kernelTotal = [...byKernel.values()].reduce((a, [ms]) => a + ms, 0);
console.log(`${loaded.backend.detail}, ${width}x${height}, convolution ${convolution}: one gradient ${wall.toFixed(0)} ms wall (profiled), ${kernelTotal.toFixed(0)} ms in kernels, ${info.kernels.length} kernel calls`);
console.log('| kernel | ms | share of wall | calls |\n|---|---|---|---|');
for (const [name, [ms, calls]] of [...byKernel].sort((a, b) => b[1][0] - a[1][0]).slice(0, 14)) {
  console.log(`| ${name} | ${ms.toFixed(1)} | ${((100 * ms) / wall).toFixed(0)}% | ${calls} |`);
}
