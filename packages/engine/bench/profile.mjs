#!/usr/bin/env node
// node packages/engine/bench/profile.mjs [WIDTH HEIGHT] [--convolution auto|direct|winograd|winograd-4x4|winograd-4x4-when-small|winograd-4x4-when-small-else-2x2] [--by-shape KERNEL]
// Where one gradient of the paper's loss (style + content) goes: tf.profile
// kernel times on the wasm backend (default 256x170, the quality bench's
// size), summed per kernel, largest first. Profiling adds its own overhead;
// the shares are what matter. Loads the built engine (dist): `pnpm build` first.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../dist/index.js');
const tf = require('@tensorflow/tfjs');

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const convolution = option('--convolution') ?? 'auto';
// --by-shape BatchMatMul: that kernel's time per input shapes instead (e.g. which matMuls cost most).
const byShape = option('--by-shape');
const [width = 256, height = 170] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')).map(Number);

const loaded = await engine.loadEngine({ backend: 'wasm', convolution });
const { GradientArena } = require('../dist/core/fast-ops.js');
const { contentLoss, normalizedGram, styleLayerLoss } = require('../dist/core/losses.js');
// The paper's loss as stylize computes it: five Gram terms and conv4_2's, with a GradientArena.
const styleLayers = ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'];
const layers = [...styleLayers, 'conv4_2'];
const image = tf.randomUniform([1, height, width, 3], -100, 100);
// The targets' forward pass is also the warm-up: layers are prepared in a
// forward pass (inside a gradient tfjs's tape would copy what their
// transforms read: see Vgg19.conv).
const targets = tf.tidy(() => {
  const features = loaded.vgg.extract(tf.randomUniform([1, height, width, 3], -100, 100), layers);
  return { grams: styleLayers.map((l) => tf.keep(normalizedGram(features.get(l)))), content: tf.keep(features.get('conv4_2')) };
});
const gradient = () => tf.tidy(() => {
  const arena = new GradientArena();
  try {
    return tf.grad((x) => {
      const features = loaded.vgg.extract(x, layers, 'avg', arena);
      let total = contentLoss(features.get('conv4_2'), targets.content);
      styleLayers.forEach((l, i) => { total = tf.add(total, tf.mul(styleLayerLoss(features.get(l), targets.grams[i], arena), 200)); });
      return total;
    })(image);
  } finally {
    arena.dispose();
  }
});
for (let i = 0; i < 2; i++) gradient().dispose();
const started = performance.now();
const info = await tf.profile(gradient);
const wall = performance.now() - started;
const byKernel = new Map();
for (const k of info.kernels) {
  if (k.name === 'forward' || k.name.endsWith('__op')) continue; // wrappers whose kernels are counted on their own
  if (byShape && k.name !== byShape) continue;
  const key = byShape ? JSON.stringify(k.inputShapes) : k.name;
  const ms = typeof (await k.kernelTimeMs) === 'number' ? await k.kernelTimeMs : 0;
  const [sum, calls] = byKernel.get(key) ?? [0, 0];
  byKernel.set(key, [sum + ms, calls + 1]);
}
const kernelTotal = [...byKernel.values()].reduce((a, [ms]) => a + ms, 0);
console.log(`${loaded.backend.detail}, ${width}x${height}, convolution ${convolution}: one gradient ${wall.toFixed(0)} ms wall (profiled), `
  + `${kernelTotal.toFixed(0)} ms in ${byShape ?? 'kernels'}, ${info.kernels.length} kernel calls`);
console.log(`| ${byShape ? `${byShape} input shapes` : 'kernel'} | ms | share of wall | calls |\n|---|---|---|---|`);
for (const [name, [ms, calls]] of [...byKernel].sort((a, b) => b[1][0] - a[1][0]).slice(0, 14)) {
  console.log(`| ${name} | ${ms.toFixed(1)} | ${((100 * ms) / wall).toFixed(0)}% | ${calls} |`);
}
