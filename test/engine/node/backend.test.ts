import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { BackendReport, describeBackend } from '../../../packages/engine/src/index';
import { ROOT, tempDir } from '../helpers';

const BIN = path.join(ROOT, 'packages', 'engine', 'bin', 'neural-style.js');
const ENGINE = path.join(ROOT, 'packages', 'engine', 'src', 'index');
const EXAMPLE = path.join(ROOT, 'media', 'examples', 'chelsea.png');
const PRESET = path.join(ROOT, 'media', 'styles', 'van_gogh_starry_night.jpg');

function cliOn(backend: string, size = 32) {
  const out = path.join(tempDir(), 'out.png');
  const r = spawnSync(process.execPath, [BIN, EXAMPLE, PRESET, '-o', out, '--size', String(size), '--iterations', '1', '--no-multi-scale', '--backend', backend, '--json'],
    { encoding: 'utf8', timeout: 300_000 });
  return { ...r, events: r.status === 0 ? r.stdout.trim().split('\n').map((l) => JSON.parse(l)) : [] };
}

let autoReport: BackendReport | null = null;
/**
 * What `auto` picks in a fresh process, as in a user's CLI run or engine process: a process keeps
 * its first backend, so this one's (whichever suite ran first) must not decide the answer.
 */
function autoBackend(): BackendReport {
  if (autoReport) return autoReport;
  const script = `require(${JSON.stringify(ENGINE)}).loadEngine({ backend: 'auto' }).then((e) => process.stdout.write(JSON.stringify(e.backend)))`;
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  expect(r.status, r.stderr).to.equal(0);
  autoReport = JSON.parse(r.stdout) as BackendReport;
  return autoReport;
}

describe('backends', () => {
  it('auto picks the best that loads and says why each better one did not', async () => {
    const backend = autoBackend();
    const line = describeBackend(backend);
    console.log(`      ${line}`);
    const order = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];
    expect(backend.skipped).to.have.length(order.indexOf(backend.name));
    for (const reason of backend.skipped) {
      expect(reason).to.match(/^(tfjs-node(-gpu)?: (not installed|installed without its native library|installed but cannot load|loaded but)|webgpu: .+)/);
    }
    if (backend.name === 'wasm') expect(backend.detail).to.match(/^wasm \(SIMD, /);
  });

  for (const [name, label] of [['tensorflow-gpu', 'tfjs-node-gpu (CUDA)'], ['tensorflow', 'tfjs-node (native CPU)']] as const) {
    it(`runs on ${label} where it loads`, async function () {
      const backend = autoBackend();
      const reason = backend.name === name ? null : backend.skipped.find((s) => s.startsWith(name === 'tensorflow' ? 'tfjs-node:' : 'tfjs-node-gpu:'));
      if (reason) {
        console.log(`      skipped: ${reason}`);
        this.skip();
      }
      const r = cliOn(name);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.events[0]).to.include({ event: 'backend', backend: name });
    });
  }

  it('a forced backend that cannot load is a clear error', async function () {
    const backend = autoBackend();
    if (backend.name === 'tensorflow-gpu') this.skip();
    const r = cliOn('tensorflow-gpu');
    expect(r.status).to.equal(1);
    expect(r.stderr.trim()).to.match(/^Error: Backend tensorflow-gpu is not available: tfjs-node-gpu: /);
  });

  it('forcing wasm and cpu works (cpu: plain JavaScript)', () => {
    for (const name of ['wasm', 'cpu']) {
      const r = cliOn(name, name === 'cpu' ? 24 : 32); // cpu is ~30x slower: a tiny image (24×16)
      expect(r.status, r.stderr).to.equal(0);
      expect(r.events[0]).to.include({ event: 'backend', backend: name });
      expect(r.events[r.events.length - 1]).to.include({ event: 'done', backend: name });
    }
  });
});
