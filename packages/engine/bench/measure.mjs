// What every bench shares: where the PyTorch reference is, and how one
// measured process is run. No side effects (bench.mjs and quality.mjs import it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared beside the repository (packages/engine/bench is three levels down). */
export const SHARED = process.env.NS_SHARED
  ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared');
export const PYTHON = process.env.NS_PYTHON ?? '/usr/bin/python3';
export const REFERENCE = process.env.NS_TORCH_REFERENCE ?? join(SHARED, 'reference', 'gatys_torch.py');
export const TORCH_THREADS = 2;
/**
 * NS_BENCH_SMOKE=1: a run that only shows a bench still works (the engine's
 * tests run each so, test/engine/bench/benches.test.ts): one repetition of each
 * timing and a small matMul ceiling. Its figures mean nothing.
 */
export const SMOKE = process.env.NS_BENCH_SMOKE === '1';

/**
 * Median milliseconds of `reps` calls of `run` (after one warm-up call), each
 * result disposed. For in-process timings of tfjs ops: wasm kernels run
 * synchronously, so the op's time is the call's.
 */
export function medianMs(tf, run, reps = 7) {
  if (SMOKE) reps = 1;
  tf.dispose(run());
  const times = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    const result = run();
    times.push(performance.now() - t);
    tf.dispose(result);
  }
  return times.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

/** Runs a command; returns its last JSON stdout line (or an error) and peak RSS from /usr/bin/time. */
export function runMeasured(command, args, timeoutMs = 600_000) {
  const timed = existsSync('/usr/bin/time');
  // The 1-minute load before the run: other processes on the machine skew timings, and this shows when.
  const load1 = Math.round(loadavg()[0] * 100) / 100;
  const started = performance.now();
  const spawnOptions = { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 };
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', command, ...args], spawnOptions)
    : spawnSync(command, args, spawnOptions);
  const wallS = (performance.now() - started) / 1000;
  const rss = /MAXRSS_KB=(\d+)/.exec(r.stderr ?? '');
  const line = (r.stdout ?? '').trim().split('\n').filter((l) => l.startsWith('{')).pop();
  let json = null;
  try { json = line ? JSON.parse(line) : null; } catch { /* reported below */ }
  if (!json || r.status !== 0) {
    const tail = (r.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    const why = json?.error ?? (r.error ? String(r.error.message) : tail);
    return { error: why || `exit ${r.status}`, wallS, load1, stdout: r.stdout };
  }
  const peakRssMb = rss ? Math.round(Number(rss[1]) / 1024) : json.peak_rss_mb;
  return { json, peakRssMb, wallS, load1, stdout: r.stdout };
}
