import { loadEngine, stylizeFiles } from './src/index';
(async () => {
  const t0 = Date.now();
  const engine = await loadEngine();
  console.log('load', Date.now() - t0, engine.backend.detail);
  for (const size of [64, 128, 256]) {
    const t = Date.now();
    let first = 0, last = 0, n = 0;
    const r = await stylizeFiles(engine, { content: '../shared/images/content/chelsea.png', styles: ['../shared/images/styles/van_gogh_starry_night.jpg'], output: `/tmp/smoke${size}.png`, options: { size, iterations: 10, multiScale: false } }, {
      onProgress: (p) => { if (p.step === 1) first = p.losses.total; last = p.losses.total; n++; } });
    console.log(size, 'ms/iter', (Date.now() - t) / 10, 'loss', first.toExponential(3), '->', last.toExponential(3), r.losses);
  }
})();
