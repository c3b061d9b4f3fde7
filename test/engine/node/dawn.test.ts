/**
 * WebGPU in the engine process and the CLI, through Dawn (the npm package
 * `webgpu`). On these GPU-less machines the adapter is Chromium's
 * SwiftShader Vulkan driver (software: a first step compiles shaders for
 * ~30 s, then ~10 s a step at 32 px), so every run here is 32 px and a few
 * iterations. Where no adapter exists the tests skip with the reason, and
 * fail under CI=true (CI installs libvulkan1 and Chromium).
 */
import { expect } from 'chai';
import { ChildProcess, fork, spawn, spawnSync } from 'child_process';
import * as path from 'path';
import { FromEngine, parseFromEngine } from '../../../packages/engine/src/protocol';
import { CONTENT, listFiles, ROOT, STYLE, tempDir } from '../helpers';
import { dawnEnv, dawnOrSkip } from './dawn-helpers';

const BIN = path.join(ROOT, 'packages', 'engine', 'bin', 'neural-style.js');
const WORKER = require.resolve('@neural-style/engine/worker');
interface CliRun { status: number | null; stderr: string; events: Array<Record<string, unknown>> }

/** The CLI with --json on the fixtures at 32 px; resolves when it exits. */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const out = path.join(tempDir('ns-dawn-cli-'), 'out.png');
  const child = spawn(process.execPath, [BIN, CONTENT, STYLE, '-o', out, '--size', '32', '--no-multi-scale', '--json', ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => child.on('close', (status) => resolve({
    status, stderr, events: stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)),
  })));
}

describe('WebGPU in the engine process and the CLI, through Dawn', function () {
  this.timeout(600_000);
  let adapter = '';

  before(function () {
    adapter = dawnOrSkip(this).name;
  });

  it('auto skips a software adapter, says so by name, and runs wasm', async () => {
    const run = await cli(['--iterations', '1'], dawnEnv());
    expect(run.status, run.stderr).to.equal(0);
    const backend = run.events[0] as { backend: string; skipped: string[] };
    expect(backend.backend).to.equal('wasm');
    const skip = backend.skipped.find((s) => s.startsWith('webgpu: '));
    expect(skip, backend.skipped.join('; ')).to.match(/(fallback \(software\) adapter|software renderer).*slower than wasm/);
    expect(skip).to.include(adapter.split(' — ')[0]);
  });

  it('--backend webgpu: a 32 px CLI job names the adapter and ends within 1e-3 relative total loss of wasm\'s', async () => {
    const [gpu, wasm] = [await cli(['--iterations', '2', '--backend', 'webgpu'], dawnEnv()), await cli(['--iterations', '2', '--backend', 'wasm'], dawnEnv())];
    expect(gpu.status, gpu.stderr).to.equal(0);
    expect(wasm.status, wasm.stderr).to.equal(0);
    expect(gpu.events[0]).to.include({ event: 'backend', backend: 'webgpu' });
    expect(gpu.events[0].detail).to.equal(`webgpu: ${adapter} (a software adapter, slower than wasm: run because it was asked for)`);
    const total = (run: CliRun) => (run.events[run.events.length - 1] as { losses: { total: number } }).losses.total;
    const relative = Math.abs(total(gpu) - total(wasm)) / total(wasm);
    console.log(`      total loss: webgpu ${total(gpu)}, wasm ${total(wasm)} (relative ${relative.toExponential(2)})`);
    expect(relative).to.be.below(1e-3);
  });

  it('the core\'s gradient checks pass on Dawn\'s webgpu as on wasm', () => {
    // The finite-difference check is left out here: its 14 passes of VGG take ~150 s on SwiftShader. It runs on
    // the same tfjs webgpu kernels in Chromium (browser-gradients.test.ts), and here with NS_DAWN_ALL_GRADIENTS=1.
    const all = process.env.NS_DAWN_ALL_GRADIENTS === '1';
    if (!all) console.log('      (without the finite-difference check: NS_DAWN_ALL_GRADIENTS=1 runs it too, ~150 s on SwiftShader)');
    // Not through .mocharc.json: its spec would add every engine test to the one named here.
    const r = spawnSync(process.execPath, [require.resolve('mocha/bin/mocha.js'), '-r', 'tsx/cjs', '--timeout', '580000',
      ...(all ? [] : ['-g', 'finite differences', '--invert']), path.join(ROOT, 'test', 'engine', 'core', 'gradient.test.ts')],
    { cwd: ROOT, env: dawnEnv({ NS_TEST_BACKEND: 'webgpu' }), encoding: 'utf8', timeout: 580_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).to.equal(0);
    expect(r.stdout).to.match(/backend: webgpu: /);
    expect(Number(r.stdout.match(/(\d+) passing/)?.[1])).to.be.above(3);
  });

  it('in one engine process: a job, a cancel that frees every tensor and writes nothing, a lost GPU that ends its job with EGPULOST', async () => {
    const engine = new Engine(dawnEnv({ NEURAL_STYLE_TEST_FAULT: 'lose-gpu@lost' }));
    const dir = tempDir('ns-dawn-engine-');
    const job = (id: string, iterations: number) => ({ type: 'start', id, backend: 'webgpu',
      job: { content: CONTENT, styles: [STYLE], output: path.join(dir, `${id}.png`), options: { size: 32, iterations, multiScale: false, previewEvery: 0 } } });
    try {
      engine.send(job('first', 1));
      expect(await engine.next('done', (m) => m.id === 'first')).to.include({ steps: 1, backend: 'webgpu' });
      const baseline = await engine.memoryAfter('first');
      engine.send(job('cancelled', 50));
      await engine.next('progress', (m) => m.id === 'cancelled');
      engine.send({ type: 'cancel', id: 'cancelled' });
      await engine.next('cancelled', (m) => m.id === 'cancelled');
      expect(await engine.memoryAfter('cancelled'), 'the tensors and GPU bytes of before the job').to.equal(baseline);
      engine.send(job('lost', 50));
      const lost = await engine.next('error', (m) => m.id === 'lost');
      expect(lost).to.include({ code: 'EGPULOST', retiring: true });
      expect(lost.message).to.match(/^The GPU stopped during the run \(device lost: .*\)\. Nothing was written\. Run it on the CPU instead/);
      expect(await engine.exited()).to.equal(1);
      expect(listFiles(dir)).to.deep.equal(['first.png']);
    } finally {
      engine.child.kill();
    }
  });
});

/** An engine process and the messages it sent, each checked against the protocol. */
class Engine {
  readonly child: ChildProcess;
  private readonly messages: FromEngine[] = [];
  private waiters: Array<() => void> = [];

  constructor(env: NodeJS.ProcessEnv) {
    this.child = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env });
    this.child.on('message', (raw) => {
      this.messages.push(parseFromEngine(raw));
      const waiting = this.waiters;
      this.waiters = [];
      waiting.forEach((wake) => wake());
    });
  }

  send(message: object): void {
    this.child.send(message);
  }

  async next<T extends FromEngine['type']>(type: T, test: (m: Extract<FromEngine, { type: T }>) => boolean): Promise<Extract<FromEngine, { type: T }>> {
    for (;;) {
      const found = this.messages.find((m) => m.type === type && test(m as never));
      if (found) return found as never;
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  /** The engine's memory line after job `id` (worker.ts), without the job's name. */
  async memoryAfter(id: string): Promise<string> {
    return (await this.next('log', (m) => m.id === id && m.message.startsWith('memory after the job:'))).message;
  }

  exited(): Promise<number | null> {
    if (this.child.exitCode !== null) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }
}
