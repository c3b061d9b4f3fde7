#!/usr/bin/env node
// node packages/engine/bench/layer-memory.mjs direct|winograd|winograd-4x4 [CHANNELS [HEIGHT WIDTH]]
// What one prepared layer (CHANNELS → CHANNELS, 3x3; default 512, at 32x21)
// holds in the wasm heap: its tensors after prepareConv (kernels or
// Winograd transforms), then after one forward pass and one input gradient,
// when XNNPACK has built its operators, each with its own packed copy of
// the weights (tfjs caches one operator per right-hand matMul operand or
// filter). Run each algorithm in its own process. Loads the built engine
// (dist): `pnpm build` first.
import { bench, engine } from './engine.mjs';

const { prepareConv, tf } = bench;

const [algorithm = 'winograd', ...rest] = process.argv.slice(2);
const [channels = 512, height = 21, width = 32] = rest.map(Number);
await engine.chooseBackend('wasm');
const heapMb = () => tf.backend().wasm.HEAPU8.buffer.byteLength / 2 ** 20;
const kernelMb = (9 * channels * channels * 4) / 2 ** 20;
const x = tf.randomNormal([1, height, width, channels]);
const start = { heap: heapMb(), tensors: tf.memory().numBytes };
const layer = prepareConv(tf.randomNormal([3, 3, channels, channels], 0, 0.05), tf.zeros([channels]), algorithm);
const prepared = { heap: heapMb(), tensors: tf.memory().numBytes };
tf.dispose([layer.forward(x), layer.inputGradient(x)]);
const used = { heap: heapMb(), tensors: tf.memory().numBytes };
const mb = (b) => (b / 2 ** 20).toFixed(0);
console.log(`${algorithm} ${channels}→${channels} (one kernel: ${kernelMb.toFixed(0)} MB): `
  + `tensors ${mb(prepared.tensors - start.tensors)} MB after prepareConv, `
  + `${mb(used.tensors - start.tensors)} MB after a forward pass and an input gradient at ${height}x${width}; `
  + `wasm heap +${(prepared.heap - start.heap).toFixed(0)} MB, then +${(used.heap - start.heap).toFixed(0)} MB`);
