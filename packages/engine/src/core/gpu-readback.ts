import * as tf from '@tensorflow/tfjs';

/**
 * The core reads every result back asynchronously (data()), which tfjs's
 * webgpu backend does by mapping a buffer. Some adapters read back wrong (a
 * synchronous read on SwiftShader's fallback adapter gives zeros); one whose
 * asynchronous read is wrong would paint garbage, so the current backend is
 * checked before a run: the first wrong value and what it should be, or null.
 */
export async function readbackProblem(): Promise<{ got: number; expected: number } | null> {
  // Above tfjs's CPU hand-off size (1000 values), so that the sum is computed on the GPU.
  const n = 4096;
  const sum = tf.tidy(() => tf.add(tf.range(0, n, 1, 'float32'), 1));
  const got = await sum.data().finally(() => sum.dispose());
  const wrong = got.findIndex((v, i) => v !== i + 1);
  return wrong < 0 ? null : { got: got[wrong], expected: wrong + 1 };
}
