import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EngineClient, ENGINE_WORDS, explainExit, ProcessClient } from '../../../packages/engine/src/node/engine-client';
import { FromImages, parseFromImages, ToImages } from '../../../packages/engine/src/image-protocol';
import { PROTOCOL_VERSION } from '../../../packages/engine/src/protocol';
import { CONTENT, STYLE, tempDir } from '../helpers';

/*
 * The engine client and the entry kit on their own; the CLI's tests
 * (cli.test.ts) and the extension's (engineProcess.test.ts) run them on whole
 * jobs.
 */

const WORKER = require.resolve('@neural-style/engine/worker');
const IMAGE_WORKER = require.resolve('@neural-style/engine/image-worker');

/** A script that says ready in `version`, then does what `body` says with each message `m`. */
function fakeEngine(version: number, body = ''): string {
  const file = path.join(tempDir(), 'engine.js');
  const ready = `process.send({ type: 'ready', version: ${version}, pid: process.pid });`;
  fs.writeFileSync(file, `${ready}\nprocess.on('message', (m) => { ${body} });\n`);
  return file;
}

describe('process entries (the entry kit)', () => {
  for (const [file, name] of [[WORKER, 'engine process'], [IMAGE_WORKER, 'image process']]) {
    it(`the ${name} run by hand says what it is, in one line, and exits 2`, () => {
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
      expect([r.status, r.stderr]).to.deep.equal([2,
        `This is the Neural Style ${name}: start it with child_process.fork() and speak its IPC protocol.\n`]);
    });
  }

  it('the image process answers a request, refuses a message outside its protocol, exits when told to', async () => {
    const images = new ProcessClient<ToImages, FromImages>(IMAGE_WORKER, parseFromImages, { stdout: 'ignore' });
    const messages: FromImages[] = [];
    const next = (test: (m: FromImages) => boolean) => new Promise<FromImages>((resolve) => {
      const off = images.onMessage((m) => { if (test(m)) { off(); resolve(m); } });
    });
    images.onMessage((m) => messages.push(m));
    const decoded = next((m) => m.type === 'decoded');
    images.send({ type: 'decode', id: 'd', content: CONTENT, styles: [STYLE], options: { size: 32 } });
    expect(await decoded).to.deep.include({ id: 'd' });
    const refused = next((m) => m.type === 'error');
    images.send({ type: 'bogus' } as unknown as ToImages);
    const message = 'Not a message to the image process: {"type":"bogus"}.';
    expect(await refused).to.deep.include({ code: 'EPROTOCOL', message });
    const exit = await images.shutdown(10_000);
    expect([exit.code, exit.signal, images.alive]).to.deep.equal([0, null, false]);
    expect(messages[0]).to.deep.include({ type: 'ready' });
  });
});

describe('engine client', () => {
  const job = { content: CONTENT, styles: [STYLE], output: 'o.png' };

  it('an engine of another protocol version is refused, ended, and takes no job', async () => {
    const engine = new EngineClient(fakeEngine(PROTOCOL_VERSION + 1, "process.send({ type: 'cancelled', id: m.id })"));
    const outcome = await engine.runJob({ start: { id: 'j', job } });
    expect(outcome).to.deep.equal({ kind: 'error', code: 'EPROTOCOL', retiring: true,
      message: `The engine speaks protocol version ${PROTOCOL_VERSION + 1}; this CLI needs ${PROTOCOL_VERSION}.` });
    expect((await engine.exited).signal).to.equal('SIGKILL');
  });

  it('a process that exits before it is ready is a crash naming how, its last output and its script', async () => {
    const script = path.join(tempDir(), 'broken.js');
    fs.writeFileSync(script, "console.error('cannot load a module'); process.exit(3);");
    const outcome = await new EngineClient(script).runJob({ start: { id: 'j', job } });
    const said = 'The engine process stopped unexpectedly (exit code 3). Last output: cannot load a module';
    const message = `${said} (${script})`;
    expect(outcome).to.deep.equal({ kind: 'crashed', message });
  });

  it('a Node that cannot start is said so', async () => {
    const execPath = path.join(tempDir(), 'no-node');
    const client = new ProcessClient(fakeEngine(PROTOCOL_VERSION), () => ({ type: 'x' }), { execPath });
    const exit = await client.exited;
    expect(explainExit(exit, ENGINE_WORDS)).to.match(/^The engine process could not run: spawn .*no-node ENOENT$/);
  });

  it('shutdown kills a process that does not exit within the grace', async () => {
    const engine = new EngineClient(fakeEngine(PROTOCOL_VERSION));
    await engine.ready;
    const t0 = performance.now();
    const exit = await engine.shutdown(200);
    expect(exit.signal).to.equal('SIGKILL');
    expect(performance.now() - t0).to.be.within(150, 5000);
  });

  it('the exit is told in the host\'s words, with or without the last output', () => {
    const exit = { code: null, signal: 'SIGKILL' as const, lastOutput: 'out of memory' };
    expect(explainExit(exit, ENGINE_WORDS))
      .to.equal('The engine process stopped unexpectedly (signal SIGKILL). Last output: out of memory');
    const { lastOutput: _, ...silent } = ENGINE_WORDS;
    expect(explainExit({ ...exit, code: 7, signal: null }, silent))
      .to.equal('The engine process stopped unexpectedly (exit code 7).');
  });
});
