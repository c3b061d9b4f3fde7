#!/usr/bin/env node
// pnpm bench [--json] [--sizes 256,512] [--iters K] [--no-pytorch] [--quality] [--convolution
// auto|direct|winograd|winograd-4x4|winograd-4x4-when-small|winograd-4x4-when-small-else-2x2]
//            [--backends tensorflow-gpu,tensorflow,wasm] (the default; cpu may be added)
//            [--browser]: also webgl and webgpu in headless Chromium (browser.mjs), beside wasm
// (with --quality, --sizes defaults to 256)
//
// Speed: seconds per iteration (VGG19 to conv5_1 forward + input gradient +
// Adam step, the paper's loss) and peak RSS, per backend and size, each in its
// own process; each backend's matMul ceiling (its peak as measured here:
// the fraction of it an iteration reaches); the PyTorch CPU reference
// (gatys_torch.py bench) in the same run. --quality: time to a good picture
// (see quality.mjs). Human table by default, one JSON object per line with --json.
// --convolution: how VGG19 convolves (default auto: Winograd for the wide
// layers on wasm). GFLOP/s always count a direct convolution's FLOPs, so with
// Winograd they are effective figures, and can pass the matMul ceiling.
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iterationFlops } from './flops.mjs';
import { PYTHON, REFERENCE, runMeasured, TORCH_THREADS } from './measure.mjs';
import { runQuality } from './quality.mjs';
import { CONVOLUTION_CHOICES } from './engine.mjs';
import { browserRows } from './browser.mjs';


const here = dirname(fileURLToPath(import.meta.url));
/** The engine's backends the bench tries by default, best first (cpu is ~30x slower than wasm: on request). */
const ENGINE_BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm'];

function parseArgs(argv) {
  const args = { json: false, sizes: null, iters: 5, pytorch: true, quality: false, convolution: 'auto', backends: ENGINE_BACKENDS, browser: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--no-pytorch') args.pytorch = false;
    else if (a === '--quality') args.quality = true;
    else if (a === '--browser') args.browser = true;
    else if (a === '--sizes') args.sizes = argv[++i].split(',').map(Number);
    else if (a === '--iters') args.iters = Number(argv[++i]);
    else if (a === '--convolution') args.convolution = argv[++i];
    else if (a === '--backends') args.backends = argv[++i].split(',');
    else throw new Error(`Unknown option "${a}". Use --json, --sizes 256,512, --iters K, --no-pytorch, --quality, --browser, --convolution ${CONVOLUTION_CHOICES.join('|')}, --backends ${[...ENGINE_BACKENDS, 'cpu'].join(',')}.`);
  }
  const unknown = args.backends.filter((b) => ![...ENGINE_BACKENDS, 'cpu'].includes(b));
  if (unknown.length > 0) throw new Error(`--backends: unknown ${unknown.join(', ')} (tensorflow-gpu, tensorflow, wasm, cpu)`);
  args.sizes ??= args.quality ? [256] : [256, 512];
  if (!CONVOLUTION_CHOICES.includes(args.convolution)) throw new Error(`--convolution is one of ${CONVOLUTION_CHOICES.join(', ')}`);
  return args;
}

/**
 * A measured process's time limit: 10 minutes at 512 px, growing with the pixels (a 2048 px iteration takes minutes).
 */
const timeLimitMs = (size) => 600_000 * Math.max(1, (size / 512) ** 2);

/**
 * PyTorch's peak at 512 px was ~1.1 GB, nearly all of it in proportion to the
 * pixels: above what this machine has, its row is skipped rather than swapped.
 */
function torchFits(size) {
  const estimate = 1.1e9 * (size / 512) ** 2;
  return estimate < 0.8 * totalmem() ? null : `would need about ${(estimate / 1e9).toFixed(0)} GB, more than this machine's ${(totalmem() / 1e9).toFixed(0)} GB`;
}

function engineChild(...args) {
  const size = Number(args[2]) || 512;
  return runMeasured(process.execPath, [join(here, 'child.mjs'), ...args], timeLimitMs(size));
}

const records = [];

/** --json: the record on stdout at once. Otherwise: a progress line on stderr, and the record kept for the table. */
function emit(args, record, line) {
  records.push(record);
  if (args.json) console.log(JSON.stringify(record));
  else if (args.quality) console.log(line);
  else console.error(line);
}

