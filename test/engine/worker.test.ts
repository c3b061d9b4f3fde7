import { expect } from 'chai';
import { ChildProcess, fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EngineMessage, HostMessage, parseEngineMessage, parseHostMessage, ProtocolError } from '../../packages/engine/src/protocol';
import { CONTENT, listFiles, ROOT, STYLE, tempDir } from './helpers';

const WORKER = path.join(ROOT, 'packages', 'engine', 'dist', 'worker.js');

/** A forked engine process and every message it sent, each checked against the protocol. */
class EngineProcess {
  readonly child: ChildProcess;
  readonly messages: EngineMessage[] = [];
  private waiters: { test: (m: EngineMessage) => boolean; resolve: (m: EngineMessage) => void }[] = [];

  constructor() {
    this.child = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child.on('message', (raw) => {
      const message = parseEngineMessage(raw);
      this.messages.push(message);
      this.waiters = this.waiters.filter((w) => !(w.test(message) && (w.resolve(message), true)));
    });
  }

  next<T extends EngineMessage['type']>(type: T, test: (m: Extract<EngineMessage, { type: T }>) => boolean = () => true): Promise<Extract<EngineMessage, { type: T }>> {
    const found = this.messages.find((m) => m.type === type && test(m as never));
    if (found) return Promise.resolve(found as never);
    return new Promise((resolve) => this.waiters.push({ test: (m) => m.type === type && test(m as never), resolve: resolve as never }));
  }

  send(message: HostMessage | Record<string, unknown>): void {
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
    expect(parseHostMessage({ type: 'cancel', id: 'a' })).to.deep.equal({ type: 'cancel', id: 'a' });
    expect(() => parseHostMessage({ type: 'start', id: 'a', job: { content: 'c', styles: [], output: 'o' } })).to.throw(ProtocolError, /Bad field "job"/);
    expect(() => parseHostMessage({ type: 'rm -rf' })).to.throw(ProtocolError, /Not a host message/);
    expect(() => parseEngineMessage({ type: 'done', id: 'a', output: 3 })).to.throw(ProtocolError, /Bad field "output"/);
  });

  it('runs a job: ready, progress, preview, done, and the file exists', async () => {
    const engine = new EngineProcess();
    const dir = tempDir();
    try {
      await engine.next('ready');
      const output = path.join(dir, 'out.png');
      engine.send({ type: 'start', id: 'job1', job: { content: CONTENT, styles: [STYLE], output, options: { size: 32, iterations: 4, multiScale: false, previewEvery: 2 } } });
      const done = await engine.next('done');
      expect(done).to.include({ id: 'job1', output, steps: 4 });
      expect(fs.existsSync(output)).to.equal(true);
      expect(engine.messages.filter((m) => m.type === 'progress').map((m) => (m as { step: number }).step)).to.deep.equal([1, 2, 3, 4]);
      const previews = engine.messages.filter((m) => m.type === 'preview');
      expect(previews.map((m) => (m as { step: number }).step)).to.deep.equal([2, 4]);
      expect(Buffer.from((previews[0] as { png: string }).png, 'base64').subarray(1, 4).toString()).to.equal('PNG');
      expect(engine.messages.find((m) => m.type === 'log' && /^backend: /.test(m.message))).to.not.equal(undefined);
      // A bad job is an error message, and the process lives on.
      engine.send({ type: 'start', id: 'job2', job: { content: path.join(dir, 'missing.png'), styles: [STYLE], output: path.join(dir, 'x.png') } });
      expect(await engine.next('error', (m) => m.id === 'job2')).to.include({ code: 'ENOENT' });
      engine.send({ type: 'bogus' });
      expect((await engine.next('error', (m) => m.code === 'EPROTOCOL')).message).to.match(/Not a host message/);
      engine.send({ type: 'shutdown' });
      expect(await engine.exited()).to.equal(0);
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

  it('exits when its parent goes away', async () => {
    const engine = new EngineProcess();
    await engine.next('ready');
    engine.child.disconnect();
    expect(await engine.exited()).to.equal(0);
  });
});
