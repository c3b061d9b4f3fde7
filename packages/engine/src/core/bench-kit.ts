/**
 * What every benchmark of the engine shares, in the engine process and in the
 * webview alike: a reproducible noise image and the device's matMul ceiling
 * (the figure each backend's speed is reported against).
 */
import * as tf from '@tensorflow/tfjs';
import type { RgbImage } from './pixels';

/** A square image of noise from a linear congruential generator: the same `seed` gives the same pixels everywhere. */
export function randomImage(size: number, seed: number): RgbImage {
  let s = seed;
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { width: size, height: size, data };
}

/**
 * GFLOP/s of the best square matMul at the sizes VGG's layers reach, on the
 * current backend: `reps[n]` products of each size n, at most ~3 s a size
 * (the cpu backend takes seconds per product).
 */
export async function matMulCeiling(reps: Record<number, number> = { 1024: 16, 2048: 5 }): Promise<number> {
  let best = 0;
  for (const n of Object.keys(reps).map(Number)) {
    const a = tf.randomNormal([n, n]);
    const b = tf.randomNormal([n, n]);
    await tf.matMul(a, b).data(); // the first product compiles and allocates
    const started = performance.now();
    for (let r = 0; r < reps[n] && (r === 0 || performance.now() - started < 3000); r++) {
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
