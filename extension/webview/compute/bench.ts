/**
 * The bench page's code (dist/compute-bench.js; not shipped): the compute
 * bundle's own backends, weights and core, timed as packages/engine/bench/child.mjs
 * times the engine process (Adam, the paper's loss, random images, the median
 * iteration after two), plus each backend's matMul ceiling. Driven by
 * packages/engine/bench/browser.mjs (`pnpm bench --browser`).
 */
import * as tf from '@tensorflow/tfjs';
import { createVgg19, decodeVgg19, stylize } from '@neural-style/engine/core';
import type { WebviewBackend } from '@neural-style/engine/options';
import type { ToCompute } from '../../shared/protocol';
import { runCompute, useBackend } from './run';
import { loseGpu } from './gpu-lost';
import { fetchWeightFiles } from './weights';

function randomImage(size: number, seed: number) {
  let s = seed;
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { width: size, height: size, data };
}

/** Square matMuls at the sizes VGG's layers reach; the best is the ceiling (GFLOP/s). */
async function ceiling(backend: WebviewBackend): Promise<number> {
  await useBackend(backend);
  let best = 0;
  for (const n of [1024, 2048]) {
    const a = tf.randomNormal([n, n]);
    const b = tf.randomNormal([n, n]);
    await tf.matMul(a, b).data();
    const started = performance.now();
    for (let r = 0; r < 5 && (r === 0 || performance.now() - started < 3000); r++) {
      const t = performance.now();
      const c = tf.matMul(a, b);
      await c.data();
      best = Math.max(best, (2 * n ** 3) / ((performance.now() - t) / 1000) / 1e9);
      c.dispose();
    }
    tf.dispose([a, b]);
  }
  return best;
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
  return { adapter, s_per_iter: measured[Math.floor(measured.length / 2)], times: times.map((t) => Math.round(t * 1000) / 1000) };
}

(globalThis as Record<string, unknown>).neuralStyleBench = { ceiling, iterate, tf, runCompute, loseGpu };
