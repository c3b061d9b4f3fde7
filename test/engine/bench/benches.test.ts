import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { parseResultParameters, PARAMETERS_KEYWORD } from '../../../packages/engine/src/result-parameters';
import { readPngText } from '../../../packages/engine/src/node/png-text';
import { CONTENT, ROOT, STYLE, tempDir } from '../helpers';

/*
 * Each bench script once, as small as it goes (32 px, one iteration, one
 * repetition: NS_BENCH_SMOKE, bench/measure.mjs), so that none breaks unseen:
 * they load the built engine through its exports map, as users do. PyTorch is
 * left out (NS_PYTHON names no Python), and no GPU is needed. Their figures
 * mean nothing here. The device kit's bench has its own test (device-kit.test.ts).
 */

const BENCH = path.join(ROOT, 'packages', 'engine', 'bench');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Runs bench/`script` with `args` (or Node with them, when `script` is a flag); its exit status and output. */
function run(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, NS_BENCH_SMOKE: '1', NS_PYTHON: path.join(tempDir(), 'no-python') };
  const argv = script.startsWith('-') ? [script, ...args] : [path.join(BENCH, script), ...args];
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', env, timeout: 170_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The script's JSON lines. */
const records = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

describe('bench scripts (a smoke run of each)', () => {
  before(function () {
    if (!fs.existsSync(path.join(ROOT, 'packages', 'engine', 'dist', 'bench.js'))) {
      throw new Error('packages/engine/dist is missing: run `pnpm build` first (pnpm test does).');
    }
  });

  it('reach the engine only through its exports map; the library itself exports no bench parts', () => {
    const files = fs.readdirSync(BENCH, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(mjs|ts)$/.test(f));
    const pastTheMap = /['"]\.\.\/(\.\.\/)*(dist|src)\//;
    const past = files.filter((f) => pastTheMap.test(fs.readFileSync(path.join(BENCH, f), 'utf8')));
    // The device kit is bundled from the sources by esbuild (bench/device-kit/build.mjs), not loaded from a build.
    expect(past).to.deep.equal(['device-kit/bench-gpu.ts']);
    const library = require('@neural-style/engine');
    const benchParts = ['randomImage', 'matMulCeiling', 'tf', 'CONVOLUTION_CHOICES'];
    expect(benchParts.filter((name) => name in library)).to.deep.equal([]);
    expect(Object.keys(require('@neural-style/engine/bench'))).to.include.members(benchParts);
  });

  it('bench.mjs: an engine row and its backend\'s matMul ceiling, PyTorch skipped', () => {
    const r = run('bench.mjs', '--sizes', '32', '--iters', '1', '--no-pytorch', '--backends', 'wasm', '--json');
    expect(r.status, r.stderr).to.equal(0);
    const rows = records(r.stdout);
    expect(rows.find((row) => row.impl === 'engine' && row.size === 32)).to.include({ backend: 'wasm' })
      .and.to.have.property('s_per_iter').above(0);
    expect(rows.find((row) => row.ceiling_gflops !== undefined)).to.have.property('ceiling_gflops').above(0);
  });

  it('bench.mjs --quality without PyTorch says it skipped', () => {
    const r = run('bench.mjs', '--quality', '--json');
    expect(r.status, r.stderr).to.equal(0);
    expect(records(r.stdout)).to.deep.equal([{ impl: 'pytorch', skipped: 'reference, python or images not found' }]);
  });

  it('quality-child.mjs: the engine to a target loss, its picture written with what made it', () => {
    const out = path.join(tempDir(), 'engine-32.png');
    const options = JSON.stringify({ iterations: 2, multiScale: false });
    const r = run('quality-child.mjs', CONTENT, STYLE, out, '32', '1e30', options);
    expect(r.status, r.stderr + r.stdout).to.equal(0);
    expect(records(r.stdout)[0]).to.include({ reached: true, steps: 1 });
    const parameters = parseResultParameters(readPngText(fs.readFileSync(out))[PARAMETERS_KEYWORD]);
    expect(parameters).to.deep.include({
      content: 'chelsea-64.png', styles: ['starry-64.png'], backend: 'wasm', steps: 1,
    });
  });

  it('history-file.mjs: L-BFGS steps with the history in a file, then in memory', () => {
    for (const mode of ['file', 'memory']) {
      const r = run('history-file.mjs', mode, '1000', '4', '2');
      expect(r.status, r.stderr).to.equal(0);
      expect(records(r.stdout).at(-1)).to.include({ mode, values: 1000, history: 2 })
        .and.to.have.property('peak_rss_mb').above(0);
    }
  });

  it('profile.mjs: one gradient\'s kernels, largest first', () => {
    const r = run('profile.mjs', '32', '32');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/, 32x32, convolution auto: one gradient \d+ ms wall/);
    expect(r.stdout).to.match(/\n\| \w+ \| [\d.]+ \| \d+% \| \d+ \|/);
  });

  it('conv-layers.mjs: each VGG19 convolution shape, direct and Winograd', () => {
    const r = run('conv-layers.mjs', '32', '--json');
    expect(r.status, r.stderr).to.equal(0);
    expect(records(r.stdout).map((row) => row.layer)).to.deep.equal(
      ['conv1_1', 'conv1_2', 'conv2_1', 'conv2_2', 'conv3_1', 'conv3_2..4', 'conv4_1', 'conv4_2..4', 'conv5_1']);
  });

  it('conv-heap.mjs and layer-memory.mjs: what a convolution adds to the wasm heap', () => {
    const heap = run('conv-heap.mjs', 'winograd-4x4', '16', '16', '8');
    expect(heap.status, heap.stderr).to.equal(0);
    expect(heap.stdout).to.match(/^winograd-4x4 16x16x8: wasm heap \d+ -> \d+ MB/);
    const layer = run('layer-memory.mjs', 'winograd', '16', '8', '8');
    expect(layer.status, layer.stderr).to.equal(0);
    expect(layer.stdout).to.match(/^winograd 16→16 .* after prepareConv/);
  });

  it('wasm-ops.mjs: the ops Winograd uses and avoids, timed', () => {
    const r = run('wasm-ops.mjs');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('| op | ms |');
    expect(r.stdout.split('\n').filter((l) => /^\| .* \| [\d.]+ \|$/.test(l)).length).to.be.above(30);
  });

  it('eta.mjs: two runs of two scales, the estimate and the ETA\'s error at 10, 50 and 90 % of each', () => {
    const r = run('eta.mjs', '--json');
    expect(r.status, r.stderr).to.equal(0);
    const [{ runs }] = records(r.stdout);
    expect(runs).to.have.length(2);
    expect(runs.map((x: { measured: boolean }) => x.measured)).to.deep.equal([false, true]);
    for (const x of runs) {
      expect(x.scales).to.have.length(2);
      expect(x.eta.map((e: { share: number }) => e.share)).to.deep.equal([0.1, 0.5, 0.9]);
      expect(x.eta.every((e: { error: number }) => Number.isFinite(e.error))).to.equal(true);
    }
  });

  it('style-loss.mjs: a pair painted with the Gram and the sliced-Wasserstein losses, each measured by both', () => {
    const out = tempDir();
    const r = run('style-loss.mjs', out, '32', `${CONTENT}:${STYLE}`);
    expect(r.status, r.stderr).to.equal(0);
    const rows = records(r.stdout);
    expect(rows.map((x: { styleLoss: string }) => x.styleLoss)).to.deep.equal(['gram', 'sliced-wasserstein']);
    for (const x of rows) {
      const figures = [x.gramStyle, x.slicedStyle, x.contentTerm, x.seconds];
      expect(figures.every((v) => v > 0), JSON.stringify(x)).to.equal(true);
      expect(fs.existsSync(x.output), x.output).to.equal(true);
    }
  });

  it('clip.mjs: a made clip painted alone, as a clip without and with the temporal loss; flow, flicker', () => {
    const out = tempDir();
    const r = run('clip.mjs', '--json', '--out', out);
    expect(r.status, r.stderr).to.equal(0);
    const rows = records(r.stdout);
    expect(rows.map((x: { way: string }) => x.way)).to.deep.equal(['alone', 'clip, temporal weight 0',
      'clip, temporal weight 1000']);
    for (const x of rows) {
      const figures = [x.s_first_frame, x.s_per_frame, x.flicker, x.flicker_of_the_photo, x.style_term];
      expect(figures.every((v) => v > 0), JSON.stringify(x)).to.equal(true);
      expect(x.way === 'alone' ? x.flow_share === null : x.flow_share > 0 && x.flow_share < 1, JSON.stringify(x))
        .to.equal(true);
    }
    expect(fs.readdirSync(out).length, 'three ways of three frames').to.equal(9);
  });

  it('look.mjs without PyTorch says it skipped', () => {
    const r = run('look.mjs', CONTENT, STYLE, CONTENT);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^look: skipped \(/);
  });

  it('browser.mjs (bench.mjs --browser): a webgl row from headless Chromium', function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.log(`      skipped: no Chromium at ${CHROMIUM} (CHROMIUM_PATH names another)`);
      this.skip();
    }
    // Its rows alone, without bench.mjs's engine rows (the first test's): a webgl iteration on SwiftShader takes
    // seconds.
    const browser = JSON.stringify(pathToFileURL(path.join(BENCH, 'browser.mjs')).href);
    const print = '(record) => console.log(JSON.stringify(record))';
    const r = run('--input-type=module', '-e',
      `import { browserRows } from ${browser}; await browserRows({ sizes: [32], iters: 1 }, ${print}, () => 0);`);
    expect(r.status, r.stderr).to.equal(0);
    const row = records(r.stdout).find((record) => record.impl === 'browser' && record.size === 32);
    expect(row).to.include({ backend: 'webgl' }).and.to.have.property('s_per_iter').above(0);
  });
});
