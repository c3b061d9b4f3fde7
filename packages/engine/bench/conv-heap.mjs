#!/usr/bin/env node
// node packages/engine/bench/conv-heap.mjs direct|winograd|winograd-4x4 HEIGHT WIDTH CHANNELS
// How much one convolution (CHANNELS → CHANNELS, 3x3) grows the wasm heap:
// the heap never shrinks, so a convolution's transients (and how they
// fragment it) add to the peak memory of every run that reaches its size.
// Run each algorithm in its own process (a fresh heap). Loads the built
// engine (dist): `pnpm build` first.
import { bench, engine } from './engine.mjs';

const { WINOGRAD_2X2, WINOGRAD_4X4, tf } = bench;

const [algorithm = 'winograd-4x4', ...dims] = process.argv.slice(2);
const [height = 256, width = 256, channels = 128] = dims.map(Number);
await engine.chooseBackend('wasm');
const x = tf.randomNormal([1, height, width, channels]);
const kernel = tf.randomNormal([3, 3, channels, channels], 0, 0.05);
const variant = { winograd: WINOGRAD_2X2, 'winograd-4x4': WINOGRAD_4X4 }[algorithm];
if (!variant && algorithm !== 'direct') throw new Error('algorithm: direct, winograd or winograd-4x4');
const filter = variant?.filter(kernel);
const convolve = variant ? () => variant.conv(x, filter) : () => tf.conv2d(x, kernel, 1, 'same');
const heapMb = () => tf.backend().wasm.HEAPU8.buffer.byteLength / 2 ** 20;
const before = heapMb();
for (let i = 0; i < 3; i++) tf.dispose(convolve());
console.log(`${algorithm} ${height}x${width}x${channels}: wasm heap ${before.toFixed(0)} -> ${heapMb().toFixed(0)} MB `
  + `(+${(heapMb() - before).toFixed(0)}); the output is ${((x.size * 4) / 2 ** 20).toFixed(0)} MB`);
