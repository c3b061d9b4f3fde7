#!/usr/bin/env node
// node packages/engine/bench/conv-layers.mjs [WIDTH [HEIGHT]] [--json]
// Each VGG19 convolution shape of a WIDTH x HEIGHT image (default 256 x 256), direct
// (tf.conv2d, XNNPACK) against Winograd F(2x2, 3x3) (core/ops/winograd/f2x2.ts) and
// F(4x4, 3x3) (core/ops/winograd/f4x4.ts) on the wasm backend with the engine's
// threads: median ms of 15 runs each, and the speed-ups over direct. What
// vgg19.ts's convAlgorithmFor rule was chosen from. Loads the built engine
// (dist): run `pnpm build` first.
import { bench, engine } from './engine.mjs';
import { medianMs } from './measure.mjs';

const { WINOGRAD_2X2, WINOGRAD_4X4, tf } = bench;

const args = process.argv.slice(2);
const json = args.includes('--json');
const [width = 256, height = width] = args.filter((a) => !a.startsWith('--')).map(Number);

const median = (run) => medianMs(tf, run, 15);

const report = await engine.chooseBackend('wasm');
// [side divisor, in, out, layers]: the input gradient of a layer is the same shape with in/out swapped.
const shapes = [[1, 3, 64, 'conv1_1'], [1, 64, 64, 'conv1_2'], [2, 64, 128, 'conv2_1'], [2, 128, 128, 'conv2_2'],
  [4, 128, 256, 'conv3_1'], [4, 256, 256, 'conv3_2..4'], [8, 256, 512, 'conv4_1'], [8, 512, 512, 'conv4_2..4'],
  [16, 512, 512, 'conv5_1']];
if (!json) console.log(`${report.detail}, ${width}x${height} px input; ms per convolution (median of 15)`);
if (!json) {
  console.log('| layer | input | in→out | direct ms | F(2x2) ms | F(4x4) ms | F(2x2) speed-up | F(4x4) speed-up |');
  console.log('|---|---|---|---|---|---|---|---|');
}
for (const [divisor, cin, cout, layer] of shapes) {
  // 2x2 pools floor odd sizes, as VGG's do.
  const [w, h] = [width, height].map((s) => Math.floor(s / divisor));
  const x = tf.randomNormal([1, h, w, cin]);
  const kernel = tf.randomNormal([3, 3, cin, cout], 0, 0.05);
  const direct = median(() => tf.conv2d(x, kernel, 1, 'same'));
  const [winograd, winograd4x4] = [WINOGRAD_2X2, WINOGRAD_4X4].map((variant) => {
    const filter = variant.filter(kernel);
    const ms = median(() => variant.conv(x, filter));
    variant.dispose(filter);
    return ms;
  });
  const record = {
    layer, width: w, height: h, in: cin, out: cout,
    direct_ms: direct, winograd_ms: winograd, winograd_4x4_ms: winograd4x4,
    speedup: direct / winograd, speedup_4x4: direct / winograd4x4,
  };
  if (json) console.log(JSON.stringify(record));
  else {
    const ms = [direct, winograd, winograd4x4].map((t) => t.toFixed(1)).join(' | ');
    const speedups = [winograd, winograd4x4].map((t) => `${(direct / t).toFixed(2)}x`).join(' | ');
    console.log(`| ${layer} | ${w}x${h} | ${cin}→${cout} | ${ms} | ${speedups} |`);
  }
  tf.dispose([x, kernel]);
}