function printTable() {
  const fmt = (v, d) => (typeof v === 'number' ? v.toFixed(d) : '');
  const rows = [['impl', 'backend', 'size', 's/iter', 'GFLOP/s', '% of its backend\'s ceiling', 'peak RSS MB', 'x PyTorch s/iter', 'load']];
  for (const r of records) {
    if (r.ceiling_gflops !== undefined) {
      rows.push([r.impl, `${r.detail ?? r.backend} matMul ceiling`, '', '', fmt(r.ceiling_gflops, 1), '100', '', '', fmt(r.load1, 2)]);
    } else if (r.skipped || r.error) {
      rows.push([r.impl, r.backend ?? '', String(r.size ?? ''), `skipped: ${r.skipped ?? r.error}`, '', '', '', '', '']);
    } else {
      rows.push([r.impl, r.detail ?? r.backend, String(r.size), fmt(r.s_per_iter, 3), fmt(r.gflops, 1),
        r.fraction_of_ceiling ? fmt(100 * r.fraction_of_ceiling, 0) : '', String(r.peak_rss_mb ?? ''), fmt(r.vs_pytorch, 2), fmt(r.load1, 2)]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.filter((r) => !r[3]?.startsWith('skipped')).map((r) => r[i].length)));
  for (const r of rows) {
    if (r[3]?.startsWith('skipped')) console.log(`| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3]} |`);
    else console.log(`| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
  }
}

function speed(args) {
  if (!args.json) console.log(`${new Date().toISOString()}  cpus: ${availableParallelism()}  load: ${loadavg().map((l) => l.toFixed(2)).join(' ')}  (timings are per impl, each in its own process)`);
  const gf = (s, size) => iterationFlops(size, size) / s / 1e9;
  // Each backend's matMul ceiling, measured before its rows and after all
  // of them (the best of both): a busy moment must not lower the ceiling.
  // A native or GPU backend's ceiling is measured only if it loads.
  const ceilings = new Map();
  const measureCeiling = (backend) => {
    const r = engineChild('ceiling', backend);
    const best = ceilings.get(backend);
    if (r.json && !(r.json.ceiling_gflops <= best?.ceiling_gflops)) ceilings.set(backend,
      { ...r.json, load1: r.load1 });
    else if (!best && r.error) ceilings.set(backend, { error: r.error, load1: r.load1 });
    if (!args.json) console.error(r.error ? `${backend} ceiling: failed (${r.error})` : `${backend} ceiling: matMul ${r.json.ceiling_gflops.toFixed(1)} GFLOP/s`);
  };
  if (args.backends.includes('wasm')) measureCeiling('wasm');
  // Each size's PyTorch and engine rows are measured back to back: the
  // machine is shared, and its speed drifts by ±10% over minutes.
  const torchAvailable = existsSync(PYTHON) && existsSync(REFERENCE);
  if (args.pytorch && !torchAvailable) {
    emit(args, { impl: 'pytorch', skipped: `${PYTHON} or ${REFERENCE} not found` }, `pytorch: skipped (${PYTHON} or ${REFERENCE} not found)`);
  }
  const engineRecords = [];
  const unavailable = new Set();
  for (const size of args.sizes) {
    let torch = null;
    const tooLarge = torchFits(size);
    if (args.pytorch && torchAvailable && tooLarge) emit(args, { impl: 'pytorch', size, skipped: tooLarge }, `pytorch ${size}px: skipped (${tooLarge})`);
    if (args.pytorch && torchAvailable && !tooLarge) {
      const r = runMeasured(PYTHON, [REFERENCE, '--threads', String(TORCH_THREADS), 'bench', '--size', String(size), '--iters', String(args.iters)], timeLimitMs(size));
      if (r.error) {
        emit(args, { impl: 'pytorch', size, error: r.error }, `pytorch ${size}px: failed (${r.error})`);
      } else {
        torch = r.json.median_s_per_iter;
        emit(args, { impl: 'pytorch', backend: `cpu, ${r.json.threads} threads`, size, s_per_iter: torch, gflops: gf(torch, size), peak_rss_mb: r.peakRssMb, load1: r.load1 },
          `pytorch (cpu, ${r.json.threads} threads) ${size}px: ${torch.toFixed(3)} s/iter, ${gf(torch, size).toFixed(1)} GFLOP/s, peak RSS ${r.peakRssMb} MB`);
      }
    }
    for (const backend of args.backends.filter((b) => !unavailable.has(b))) {
      const r = engineChild('iter', backend, String(size), String(args.iters), args.convolution);
      if (r.error) {
        emit(args, { impl: 'engine', backend, size, skipped: r.error }, `engine ${backend} ${size}px: skipped (${r.error})`);
        if (backend !== 'wasm') unavailable.add(backend); // a backend that does not load fails the same way at every size
        continue;
      }
      if (!ceilings.has(backend)) measureCeiling(backend);
      const s = r.json.s_per_iter;
      const record = { impl: 'engine', backend, size, s_per_iter: s, gflops: gf(s, size), peak_rss_mb: r.peakRssMb, detail: r.json.detail,
        convolution: r.json.convolution, tiles_per_iteration: r.json.tiles, load1: r.load1 };
      if (torch) record.vs_pytorch = s / torch;
      console.error(`engine ${r.json.detail}, ${r.json.convolution}${r.json.tiles ? `, ${r.json.tiles} tiles an iteration` : ', whole image'} ${size}px: ${s.toFixed(3)} s/iter, ${gf(s, size).toFixed(1)} GFLOP/s, peak RSS ${r.peakRssMb} MB`
        + (record.vs_pytorch ? `, ${record.vs_pytorch.toFixed(2)}x PyTorch's time` : ''));
      engineRecords.push(record);
    }
  }
  for (const backend of ceilings.keys()) measureCeiling(backend);
  for (const [backend, c] of ceilings) {
    emit(args, { impl: 'engine', backend, ceiling_gflops: c.ceiling_gflops ?? null, detail: c.detail, error: c.error, load1: c.load1 },
      c.ceiling_gflops ? `${c.detail} ceiling: matMul ${c.ceiling_gflops.toFixed(1)} GFLOP/s (best of before and after)` : `${backend} ceiling: failed (${c.error})`);
  }
  for (const record of engineRecords) {
    const ceiling = ceilings.get(record.backend)?.ceiling_gflops;
    if (ceiling) record.fraction_of_ceiling = record.gflops / ceiling;
    emit(args, record, `engine ${record.detail} ${record.size}px: ${ceiling ? `${(100 * record.fraction_of_ceiling).toFixed(0)}% of its backend's matMul ceiling` : 'no ceiling measured'}`);
  }
}

const args = parseArgs(process.argv.slice(2));
if (args.quality) runQuality(args, emit);
else {
  speed(args);
  const gflops = (s, size) => iterationFlops(size, size) / s / 1e9;
  if (args.browser) await browserRows(args, (record, line) => emit(args, record, line), gflops);
  if (!args.json) printTable();
}
