/**
 * The device kit's benchmark (bundled by build.mjs, run by run.sh on a GPU
 * machine that has no Node and no registry): the engine core on Dawn's
 * WebGPU, as the engine process runs it. One JSON line per figure, on stdout:
 *
 *   adapter   the GPU Dawn found, its limits
 *   ceiling   the webgpu matMul ceiling, GFLOP/s
 *   iter      seconds per iteration at each size (Adam, the paper's loss, as `pnpm bench`), GFLOP/s
 *   run       a 512 px × 500-iteration Adam run, and a default 2048 px picture: seconds, losses
 *
 * `--tiny` runs every phase at a few pixels, for the kit's own test on a
 * software adapter. `--budget-s N` skips the phases that would start after N s.
 */
import * as fs from 'fs';
import * as path from 'path';
import { matMulCeiling, randomImage } from '../../src/core/bench-kit';
import { createVgg19, FeatureExtractor } from '../../src/core/vgg19';
import { decodeVgg19, verifyWeightFiles } from '../../src/core/weights';
import { gpuLimits, MemoryLimits } from '../../src/core/memory-limits';
import { RgbImage } from '../../src/core/pixels';
import { stylize } from '../../src/core/stylize';
import { RUN_DEFAULTS, StylizeOptions } from '../../src/core/options';
import { chooseBackend } from '../../src/node/backend';
import { loadWeightFiles } from '../../src/node/weights-source';
import { iterationFlops } from '../flops.mjs';

const args = process.argv.slice(2);
const tiny = args.includes('--tiny');
const budgetMs = 1000 * Number(args[args.indexOf('--budget-s') + 1] || 1e9);
const started = performance.now();
const kit = path.resolve(__dirname, '..');

const say = (record: object) => console.log(JSON.stringify(record));
const seconds = (ms: number) => Math.round(ms) / 1000;

/** The kit's photo and painting, as run.sh decoded them (raw RGB + its size). */
function kitImage(name: string): RgbImage {
  const { width, height } = JSON.parse(fs.readFileSync(path.join(kit, 'images', `${name}.json`), 'utf8'));
  return { width, height, data: new Uint8Array(fs.readFileSync(path.join(kit, 'images', `${name}.rgb`))) };
}

/**
 * Seconds per iteration at `size`: Adam on noise, as bench/child.mjs measures it (the first two iterations are
 * warm-up).
 */
async function secondsPerIteration(vgg: FeatureExtractor, size: number, iterations: number, limits: MemoryLimits) {
  const times: number[] = [];
  let last = performance.now();
  await stylize(vgg, {
    content: randomImage(size, 1), styles: [randomImage(size, 2)], limits,
    options: { size, iterations: iterations + 2, multiScale: false, optimizer: 'adam', init: 'noise', tvWeight: 0, previewEvery: 0 },
  }, {
    onProgress: (p) => {
      if (p.tile !== p.tiles) return;
      times.push(performance.now() - last);
      last = performance.now();
    },
  });
  const steady = times.slice(2).sort((a, b) => a - b);
  const median = steady[Math.floor(steady.length / 2)] / 1000;
  const gflops = iterationFlops(size, size) / median / 1e9;
  return { size, s_per_iter: median, gflops, warmup_s: seconds(times[0]), times: times.map(seconds) };
}

/** A whole picture of the kit's images with `options`: its time from the first step to the result, and its losses. */
async function picture(vgg: FeatureExtractor, what: string, options: Partial<StylizeOptions>, limits: MemoryLimits) {
  const t0 = performance.now();
  const result = await stylize(vgg, { content: kitImage('content'), styles: [kitImage('style')], options: { previewEvery: 0, ...options }, limits });
  return { what, seconds: seconds(performance.now() - t0), steps: result.steps, size: `${result.image.width}×${result.image.height}`, losses: result.losses };
}

/** Runs `phase` unless the budget is spent; a failure is a record too, and the next phase still runs. */
async function phase(name: string, run: () => Promise<object>): Promise<void> {
  if (performance.now() - started > budgetMs) {
    say({ event: name, skipped: `the kit's budget of ${budgetMs / 1000} s was spent` });
    return;
  }
  try {
    say({ event: name, ...(await run()) });
  } catch (error) {
    say({ event: name, error: String((error as Error)?.message ?? error).split('\n')[0] });
  }
}

async function main(): Promise<void> {
  const backend = await chooseBackend('webgpu');
  const adapter = backend.adapter!;
  say({ event: 'adapter', name: adapter.name, software: adapter.software, maxBufferSize: adapter.maxBufferSize, maxStorageBufferBindingSize: adapter.maxStorageBufferBindingSize });
  const files = await loadWeightFiles(process.env.NS_KIT_WEIGHTS || path.join(kit, 'weights', 'vgg19'));
  await verifyWeightFiles(files);
  const vgg = createVgg19(decodeVgg19(files));
  // The speed figures whole, as PyTorch's are (40 GB keeps 1024 px whole); the 2048 px picture as a user gets it, with
  // the default.
  const limits: MemoryLimits = { hostBytes: 16e9, gpu: gpuLimits(tiny ? 1 : 40, adapter) };
  const userLimits: MemoryLimits = { hostBytes: 16e9, gpu: gpuLimits(RUN_DEFAULTS.gpuMemory, adapter) };
  await phase('ceiling', async () => ({ gflops: await matMulCeiling(tiny ? { 256: 2 } : undefined) }));
  for (const size of tiny ? [32] : [512, 1024]) await phase('iter', () => secondsPerIteration(vgg, size, tiny ? 1 : 10, limits));
  // --tiny: one size throughout, so that a software adapter compiles its shaders once.
  await phase('run', () => picture(vgg, tiny ? '32 px × 1 Adam' : '512 px × 500 Adam', { size: tiny ? 32 : 512, iterations: tiny ? 1 : 500, optimizer: 'adam', multiScale: false }, limits));
  await phase('run', () => picture(vgg, tiny ? '32 px, 1 iteration, Adam' : `2048 px default (gpuMemory ${RUN_DEFAULTS.gpuMemory} GB)`, tiny ? { size: 32, iterations: 1, optimizer: 'adam' } : { size: 2048 }, userLimits));
  say({ event: 'end', seconds: seconds(performance.now() - started) });
}

main().then(() => process.exit(0), (error) => {
  say({ event: 'error', error: String((error as Error)?.message ?? error) });
  process.exit(1);
});
