// One measurement in its own process, so that its peak RSS is its own.
//   node child.mjs iter BACKEND SIZE ITERS [CONVOLUTION [OPTIONS_JSON]]
//       seconds per engine iteration (Adam, the paper's loss; OPTIONS_JSON overrides stylize options,
//       e.g. '{"tileSize":256}')
//   node child.mjs ceiling BACKEND
//       matMul GFLOP/s on that backend
// Prints one JSON line. Loads the built engine (dist), as users do.
import { bench, benchEngine, engine } from './engine.mjs';
import { SMOKE } from './measure.mjs';

const { matMulCeiling, randomImage } = bench;

const [mode, backendChoice, sizeArg, itersArg, convolution = 'auto', optionsJson = '{}'] = process.argv.slice(2);

function maxRssMb() {
  return process.resourceUsage().maxRSS / 1024;
}

async function ceiling() {
  return { ceiling_gflops: await matMulCeiling(SMOKE ? { 128: 1 } : undefined) };
}

async function iterate(size, iters) {
  const loaded = await benchEngine(backendChoice, convolution);
  const times = [];
  let tiles = 0;
  let last = performance.now();
  await engine.stylize(loaded.vgg, {
    content: randomImage(size, 1),
    styles: [randomImage(size, 2)],
    options: {
      size, iterations: iters + 2, multiScale: false, optimizer: 'adam', init: 'noise', tvWeight: 0, previewEvery: 0,
      ...JSON.parse(optionsJson),
    },
  }, {
    onProgress: (p) => {
      if (p.tile !== p.tiles) return; // a tile done inside an iteration
      tiles = p.tiles ?? 0;
      const now = performance.now();
      times.push((now - last) / 1000);
      last = now;
    },
  });
  const measured = times.slice(2).sort((a, b) => a - b);
  // Which layers convolved how: 'winograd-4x4 conv2_2..conv5_4, winograd-4x4-when-small conv1_2..conv2_1'.
  const span = (algorithm) => {
    const layers = [...loaded.vgg.algorithms()].filter(([, a]) => a === algorithm).map(([l]) => l);
    return layers.length === 0 ? null : `${layers[0]}..${layers[layers.length - 1]}`;
  };
  const winograds = ['winograd', 'winograd-4x4', 'winograd-4x4-when-small', 'winograd-4x4-when-small-else-2x2'];
  const used = winograds.map((a) => span(a) && `${a} ${span(a)}`).filter(Boolean).join(', ') || 'direct';
  const median = measured[Math.floor(measured.length / 2)];
  return { s_per_iter: median, tiles, convolution: used, times: times.map((t) => Math.round(t * 1000) / 1000) };
}

async function main() {
  const loaded = mode === 'ceiling' ? await engine.chooseBackend(backendChoice) : null;
  const result = mode === 'ceiling' ? await ceiling() : await iterate(Number(sizeArg), Number(itersArg));
  const report = loaded ?? (await engine.chooseBackend(backendChoice));
  const peak = Math.round(maxRssMb());
  console.log(JSON.stringify({ ...result, backend: report.name, detail: report.detail, peak_rss_mb: peak }));
}

main().catch((error) => {
  console.log(JSON.stringify({ error: String(error?.message ?? error).split('\n')[0] }));
  process.exitCode = 1;
});
