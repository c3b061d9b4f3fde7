/**
 * The `@neural-style/engine/bench` entry: what the benchmarks (packages/engine/bench) reach below the public API,
 * through the exports map like any user: the bench kit (noise images, the matMul ceiling), the convolution
 * algorithms and their choice, one scale's whole-image objective, L-BFGS on host arrays with its two homes for the
 * history, a clip frame's flow and warp, and the engine's own TensorFlow.js. No Node:
 * a webview's bench may use it too. Not part of the library's API: it may change with the engine.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export { randomImage, matMulCeiling } from './core/bench-kit';
export { CONVOLUTION_CHOICES, prepareConv, type ConvolutionChoice } from './core/ops/conv';
export { WINOGRAD_2X2 } from './core/ops/winograd/f2x2';
export { WINOGRAD_4X4 } from './core/ops/winograd/f4x4';
export { createWholeImageObjective } from './core/whole-objective';
export { warpedPrevious } from './core/clip';
export { toVggImage } from './core/image/convert';
export { Lbfgs } from './core/optim/optimizers';
export { HOST_SPACE } from './core/optim/host-space';
export { FileSpace } from './core/optim/file-space';
