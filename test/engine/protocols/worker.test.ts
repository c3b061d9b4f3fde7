import { expect } from 'chai';
import { ChildProcess, fork } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import sharp from 'sharp';
import { BUNDLED_WEIGHTS_DIR } from '../../../packages/engine/src/node/weights-source';
import { FromEngine, parseFromEngine, parseToEngine, ProtocolError, ToEngine } from '../../../packages/engine/src/protocol';
import { CONTENT, listFiles, STYLE, tempDir } from '../helpers';

/** The engine process, found the way any host finds it: the package's `./worker` entry. */
const WORKER = require.resolve('@neural-style/engine/worker');

/** A forked engine process and every message it sent, each checked against the protocol. */
class EngineProcess {
  readonly child: ChildProcess;
  readonly messages: FromEngine[] = [];
  private waiters: { test: (m: FromEngine) => boolean; resolve: (m: FromEngine) => void }[] = [];

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.child = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env });
    this.child.on('message', (raw) => {
      const message = parseFromEngine(raw);
      this.messages.push(message);
      this.waiters = this.waiters.filter((w) => !(w.test(message) && (w.resolve(message), true)));
    });
  }

  next<T extends FromEngine['type']>(type: T, test: (m: Extract<FromEngine, { type: T }>) => boolean = () => true): Promise<Extract<FromEngine, { type: T }>> {
    const found = this.messages.find((m) => m.type === type && test(m as never));
    if (found) return Promise.resolve(found as never);
    return new Promise((resolve) => this.waiters.push({ test: (m) => m.type === type && test(m as never),
      resolve: resolve as never }));
  }

  send(message: ToEngine | Record<string, unknown>): void {
    this.child.send(message);
  }

  exited(): Promise<number | null> {
    if (this.child.exitCode !== null) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }
}

