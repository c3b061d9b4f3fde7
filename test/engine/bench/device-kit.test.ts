/**
 * The device kit (pnpm device-kit) end to end, as it will run on a GPU machine
 * that has no Node: built, then run.sh --tiny with this machine's Node out of
 * the kit, on SwiftShader's Vulkan driver. Its one run on a real GPU must work
 * the first time.
 */
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { dawnEnv, dawnOrSkip } from '../node/dawn-helpers';
import { ROOT, tempDir } from '../helpers';

const KIT = path.join(ROOT, '.device-kit');

describe('the device kit (pnpm device-kit), end to end on a software adapter', function () {
  this.timeout(900_000);

  before(function () {
    dawnOrSkip(this);
  });

  it('builds, unpacks its own Node and Dawn, and prints every figure as a JSON line (and in $OUT/kit.jsonl)', () => {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'packages', 'engine', 'bench', 'device-kit', 'build.mjs'), '--fast'], { encoding: 'utf8', timeout: 300_000 });
    expect(build.status, build.stderr).to.equal(0);
    for (const part of ['node.xz', 'dawn.node.xz', 'engine/bench-gpu.js', 'node_modules/webgpu/index.js', 'reference/gatys_torch.py', 'run.sh']) {
      expect(fs.existsSync(path.join(KIT, part)), part).to.equal(true);
    }
    expect(fs.readdirSync(path.join(KIT, 'deb')).some((f) => /^libvulkan1_.*_amd64\.deb$/.test(f)), 'the Vulkan loader').to.equal(true);
    const out = tempDir('ns-kit-out-');
    const run = spawnSync('bash', [path.join(KIT, 'run.sh'), '--tiny'], { env: dawnEnv({ OUT: out }), encoding: 'utf8', timeout: 600_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).to.equal(0);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    console.log(events.map((e) => `      ${JSON.stringify(e).slice(0, 160)}`).join('\n'));
    const of = (name: string) => events.filter((e) => e.event === name);
    expect(of('machine')[0].node).to.equal(process.version);
    expect(of('adapter')[0].name).to.match(/vulkan$/);
    expect(of('ceiling')[0].gflops).to.be.above(0);
    expect(of('iter')[0]).to.include({ size: 32 });
    expect(of('iter')[0].s_per_iter).to.be.above(0);
    expect(of('run').map((r) => r.what)).to.deep.equal(['32 px × 1 Adam', '32 px, 1 iteration, Adam']);
    for (const r of of('run')) expect(r.losses.total).to.be.above(0);
    expect(of('end')).to.have.length(1);
    expect(of('pytorch')).to.have.length.above(0);
    expect(events.filter((e) => e.error)).to.deep.equal([]);
    expect(fs.readFileSync(path.join(out, 'kit.jsonl'), 'utf8').trim().split('\n')).to.have.length(events.length);
  });
});
