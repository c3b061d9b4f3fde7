// What keeping a tiled scale's optimiser in files costs: L-BFGS steps on
// vectors of VALUES values (default 50.3 M: a 4096×3072 pyramid) with
// `history` pairs (default 5, what a print keeps), every vector (the iterate,
// gradients, steps, pairs) in temporary files (`file`, FileSpace) or in memory
// (`memory`); one JSON line per step (its ms, RSS) and the median. One mode
// per process, so each peak RSS is its own.
//   node packages/engine/bench/history-file.mjs file|memory [VALUES] [STEPS] [HISTORY]
import { bench, engine } from './engine.mjs';

const [mode = 'file', valuesArg = String(4096 * 3072 * 4), stepsArg = '8', historyArg = '5'] = process.argv.slice(2);
const values = Number(valuesArg);
const history = Number(historyArg);
const MB = 2 ** 20;
if (!['file', 'memory'].includes(mode)) throw new Error(`The mode is file or memory, got ${mode}`);

/** A gradient that changes from step to step (random, seeded by the step), so every pair is a real secant. */
function gradient(x, step) {
  const g = new Float32Array(values);
  let seed = step * 2654435761;
  for (let i = 0; i < values; i += 1) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    g[i] = x[i] * (1 + (seed % 7)) + ((seed >>> 16) % 3) - 1;
  }
  return g;
}

const { Lbfgs, HOST_SPACE, FileSpace } = bench;
const space = mode === 'file' ? new FileSpace(engine.openScratchFile) : HOST_SPACE;
const inMemory = (v) => (mode === 'file' ? space.toArray(v) : v);
const stored = (a) => (mode === 'file' ? space.fromArray(a) : a);
const lbfgs = new Lbfgs(space, history, (x) => space.clone(x));
let x = stored(new Float32Array(values).fill(1));
const times = [];
for (let step = 1; step <= Number(stepsArg); step += 1) {
  const g = stored(gradient(inMemory(x), step)); // the objective's part, not timed
  const started = performance.now();
  const next = await lbfgs.next(x, 1, g);
  const ms = performance.now() - started;
  space.dispose(g);
  space.dispose(x);
  x = next;
  times.push(ms);
  console.log(JSON.stringify({ mode, step, ms: Math.round(ms), rss_mb: Math.round(process.memoryUsage().rss / MB) }));
}
space.dispose(x);
lbfgs.dispose();
const later = times.slice(history + 1).sort((a, b) => a - b); // once the history is full
console.log(JSON.stringify({
  mode, values, history, median_full_ms: later.length ? Math.round(later[Math.floor(later.length / 2)]) : null,
  peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
}));