describe('engine process protocol (fork, IPC)', () => {
  before(function () {
    if (!fs.existsSync(WORKER)) throw new Error('packages/engine/dist/worker.js is missing: run `pnpm build` first (pnpm test does).');
  });

  it('validates messages in both directions', () => {
    expect(parseToEngine({ type: 'cancel', id: 'a' })).to.deep.equal({ type: 'cancel', id: 'a' });
    expect(() => parseToEngine({ type: 'start', id: 'a', job: { content: 'c', styles: [], output: 'o' } }))
      .to.throw(ProtocolError, 'Bad field "job.styles" in message "start" to the engine: expected a list of at least 1 and at most 16 (each a string), got [].');
    expect(() => parseToEngine({ type: 'rm -rf' })).to.throw(ProtocolError, 'Not a message to the engine: {"type":"rm -rf"}.');
    expect(() => parseFromEngine({ type: 'done', id: 'a', output: 3 })).to.throw(ProtocolError, /^Bad field "output" in message "done" from the engine: expected a string, got 3\.$/);
  });

  it('refuses unknown fields, option names and backends by name', () => {
    const job = { content: 'c', styles: ['s'], output: 'o.png' };
    expect(() => parseToEngine({ type: 'start', id: 'a', job, priority: 1 })).to.throw(ProtocolError, /^Unexpected field "priority" in message "start"/);
    expect(() => parseToEngine({ type: 'start', id: 'a', job: { ...job, options: { sise: 32 } } })).to.throw(ProtocolError, /^Unexpected field "job\.options\.sise"/);
    expect(() => parseToEngine({ type: 'start', id: 'a', job: { ...job, options: { constructor: 1 } } })).to.throw(ProtocolError, /"job\.options\.constructor"/);
    expect(() => parseToEngine({ type: 'start', id: 'a', job, backend: 'gpu' })).to.throw(ProtocolError, /^Bad field "backend".*expected one of "auto", .*got "gpu"\.$/);
    // Option values are the engine's to check (validateOptions names the bad one), not the protocol's.
    expect(parseToEngine({ type: 'start', id: 'a', job: { ...job, options: { size: 'big' } } }).type).to.equal('start');
  });

  it('runs a job: ready, progress, preview, done, and the file exists', async () => {
    const engine = new EngineProcess();
    const dir = tempDir();
    try {
      await engine.next('ready');
      const output = path.join(dir, 'out.png');
      // This machine's speed as a host kept it, for whichever backend the engine chose.
      const speed = { msPerWork: 37, msPerIteration: 210, warmupIterations: 0.6 };
      const speeds = ['wasm', 'cpu', 'tensorflow'].map((backend) => ({ backend, speed }));
      engine.send({ type: 'start', id: 'job1', speeds, job: { content: CONTENT, styles: [STYLE], output, options: { size: 32, iterations: 4, multiScale: false, previewEvery: 2 } } });
      const done = await engine.next('done');
      expect(done).to.include({ id: 'job1', output, steps: 4 });
      // The plan before the first progress, estimated at the speed given; the run's own measured speed comes with done.
      const types = engine.messages.map((m) => m.type);
      expect(types.indexOf('plan')).to.be.within(0, types.indexOf('progress'));
      const { estimate } = engine.messages.find((m) => m.type === 'plan') as { estimate: { measured: boolean; speed: unknown } };
      expect(estimate).to.deep.include({ measured: true, speed });
      expect((done as { speed?: { msPerWork: number } }).speed?.msPerWork).to.be.above(0);
      expect(fs.existsSync(output)).to.equal(true);
      expect(engine.messages.filter((m) => m.type === 'progress').map((m) => (m as { step: number }).step)).to.deep.equal([1, 2, 3, 4]);
      const previews = engine.messages.filter((m) => m.type === 'preview');
      expect(previews.map((m) => (m as { step: number }).step)).to.deep.equal([1, 2, 4]);
      expect(Buffer.from((previews[0] as { png: string }).png, 'base64').subarray(1, 4).toString()).to.equal('PNG');
      expect(engine.messages.find((m) => m.type === 'backend' && m.id === 'job1' && m.detail.length > 0)).to.not.equal(undefined);
      // A bad job is an error message, and the process lives on.
      engine.send({ type: 'start', id: 'job2', job: { content: path.join(dir, 'missing.png'), styles: [STYLE], output: path.join(dir, 'x.png') } });
      expect(await engine.next('error', (m) => m.id === 'job2')).to.include({ code: 'ENOENT' });
      engine.send({ type: 'bogus' });
      expect((await engine.next('error', (m) => m.code === 'EPROTOCOL')).message).to.match(/^Not a message to the engine: \{"type":"bogus"\}\.$/);
      engine.send({ type: 'shutdown' });
      expect(await engine.exited()).to.equal(0);
    } finally {
      engine.child.kill();
    }
  });

  it('every request gets exactly one answer naming its own id, never mistaken for the running job', async () => {
    const engine = new EngineProcess();
    const dir = tempDir();
    try {
      await engine.next('ready');
      const output = path.join(dir, 'out.png');
      engine.send({ type: 'cancel', id: 'ghost' });
      expect(await engine.next('refused', (m) => m.id === 'ghost')).to.deep.include({ request: 'cancel', code: 'ENOJOB', message: 'No job ghost is running.' });
      engine.send({ type: 'start', id: 'job1', job: { content: CONTENT, styles: [STYLE], output, options: { size: 32, iterations: 6, multiScale: false, previewEvery: 0 } } });
      await engine.next('progress');
      // The same id again: refused as a request, and job1 runs on to done.
      engine.send({ type: 'start', id: 'job1', job: { content: CONTENT, styles: [STYLE], output: path.join(dir, 'other.png') } });
      engine.send({ type: 'cancel', id: 'job2' });
      expect(await engine.next('refused', (m) => m.request === 'start')).to.deep.include({ id: 'job1', code: 'EBUSY' });
      expect(await engine.next('refused', (m) => m.id === 'job2')).to.deep.include({ request: 'cancel', code: 'ENOJOB', message: 'No job job2 is running (job job1 is).' });
      expect(await engine.next('done')).to.include({ id: 'job1', output, steps: 6 });
      const ends = engine.messages.filter((m) => m.type === 'done' || m.type === 'error' || m.type === 'cancelled');
      expect(ends.map((m) => `${m.type} ${'id' in m ? m.id : ''}`)).to.deep.equal(['done job1']);
      expect(listFiles(dir)).to.deep.equal(['out.png']);
    } finally {
      engine.child.kill();
    }
  });

  it('a bad output path is refused before the weights load', async () => {
    const engine = new EngineProcess();
    const dir = tempDir();
    try {
      await engine.next('ready');
      const asked = performance.now();
      engine.send({ type: 'start', id: 'j', job: { content: CONTENT, styles: [STYLE], output: path.join(dir, 'nodir', 'out.png') } });
      expect((await engine.next('error', (m) => m.id === 'j')).code).to.equal('ENOENT');
      expect(performance.now() - asked).to.be.below(1000);
      expect(engine.messages.some((m) => m.type === 'backend'), 'no engine was loaded').to.equal(false);
    } finally {
      engine.child.kill();
    }
  });

  it('cancel stops a job within 2 s and writes nothing', async () => {
    const engine = new EngineProcess();
    const dir = tempDir();
    try {
      await engine.next('ready');
      engine.send({ type: 'start', id: 'long', job: { content: CONTENT, styles: [STYLE], output: path.join(dir, 'out.png'), options: { size: 64, iterations: 500 } } });
      await engine.next('progress');
      const asked = performance.now();
      engine.send({ type: 'cancel', id: 'long' });
      await engine.next('cancelled');
      expect(performance.now() - asked).to.be.below(2000);
      expect(listFiles(dir)).to.deep.equal([]);
    } finally {
      engine.child.kill();
    }
  });

  it('after a failed job the next normal job on the same process finishes: a style too small for the layers is enlarged; a thin strip, a long list and a weights scheme refused', async () => {
    const engine = new EngineProcess();
    const dir = tempDir();
    try {
      const { pid } = await engine.next('ready');
      // A 6×90 strip (15:1) at 40 px: 3 px wide for the style layers, which need 16 — enlarged, not a wasm trap.
      const strip = path.join(dir, 'strip.png');
      await sharp({ create: { width: 6, height: 90, channels: 3, background: '#2a6' } }).png().toFile(strip);
      const job = (id: string, style: string) => ({ content: CONTENT, styles: [style], output: path.join(dir, `${id}.out.png`), options: { size: 40, iterations: 2, multiScale: false, previewEvery: 0 } });
      engine.send({ type: 'start', id: 'strip', job: job('strip', strip) });
      expect(await engine.next('done', (m) => m.id === 'strip')).to.include({ steps: 2 });
      // A 2×300 ribbon would have to grow to 16×2400: refused up front, naming it; the process stays for the next job.
      const ribbon = path.join(dir, 'ribbon.png');
      await sharp({ create: { width: 2, height: 300, channels: 3, background: '#a26' } }).png().toFile(ribbon);
      engine.send({ type: 'start', id: 'ribbon', job: job('ribbon', ribbon) });
      const refused = await engine.next('error', (m) => m.id === 'ribbon');
      expect(refused).to.include({ code: 'EIMAGE' });
      expect(refused.retiring, 'a known error keeps the process').to.equal(false);
      expect(refused.message).to.match(/ribbon\.png \(2×300 px\) is too thin/);
      // The new failure classes are known errors too: a list over its limit, a weights URL of a scheme we do not fetch.
      const failing: [ToEngine<'start'>, string][] = [
        [{ type: 'start', id: 'layers', job: { ...job('layers', STYLE), options: { styleLayers: Array(30).fill('conv1_2') } } }, 'EINVAL'],
        [{ type: 'start', id: 'scheme', job: job('scheme', STYLE), weights: 'sftp://weights.example/vgg/model.json' }, 'EWEIGHTS'],
      ];
      for (const [message, code] of failing) {
        engine.send(message);
        expect(await engine.next('error', (m) => m.id === message.id), message.id).to.deep.include({ code, retiring: false });
      }
      engine.send({ type: 'start', id: 'after', job: job('after', STYLE) });
      expect(await engine.next('done', (m) => m.id === 'after')).to.include({ steps: 2 });
      expect(engine.child.pid).to.equal(pid);
      expect(listFiles(dir)).to.deep.equal(['after.out.png', 'ribbon.png', 'strip.out.png', 'strip.png']);
    } finally {
      engine.child.kill();
    }
  });

  it('an error the engine cannot vouch for is sent as retiring, and the process exits so the next job gets a fresh one', async () => {
    // NEURAL_STYLE_TEST_FAULT stands in for a wasm trap or a bug: a plain Error thrown at the first progress.
    const engine = new EngineProcess({ ...process.env, NEURAL_STYLE_TEST_FAULT: 'unexpected' });
    const dir = tempDir();
    try {
      await engine.next('ready');
      engine.send({ type: 'start', id: 'trap', job: { content: CONTENT, styles: [STYLE], output: path.join(dir, 'out.png'), options: { size: 32, iterations: 3, multiScale: false } } });
      const error = await engine.next('error', (m) => m.id === 'trap');
      expect(error).to.include({ code: 'EINTERNAL', retiring: true });
      expect(error.message).to.match(/^injected fault/);
      expect(await engine.exited()).to.equal(1);
      expect(listFiles(dir)).to.deep.equal([]);
    } finally {
      engine.child.kill();
    }
  });

  it('cancel reaches a weights download: cancelled within 2 s, and the next job on the same process finishes', async () => {
    // A server that sends model.json, then the first shard's first bytes, then nothing: a download that would run for
    // minutes.
    const server = http.createServer((req, res) => {
      if (req.url === '/w/model.json') res.writeHead(200).end(fs.readFileSync(path.join(BUNDLED_WEIGHTS_DIR, 'model.json')));
      else if (req.url!.startsWith('/w/group1-')) res.writeHead(200, { 'content-length': 9_000_000 }).write(Buffer.alloc(4096));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const engine = new EngineProcess({ ...process.env, NEURAL_STYLE_CACHE: tempDir('ns-cache-') });
    const dir = tempDir();
    try {
      const { pid } = await engine.next('ready');
      const job = (id: string) => ({ content: CONTENT, styles: [STYLE], output: path.join(dir, `${id}.png`), options: { size: 32, iterations: 2, multiScale: false, previewEvery: 0 } });
      engine.send({ type: 'start', id: 'slow', job: job('slow'), weights: `http://127.0.0.1:${(server.address() as AddressInfo).port}/w/model.json` });
      await engine.next('log', (m) => m.id === 'slow' && /^downloading .*group1-shard1of10\.bin: 4096\//.test(m.message));
      const asked = performance.now();
      engine.send({ type: 'cancel', id: 'slow' });
      await engine.next('cancelled', (m) => m.id === 'slow');
      expect(performance.now() - asked).to.be.below(2000);
      engine.send({ type: 'start', id: 'after', job: job('after') });
      expect(await engine.next('done', (m) => m.id === 'after')).to.include({ steps: 2 });
      expect(engine.child.pid).to.equal(pid);
      expect(listFiles(dir)).to.deep.equal(['after.png']);
    } finally {
      engine.child.kill();
      server.closeAllConnections();
      server.close();
    }
  });

  it('exits when its parent goes away', async () => {
    const engine = new EngineProcess();
    await engine.next('ready');
    engine.child.disconnect();
    expect(await engine.exited()).to.equal(0);
  });
});
