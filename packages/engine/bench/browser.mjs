// pnpm bench --browser: the engine core in headless Chromium on tfjs's webgl and webgpu backends,
// timed as child.mjs times the engine process (see extension/webview/compute/bench.ts), each row
// with its adapter's name and as a fraction of that backend's measured matMul ceiling.
// Serves the page, the bundle (extension/dist/compute-bench.js, built first) and the bundled
// weights on 127.0.0.1 (WebGPU needs a secure context), and launches Chromium with
// --enable-unsafe-webgpu (on a machine without a GPU, its software fallback adapter).
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMOKE } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const bundle = join(repo, 'extension', 'dist', 'compute-bench.js');
const weightsDir = join(here, '..', 'weights', 'vgg19');
export const BROWSER_BACKENDS = ['webgl', 'webgpu'];

function serve() {
  const page = '<!DOCTYPE html><meta charset="utf-8"><title>bench</title><script src="/compute-bench.js"></script>';
  const files = { '/': ['text/html', page], '/compute-bench.js': ['text/javascript', () => readFileSync(bundle)] };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x').pathname;
    const known = files[url];
    const weight = url.startsWith('/weights/') ? normalize(join(weightsDir, url.slice('/weights/'.length))) : null;
    if (known) {
      res.writeHead(200, { 'content-type': known[0] }).end(typeof known[1] === 'function' ? known[1]() : known[1]);
    } else if (weight && weight.startsWith(weightsDir) && existsSync(weight)) {
      res.writeHead(200).end(readFileSync(weight));
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function weightsMessage(origin) {
  const shards = readFileSync(join(weightsDir, 'SHA256SUMS'), 'utf8').trim().split('\n').map((line) => {
    const [sha256, name] = line.trim().split(/\s+\*?/);
    return { name, sha256, url: `${origin}/weights/${name}` };
  });
  return { manifestUrl: `${origin}/weights/model.json`, shards };
}

/**
 * Runs the browser rows; `emit(record, line)` as bench.mjs's. `gf(s, size)` is GFLOP/s at that size. A smoke run
 * (measure.mjs) takes the bundle as `pnpm build` left it and times webgl's iterations only: on a machine without a
 * GPU (SwiftShader) each matMul ceiling and each webgpu row take minutes.
 */
export async function browserRows(args, emit, gf) {
  if (!SMOKE || !existsSync(bundle)) {
    const build = spawnSync(process.execPath, [join(repo, 'extension', 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the extension build (for dist/compute-bench.js) failed');
  }
  const { chromium } = createRequire(join(repo, 'package.json'))('playwright-core');
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, headless: true,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--ignore-gpu-blocklist', '--enable-unsafe-swiftshader'] });
  try {
    const page = await browser.newPage();
    await page.goto(origin);
    for (const backend of SMOKE ? ['webgl'] : BROWSER_BACKENDS) {
      let ceiling;
      try {
        ceiling = SMOKE ? Number.NaN : await page.evaluate((b) => globalThis.neuralStyleBench.ceiling(b), backend);
        emit({ impl: 'browser', backend, ceiling_gflops: ceiling },
          `browser ${backend} ceiling: matMul ${ceiling.toFixed(1)} GFLOP/s`);
      } catch (e) {
        const why = String(e.message).split('\n')[0];
        emit({ impl: 'browser', backend, skipped: why }, `browser ${backend}: skipped (${why})`);
        continue;
      }
      for (const size of args.sizes) {
        const r = await page.evaluate(([b, s, i, w]) => globalThis.neuralStyleBench.iterate(b, s, i, w),
          [backend, size, args.iters, weightsMessage(origin)]);
        const gflops = gf(r.s_per_iter, size);
        const detail = `${backend}: ${r.adapter.name}${r.adapter.fallback ? ' (fallback adapter)' : ''}`;
        const fraction = gflops / ceiling;
        const record = { impl: 'browser', backend, detail, size, s_per_iter: r.s_per_iter, gflops };
        emit({ ...record, fraction_of_ceiling: fraction, times: r.times },
          `browser ${detail} ${size}px: ${r.s_per_iter.toFixed(3)} s/iter, ${gflops.toFixed(1)} GFLOP/s, `
          + `${(100 * fraction).toFixed(0)}% of its matMul ceiling`);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
}
