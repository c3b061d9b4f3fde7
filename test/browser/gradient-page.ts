/**
 * The engine's gradient checks (test/engine/core/gradient.test.ts, unchanged) in a
 * browser page, under mocha's browser build, on the backend the URL names.
 * test/engine/browser/browser-gradients.test.ts bundles and drives it.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import 'mocha/mocha.js';

declare const mocha: Mocha.BrowserMocha;

/** Whether an asynchronous read back (as the engine and the checks read) returns what the GPU computed. */
(globalThis as Record<string, unknown>).readbackProblem = (async () => {
  const backend = new URLSearchParams(location.search).get('backend') ?? 'webgl';
  if (!(await tf.setBackend(backend))) return `${backend} did not start`;
  const sum = tf.add(tf.range(0, 4096, 1, 'float32'), 1);
  const values = await sum.data();
  sum.dispose();
  const wrong = values.findIndex((v, i) => v !== i + 1);
  return wrong < 0 ? null : `data() gave ${values[wrong]} where ${wrong + 1} was computed`;
})();
const results: Array<{ title: string; state: string; error?: string }> = [];
/** Runs the checks (after readbackProblem has settled: one backend start at a time). */
(globalThis as Record<string, unknown>).runGradients = () => new Promise((resolve) => {
  mocha.setup({ ui: 'bdd', timeout: 600_000 });
  void import('../engine/core/gradient.test').then(() => {
    const runner = mocha.run(() => resolve(results));
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed' }));
    runner.on('fail', (t, e: Error) => results.push({ title: t.fullTitle(), state: 'failed', error: e.message }));
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
  });
});
