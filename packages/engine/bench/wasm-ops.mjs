#!/usr/bin/env node
// node packages/engine/bench/wasm-ops.mjs
// Why core/winograd.ts and core/winograd-4x4.ts are built the way they are:
// the tfjs ops they use and the ones they avoid, timed on the wasm backend with the engine's threads
// (median ms of 7 runs; wasm kernels run synchronously). Shapes are those of
// a Winograd layer at 256 px (a 64x44 tile grid of 256 channels). Loads the
// built engine (dist): run `pnpm build` first.
import { bench, engine } from './engine.mjs';
import { medianMs } from './measure.mjs';

const { tf } = bench;

const median = (run) => medianMs(tf, run);

const report = await engine.chooseBackend('wasm');
const rows = [];
const time = (what, run) => rows.push([what, median(run)]);

const parts = 16;
const stacked = tf.randomNormal([parts, 32 * 22 * 256]); // 16 products of a 64x44x256 layer, one tensor
const pieces = tf.split(stacked, parts, 0).map((p) => tf.keep(p));
time(`tf.split of a [${stacked.shape}] tensor into ${parts}`, () => tf.split(stacked, parts, 0));
time(`tf.slice x${parts} of the same (contiguous rows)`,
  () => pieces.map((_, k) => tf.slice(stacked, [k, 0], [1, stacked.shape[1]])));
time(`tf.concat of the ${parts} pieces (the reverse)`, () => tf.concat(pieces, 0));

const a = tf.randomNormal([parts, 704, 256]);
const b = tf.randomNormal([parts, 256, 256]);
const a2 = tf.unstack(a).map((t) => tf.keep(t));
const b2 = tf.unstack(b).map((t) => tf.keep(t));
time(`batched matMul [${a.shape}] x [${b.shape}]`, () => tf.matMul(a, b));
time(`${parts} separate matMuls [704,256] x [256,256]`, () => a2.map((t, k) => tf.matMul(t, b2[k])));

const planes = tf.randomNormal([4, 32, 22 * 256]);
time('transpose [4, 32, 22*256] -> [32, 4, 22*256] (innermost kept)', () => tf.transpose(planes, [1, 0, 2]));
const inner = tf.randomNormal([32 * 22 * 256, parts]);
time(`transpose [${inner.shape}] -> [${parts}, ...] (innermost moved)`, () => tf.transpose(inner));
const deep = tf.randomNormal([1, 32, 22, 4 * 256]);
time('depthToSpace [1, 32, 22, 1024] by 2', () => tf.depthToSpace(deep, 2));

const x = tf.randomNormal([1, 64, 44, 256]);
const padded = tf.randomNormal([1, 66, 46, 256]);
const dw = (h, w) => tf.randomNormal([h, w, 256, 1]);
const f33 = dw(3, 3);
const f31 = dw(3, 1);
const f13 = dw(1, 3);
const f66 = dw(6, 6);
const f61 = dw(6, 1);
const inside = [[0, 0], [1, 1], [1, 1], [0, 0]];
time('depthwise 3x3 stride 2, padding inside (one F(2x2) input transform)',
  () => tf.depthwiseConv2d(x, f33, 2, inside));
time('16 depthwise 3x3 stride 2 (F(2x2) input transform, 2-D)',
  () => Array.from({ length: 16 }, () => tf.depthwiseConv2d(x, f33, 2, inside)));
time('4 [3,1] + 16 [1,3] depthwise (F(2x2) input transform, separable)', () => {
  const out = [];
  for (let r = 0; r < 4; r++) {
    const rowsDone = tf.depthwiseConv2d(x, f31, [2, 1], [[0, 0], [1, 1], [0, 0], [0, 0]]);
    for (let c = 0; c < 4; c++) out.push(tf.depthwiseConv2d(rowsDone, f13, [1, 2], [[0, 0], [0, 0], [1, 1], [0, 0]]));
    out.push(rowsDone);
  }
  return out;
});
time('depthwise 6x6 stride 4 (one F(4x4) input transform, 4x fewer outputs)',
  () => tf.depthwiseConv2d(padded, f66, 4, 'valid'));
