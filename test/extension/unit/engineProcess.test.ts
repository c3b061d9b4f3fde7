import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROTOCOL_VERSION } from '@neural-style/engine/protocol';
import { liveEnginePids, runEngine } from '../../../extension/src/engineProcess';

const root = path.resolve(__dirname, '..', '..', '..');
const worker = path.join(root, 'packages', 'engine', 'dist', 'worker.js');
const fixtures = path.join(root, 'test', 'fixtures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-engine-proc-'));

/** A fake engine: says ready, then does what `body` says. */
function fakeWorker(name: string, body: string): string {
  const file = path.join(tmp, `${name}.js`);
  fs.writeFileSync(file, `process.send({ type: 'ready', version: ${PROTOCOL_VERSION}, pid: process.pid });\nprocess.on('message', (m) => { ${body} });\n`);
  return file;
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const job = { content: path.join(fixtures, 'chelsea-64.png'), styles: [path.join(fixtures, 'starry-64.png')], output: path.join(tmp, 'out.png'), options: { size: 32, iterations: 3, multiScale: false, previewEvery: 0 } };

describe('engine process', () => {
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('runs a real job to done in its own process and leaves none behind', async function () {
    if (!fs.existsSync(worker)) this.skip(); // scripts/test.mjs builds the engine first
    const progress: number[] = [];
    let pid = 0;
    const outcome = await runEngine({ workerPath: worker, id: 'j1', job, events: { started: (p) => { pid = p; }, progress: (p) => progress.push(p.step) } });
    assert.strictEqual(outcome.kind, 'done', JSON.stringify(outcome));
    assert.deepStrictEqual(progress, [1, 2, 3]);
    assert.ok(fs.statSync(job.output).size > 100);
    assert.ok(pid > 0 && !alive(pid));
    assert.deepStrictEqual(liveEnginePids(), []);
  });

  it('an engine that ignores cancel is killed after the grace period', async () => {
    const stubborn = fakeWorker('stubborn', `if (m.type === 'start') setInterval(() => {}, 1000);`);
    const abort = new AbortController();
    let pid = 0;
    const done = runEngine({ workerPath: stubborn, id: 'j2', job, signal: abort.signal, cancelGraceMs: 300, events: { started: (p) => { pid = p; } } });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    abort.abort();
    const outcome = await done;
    assert.strictEqual(outcome.kind, 'cancelled');
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    assert.ok(!alive(pid));
  });

  it('a process that dies mid-job is reported as a crash with its last output', async () => {
    const dying = fakeWorker('dying', `if (m.type === 'start') { console.error('out of memory'); process.exit(7); }`);
    const outcome = await runEngine({ workerPath: dying, id: 'j3', job });
    assert.strictEqual(outcome.kind, 'crashed');
    assert.match(outcome.kind === 'crashed' ? outcome.message : '', /exit code 7.*out of memory/);
  });

  it('a message outside the protocol fails the job and ends the process', async () => {
    const rogue = fakeWorker('rogue', `if (m.type === 'start') process.send({ type: 'progress', id: 'j4', step: 'x' }); if (m.type === 'shutdown') process.exit(0);`);
    const outcome = await runEngine({ workerPath: rogue, id: 'j4', job });
    assert.deepStrictEqual(outcome.kind === 'error' && outcome.code, 'EPROTOCOL');
    assert.deepStrictEqual(liveEnginePids(), []);
  });

  it('a refusal of another request is logged, not taken for the end of this job', async () => {
    const refusing = fakeWorker('refusing', `if (m.type === 'start') { process.send({ type: 'refused', request: 'cancel', id: 'other', code: 'ENOJOB', message: 'No job other is running.' }); process.send({ type: 'done', id: m.id, output: 'o.png', steps: 1, elapsedMs: 5, losses: { content: 1, style: 1, tv: 1, total: 3 }, backend: 'cpu' }); } if (m.type === 'shutdown') process.exit(0);`);
    const logs: string[] = [];
    const outcome = await runEngine({ workerPath: refusing, id: 'j6', job, events: { log: (_level, message) => logs.push(message) } });
    assert.strictEqual(outcome.kind, 'done');
    assert.ok(logs.includes('the engine refused cancel other: No job other is running.'), logs.join('\n'));
    const busy = fakeWorker('busy', `if (m.type === 'start') process.send({ type: 'refused', request: 'start', id: m.id, code: 'EBUSY', message: 'Job x is still running.' }); if (m.type === 'shutdown') process.exit(0);`);
    assert.deepStrictEqual(await runEngine({ workerPath: busy, id: 'j7', job }), { kind: 'error', code: 'EBUSY', message: 'Job x is still running.' });
  });

  it('a cancelled engine is gone within 0.5 s, even one busy in a long computation', async () => {
    const stubborn = fakeWorker('busy-loop', `if (m.type === 'start') { const end = Date.now() + 20000; while (Date.now() < end); }`);
    const abort = new AbortController();
    let pid = 0;
    const done = runEngine({ workerPath: stubborn, id: 'j8', job, signal: abort.signal, events: { started: (p) => { pid = p; } } });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    abort.abort();
    assert.strictEqual((await done).kind, 'cancelled');
    assert.ok(performance.now() - t0 < 500, `took ${(performance.now() - t0).toFixed(0)} ms`);
    assert.ok(!alive(pid));
  });

  it('an engine error is passed on with its code', async () => {
    const failing = fakeWorker('failing', `if (m.type === 'start') process.send({ type: 'error', id: m.id, code: 'EIMAGE', message: 'cat.bmp is not an image we can read.' }); if (m.type === 'shutdown') process.exit(0);`);
    const outcome = await runEngine({ workerPath: failing, id: 'j5', job });
    assert.deepStrictEqual(outcome, { kind: 'error', code: 'EIMAGE', message: 'cat.bmp is not an image we can read.' });
  });
});
