#!/usr/bin/env node
// node packages/engine/bench/conv-layers.mjs [SIZE] [--json]
// Each VGG19 convolution shape of a SIZE x SIZE image (default 256), direct
// (tf.conv2d, XNNPACK) against Winograd F(2x2, 3x3) (core/winograd.ts) on the
// wasm backend with the engine's threads: median ms of 7 runs each, and the
// ratio. What vgg19.ts's WINOGRAD_MIN_CHANNELS was chosen from. Loads the
// built engine (dist): run `pnpm build` first.
import { createRequire } from 'node:module';
import { medianMs } from './measure.mjs';

const require = createRequire(import.meta.url);
const engine = require('../dist/index.js');
const { winogradFilter, winogradConv3x3, disposeWinogradFilter } = require('../dist/core/winograd.js');
const tf = require('@tensorflow/tfjs');

const args = process.argv.slice(2);
const json = args.includes('--json');
const size = Number(args.find((a) => !a.startsWith('--')) ?? 256);

const median = (run) => medianMs(tf, run);

const report = await engine.chooseBackend('wasm');
// [side divisor, in, out, layers]: the input gradient of a layer is the same shape with in/out swapped.
const shapes = [[1, 3, 64, 'conv1_1'], [1, 64, 64, 'conv1_2'], [2, 64, 128, 'conv2_1'], [2, 128, 128, 'conv2_2'],
  [4, 128, 256, 'conv3_1'], [4, 256, 256, 'conv3_2..4'], [8, 256, 512, 'conv4_1'], [8, 512, 512, 'conv4_2..4'], [16, 512, 512, 'conv5_1']];
if (!json) console.log(`${report.detail}, ${size}x${size} px input; ms per convolution (median of 7)`);
if (!json) console.log('| layer | input | in→out | direct ms | Winograd ms | speed-up |\n|---|---|---|---|---|---|');
for (const [divisor, cin, cout, layer] of shapes) {
  const side = Math.floor(size / divisor);
  const x = tf.randomNormal([1, side, side, cin]);
  const kernel = tf.randomNormal([3, 3, cin, cout], 0, 0.05);
  const filter = winogradFilter(kernel);
  const direct = median(() => tf.conv2d(x, kernel, 1, 'same'));
  const winograd = median(() => winogradConv3x3(x, filter));
  const record = { layer, side, in: cin, out: cout, direct_ms: direct, winograd_ms: winograd, speedup: direct / winograd };
  if (json) console.log(JSON.stringify(record));
  else console.log(`| ${layer} | ${side}x${side} | ${cin}→${cout} | ${direct.toFixed(1)} | ${winograd.toFixed(1)} | ${(direct / winograd).toFixed(2)}x |`);
  tf.dispose([x, kernel]);
  disposeWinogradFilter(filter);
}
