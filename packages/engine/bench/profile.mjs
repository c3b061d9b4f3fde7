#!/usr/bin/env node
// node packages/engine/bench/profile.mjs [WIDTH HEIGHT] [--by-shape KERNEL]
//   [--convolution auto|direct|winograd|winograd-4x4|winograd-4x4-when-small|winograd-4x4-when-small-else-2x2]
// Where one gradient of the paper's loss (style + content) goes: tf.profile
// kernel times on the wasm backend (default 256x170, the quality bench's
// size), summed per kernel, largest first. Profiling adds its own overhead;
// the shares are what matter. Loads the built engine (dist): `pnpm build` first.
import { bench, benchEngine, engine } from './engine.mjs';

const { createWholeImageObjective, randomImage, tf, toVggImage } = bench;

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const convolution = option('--convolution') ?? 'auto';
// --by-shape BatchMatMul: that kernel's time per input shapes instead (e.g. which matMuls cost most).
const byShape = option('--by-shape');
const positional = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const [width = 256, height = 170] = positional.map(Number);

/** Noise of width × height in the network's units (the square bench image, cropped). */
function noise(seed) {
  const square = randomImage(Math.max(width, height), seed);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    data.set(square.data.subarray(y * square.width * 3, (y * square.width + width) * 3), y * width * 3);
  }
  return toVggImage({ width, height, data });
}

const loaded = await benchEngine('wasm', convolution);
// The paper's loss (style + content, no TV) as stylize computes it: the plan, the scale's objective and its evaluate().
const options = engine.validateOptions({ size: Math.max(width, height), tvWeight: 0 });
const plan = engine.planStylization(options, { width, height }, [{ width, height }], 'wasm');
const scale = plan.scales[plan.scales.length - 1];
loaded.vgg.prepare(plan.layers, options.pooling);
const objective = await createWholeImageObjective(loaded.vgg, { content: noise(1), styles: [noise(2)] }, plan, scale);
const image = tf.randomUniform([1, scale.height, scale.width, 3], -100, 100);
const gradient = async () => (await objective.evaluate(image)).gradient;
for (let i = 0; i < 2; i++) (await gradient()).dispose();
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
console.log(`${loaded.backend.detail}, ${scale.width}x${scale.height}, convolution ${convolution}: `
  + `one gradient ${wall.toFixed(0)} ms wall (profiled), `
  + `${kernelTotal.toFixed(0)} ms in ${byShape ?? 'kernels'}, ${info.kernels.length} kernel calls`);
console.log(`| ${byShape ? `${byShape} input shapes` : 'kernel'} | ms | share of wall | calls |\n|---|---|---|---|`);
for (const [name, [ms, calls]] of [...byKernel].sort((a, b) => b[1][0] - a[1][0]).slice(0, 14)) {
  console.log(`| ${name} | ${ms.toFixed(1)} | ${((100 * ms) / wall).toFixed(0)}% | ${calls} |`);
}
