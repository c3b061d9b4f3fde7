// How honest the wait is: a real multi-scale run on wasm, its estimate before
// the start and its ETA at 10 %, 50 % and 90 % of the run against the truth.
// node packages/engine/bench/eta.mjs [--size 384] [--draft 192] [--iterations 10] [--fine 4] [--tile 0] [--json]
// A second run gets the first's measured speed, as the extension gives its
// runs the speed it kept: its estimate before the start is the one that counts.
import { parseArgs } from 'node:util';
import { SMOKE } from './measure.mjs';
import { engine } from './engine.mjs';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: SMOKE ? '64' : '384' },
    draft: { type: 'string', default: SMOKE ? '32' : '192' },
    iterations: { type: 'string', default: SMOKE ? '2' : '10' },
    fine: { type: 'string', default: SMOKE ? '2' : '4' },
    tile: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
  },
});
const options = {
  size: Number(values.size), draftSize: Number(values.draft), iterations: Number(values.iterations),
  fineIterations: Number(values.fine), tileSize: Number(values.tile), previewEvery: 0,
};
const CONTENT = new URL('../../../media/examples/chelsea.png', import.meta.url).pathname;
const STYLE = new URL('../../../media/styles/van_gogh_starry_night.jpg', import.meta.url).pathname;

/**
 * The ETA shown at `share` of the run and its error against the time that was left. A panel counts the last
 * report's ETA down between reports (the plan's estimate before the first), so that is what it shows then.
 */
function errorAt(reports, totalMs, share) {
  const at = share * totalMs;
  const last = reports.filter((r) => r.elapsedMs <= at).at(-1);
  const etaMs = Math.max(0, last.etaMs - (at - last.elapsedMs));
  const truth = totalMs - at;
  return { share, etaMs: Math.round(etaMs), truthMs: Math.round(truth), error: (etaMs - truth) / truth };
}

async function run(loaded, images, speed) {
  const reports = [];
  let estimate = null;
  const result = await engine.stylize(loaded.vgg, { ...images, options, speed }, {
    onPlan: (e) => {
      estimate = e;
      reports.push({ elapsedMs: 0, etaMs: e.estimateMs });
    },
    onProgress: ({ elapsedMs, etaMs, fraction, scale, iteration, tile, tiles }) => {
      reports.push({ elapsedMs, etaMs, fraction, scale, iteration, tile, tiles });
      if (process.env.NS_TRACE) console.error(JSON.stringify(reports.at(-1)));
    },
  });
  const totalMs = result.elapsedMs;
  return {
    scales: estimate.scales.map((s) => `${s.width}×${s.height}${s.tiles ? ` (${s.tiles} tiles)` : ''}`),
    totalMs: Math.round(totalMs), estimateMs: Math.round(estimate.estimateMs), measured: estimate.measured,
    estimateError: (estimate.estimateMs - totalMs) / totalMs,
    eta: [0.1, 0.5, 0.9].map((share) => errorAt(reports, totalMs, share)),
    speed: result.speed,
  };
}

const pct = (x) => (x === null || x === undefined ? '-' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(0)} %`);

async function main() {
  const loaded = await engine.loadEngine({ backend: 'wasm' });
  const images = {
    content: await engine.decodeImageFile(CONTENT, { maxInputPixels: 1e8 }),
    styles: [await engine.decodeImageFile(STYLE, { maxInputPixels: 1e8 })],
  };
  const first = await run(loaded, images, undefined);
  const second = await run(loaded, images, first.speed);
  loaded.dispose();
  if (values.json) {
    console.log(JSON.stringify({ options, runs: [first, second] }));
    return;
  }
  for (const [name, r] of [['first run (no speed kept)', first], ['second run (the first\'s speed)', second]]) {
    console.log(`${name}: ${r.scales.join(', ')}; took ${(r.totalMs / 1000).toFixed(1)} s; `
      + `estimate ${(r.estimateMs / 1000).toFixed(1)} s (${pct(r.estimateError)}${r.measured ? '' : ', a guess'})`);
    for (const e of r.eta) {
      const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
      console.log(`  at ${e.share * 100} %: ETA ${s(e.etaMs)}, truth ${s(e.truthMs)}, error ${pct(e.error)}`);
    }
  }
  const s = second.speed;
  console.log(`speed: ${s?.msPerWork.toFixed(2)} ms/GMAC + ${s?.msPerIteration.toFixed(0)} ms/iteration, `
    + `warm-up ${s?.warmupIterations.toFixed(1)} iterations`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