time('depthwise 6x1 stride (4,1) (F(4x4), rows only)', () => tf.depthwiseConv2d(padded, f61, [4, 1], 'valid'));
// XNNPACK's depthwise kernels by tap count: the fast ones are 3, 4, 9 and 25
// taps (winograd-4x4.ts pads its 5-tap rows of Bᵀ to 9).
for (const taps of [3, 4, 5, 6, 7, 8, 9]) {
  const filter = dw(taps, 1);
  time(`depthwise ${taps}x1 stride (4,1), ${taps} taps`, () => tf.depthwiseConv2d(padded, filter, [4, 1], 'valid'));
}
const f55 = dw(5, 5);
time('depthwise 5x5 stride 4, 25 taps', () => tf.depthwiseConv2d(padded, f55, 4, 'valid'));
const crop = tf.randomNormal([1, 128, 86, 256]);
const oneTap = tf.tile(tf.tensor4d([1, 0], [1, 2, 1, 1]), [1, 1, 256, 1]);
const identity = tf.tile(tf.tensor4d([0, 0, 0, 0, 1, 0, 0, 0, 0], [3, 3, 1, 1]), [1, 1, 256, 1]);
time('tf.slice dropping the last column of [1, 128, 86, 256]', () => tf.slice(crop, [0, 0, 0, 0], [1, 128, 85, 256]));
time('the same by a one-tap depthwise [1, 2] convolution', () => tf.depthwiseConv2d(crop, oneTap, 1, 'valid'));
time('the same by a 3x3 depthwise identity, padded on one side (winograd.ts)',
  () => tf.depthwiseConv2d(crop, identity, 1, [[0, 0], [1, 1], [1, 0], [0, 0]]));
time('tf.add of two [1, 128, 86, 256]', () => tf.add(crop, crop));

// The ReLU mask a layer keeps for its gradient (fast-ops.ts FLOAT_MASK_ELEMENTS),
// on conv1_2's output at 256x170 (2.8M values).
const relu = tf.relu(tf.randomNormal([1, 170, 256, 64]));
const bool = tf.greater(relu, 0);
const float = tf.step(relu);
time('tf.greater(y, 0) of [1, 170, 256, 64] (bool mask)', () => tf.greater(relu, 0));
time('tf.step(y) of the same (float32 mask)', () => tf.step(relu));
time('tf.cast(tf.step(y), \'bool\') (bool mask, no comparison kernel)', () => tf.cast(tf.step(relu), 'bool'));
time('tf.cast of the bool mask to float32', () => tf.cast(bool, 'float32'));
time('tf.mul of the gradient by the float mask', () => tf.mul(relu, float));
// A Gram matrix's transposed features (fast-ops.ts gram): the same values as [M, C] or [H, W, C].
const flat = tf.reshape(relu, [170 * 256, 64]);
const image = tf.reshape(relu, [170, 256, 64]);
time('transpose [43520, 64] -> [64, 43520]', () => tf.transpose(flat));
time('transpose [170, 256, 64] -> [64, 170, 256] (the same values)', () => tf.transpose(image, [2, 0, 1]));
// The Gram FᵀF itself: XNNPACK packs the right operand once per tensor (tfjs
// caches the operator), and with K = 43520 it streams its panels from memory.
const flatT = tf.transpose(flat);
time('matMul Fᵀ [64, 43520] x F [43520, 64], F the same tensor each time', () => tf.matMul(flatT, flat));
time('the same with a new F each time (as in every iteration)', () => tf.matMul(flatT, tf.add(flat, 0)));
time('tf.add(F, 0) alone (the copy above)', () => tf.add(flat, 0));
// What a Gram could use instead, each a scalar loop or a JS copy on wasm:
const left = tf.randomNormal([176, 512]);
const right = tf.randomNormal([512, 512]);
time('matMul [176, 512] x [512, 512] (the same right operand each time)', () => tf.matMul(left, right));
time('the same product with transposeB (b given as bᵀ)', () => tf.matMul(left, right, false, true));
const leftT = tf.transpose(left);
time('the same product with transposeA (a given as aᵀ)', () => tf.matMul(leftT, right, true, false));
time('tf.slice: half the rows of F [43520, 64]', () => tf.slice(flat, [0, 0], [21760, 64]));

console.log(`${report.detail}; median ms of 7\n| op | ms |\n|---|---|`);
for (const [what, ms] of rows) console.log(`| ${what} | ${ms.toFixed(2)} |`);
