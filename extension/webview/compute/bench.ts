/**
 * The bench page's code (dist/compute-bench.js; not shipped): the compute
 * bundle's own backends, weights and core, timed as packages/engine/bench/child.mjs
 * times the engine process (Adam, the paper's loss, random images, the median
 * iteration after two), plus each backend's matMul ceiling. Driven by
 * packages/engine/bench/browser.mjs (`pnpm bench --browser`).
 */
import * as tf from '@tensorflow/tfjs';
import { createVgg19, decodeVgg19, matMulCeiling, randomImage, stylize } from '@neural-style/engine/core';
import type { WebviewBackend } from '@neural-style/engine/options';
import type { ToCompute } from '../../shared/protocol';
import { runCompute, useBackend } from './run';
import { loseGpu } from './gpu-lost';
import { fetchWeightFiles } from './weights';

/** The backend's matMul ceiling (GFLOP/s), five products a size as this page always measured. */
async function ceiling(backend: WebviewBackend): Promise<number> {
  await useBackend(backend);
  return matMulCeiling({ 1024: 5, 2048: 5 });
}

type Weights = (ToCompute & { type: 'compute' })['weights'];

async function iterate(backend: WebviewBackend, size: number, iters: number, weights: Weights) {
  const adapter = await useBackend(backend);
  const vgg = createVgg19(decodeVgg19(await fetchWeightFiles(weights)));
  const times: number[] = [];
  let last = performance.now();
  try {
    await stylize(vgg, {
      content: randomImage(size, 1), styles: [randomImage(size, 2)],
      options: { size, iterations: iters + 2, multiScale: false, optimizer: 'adam', init: 'noise', tvWeight: 0, previewEvery: 0 },
    }, {
      onProgress: (p) => {
        if (p.tile !== p.tiles) return;
        const now = performance.now();
        times.push((now - last) / 1000);
        last = now;
      },
    });
  } finally {
    vgg.dispose();
  }
  const measured = times.slice(2).sort((a, b) => a - b);
  const milliseconds = (t: number) => Math.round(t * 1000) / 1000;
  return { adapter, s_per_iter: measured[Math.floor(measured.length / 2)], times: times.map(milliseconds) };
}

(globalThis as Record<string, unknown>).neuralStyleBench = { ceiling, iterate, tf, runCompute, loseGpu };
