import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROTOCOL_VERSION } from '@neural-style/engine/protocol';
import { liveEnginePids } from '../../../extension/src/engineProcess';
import { runEngine, WarmEngine } from '../../../extension/src/warmEngine';

const root = path.resolve(__dirname, '..', '..', '..');
const worker = path.join(root, 'packages', 'engine', 'dist', 'worker.js');
const fixtures = path.join(root, 'test', 'fixtures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-engine-proc-'));

/** A fake engine: says ready, then does what `body` says with each message `m`. */
function fakeWorker(name: string, body: string): string {
  const file = path.join(tmp, `${name}.js`);
  const ready = `process.send({ type: 'ready', version: ${PROTOCOL_VERSION}, pid: process.pid });`;
  fs.writeFileSync(file, `${ready}\nprocess.on('message', (m) => { ${body} });\n`);
  return file;
}

// What a fake engine says and does, as code.
const LOSSES = '{ content: 1, style: 1, tv: 1, total: 3 }';
const sendDone = (output = "'o.png'", backend = "'cpu'") => 'process.send({ type: \'done\', id: m.id, '
  + `output: ${output}, steps: 1, elapsedMs: 5, losses: ${LOSSES}, backend: ${backend} });`;
const EXIT_ON_SHUTDOWN = "if (m.type === 'shutdown') process.exit(0);";
/** Answers a start with `answer`, and exits when told to. */
const onStart = (answer: string) => `if (m.type === 'start') ${answer} ${EXIT_ON_SHUTDOWN}`;

/** Waits for the job to be on its process (a busy machine may take seconds to start one), then a little more. */
async function untilStarted(pid: () => number): Promise<void> {
  while (!pid()) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300));
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const job = {
  content: path.join(fixtures, 'chelsea-64.png'), styles: [path.join(fixtures, 'starry-64.png')],
  output: path.join(tmp, 'out.png'),
  options: { size: 32, iterations: 3, multiScale: false, previewEvery: 0 },
};

/** Never a skip: a test that cannot run says so (pnpm test builds first). */
function needsBuild(): void {
  if (!fs.existsSync(worker)) {
    throw new Error('packages/engine/dist/worker.js is missing: run `pnpm build` first (pnpm test does).');
  }
}
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('engine process', () => {
  before(needsBuild);

  it('runs a real job to done in its own process and leaves none behind', async () => {
    const progress: number[] = [];
    let pid = 0;
    const events = { started: (p: number) => { pid = p; }, progress: (p: { step: number }) => progress.push(p.step) };
    const outcome = await runEngine({ workerPath: worker, id: 'j1', job, events });
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
    const events = { started: (p: number) => { pid = p; } };
    const done = runEngine({ workerPath: stubborn, id: 'j2', job, signal: abort.signal, cancelGraceMs: 300, events });
    await untilStarted(() => pid);
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
    const rogue = fakeWorker('rogue', onStart("process.send({ type: 'progress', id: 'j4', step: 'x' });"));
    const outcome = await runEngine({ workerPath: rogue, id: 'j4', job });
    assert.deepStrictEqual(outcome.kind === 'error' && outcome.code, 'EPROTOCOL');
    assert.deepStrictEqual(liveEnginePids(), []);
  });

  it('a refusal of another request is logged, not taken for the end of this job', async () => {
    const other = "{ type: 'refused', request: 'cancel', id: 'other', code: 'ENOJOB', "
      + "message: 'No job other is running.' }";
    const refusing = fakeWorker('refusing', onStart(`{ process.send(${other}); ${sendDone()} }`));
    const logs: string[] = [];
    const events = { log: (_level: string, message: string) => logs.push(message) };
    const outcome = await runEngine({ workerPath: refusing, id: 'j6', job, events });
    assert.strictEqual(outcome.kind, 'done');
    assert.ok(logs.includes('the engine refused cancel other: No job other is running.'), logs.join('\n'));
    const refusal = "{ type: 'refused', request: 'start', id: m.id, code: 'EBUSY', "
      + "message: 'Job x is still running.' }";
    const busy = fakeWorker('busy', onStart(`process.send(${refusal});`));
    assert.deepStrictEqual(await runEngine({ workerPath: busy, id: 'j7', job }),
      { kind: 'error', code: 'EBUSY', message: 'Job x is still running.' });
  });

  it('a cancelled engine is gone within 0.5 s, even one busy in a long computation', async () => {
    const stubborn = fakeWorker('busy-loop',
      "if (m.type === 'start') { const end = Date.now() + 20000; while (Date.now() < end); }");
    const abort = new AbortController();
    let pid = 0;
    const events = { started: (p: number) => { pid = p; } };
    const done = runEngine({ workerPath: stubborn, id: 'j8', job, signal: abort.signal, events });
    await untilStarted(() => pid);
    const t0 = performance.now();
    abort.abort();
    assert.strictEqual((await done).kind, 'cancelled');
    assert.ok(performance.now() - t0 < 500, `took ${(performance.now() - t0).toFixed(0)} ms`);
    assert.ok(!alive(pid));
  });

  it('starts from a user folder with spaces, quotes, shell characters and non-ASCII letters, path intact', async () => {
    // As under C:\\Users\\Zoë Ünal\\.vscode\\extensions: the path is one argument, never through a shell.
    const extensions = path.join(tmp, "Zoë Ünal's & 100% ^stuff (x86)", '.vscode', 'extensions');
    const dist = path.join(extensions, 'neural-style-0.1.0', 'engine', 'dist');
    fs.mkdirSync(dist, { recursive: true });
    const workerPath = path.join(dist, 'worker.js');
    fs.copyFileSync(fakeWorker('here', onStart(sendDone('__filename'))), workerPath);
    const outcome = await runEngine({ workerPath, id: 'j10', job });
    assert.strictEqual(outcome.kind, 'done', JSON.stringify(outcome));
    assert.strictEqual(outcome.kind === 'done' && outcome.done.output, workerPath);
  });

  it('a last word cut inside a UTF-8 letter reaches the crash message whole', async () => {
    // The two halves of "ë" arrive in two chunks: each decoded alone would be two U+FFFD.
    const cut = fakeWorker('cut', `if (m.type === 'start') {
      const b = Buffer.from('cannot read /home/Zoë/cat.png'); const at = b.indexOf(0xc3) + 1;
      process.stderr.write(b.subarray(0, at));
      setTimeout(() => process.stderr.write(b.subarray(at), () => process.exit(3)), 200); }`);
    const outcome = await runEngine({ workerPath: cut, id: 'j11', job });
    assert.strictEqual(outcome.kind, 'crashed');
    assert.match(outcome.kind === 'crashed' ? outcome.message : '', /exit code 3.*cannot read \/home\/Zoë\/cat\.png/);
  });

  it('an engine error is passed on with its code', async () => {
    const error = "{ type: 'error', id: m.id, code: 'EIMAGE', message: 'cat.bmp is not an image we can read.' }";
    const failing = fakeWorker('failing', onStart(`process.send(${error});`));
    const outcome = await runEngine({ workerPath: failing, id: 'j5', job });
    assert.deepStrictEqual(outcome, { kind: 'error', code: 'EIMAGE', message: 'cat.bmp is not an image we can read.' });
  });
});

describe('warm engine', () => {
  before(needsBuild);
  const config = { workerPath: worker };
  const realJob = (name: string) => ({ ...job, output: path.join(tmp, `${name}.png`) });

  it('runs the next job on the same process, without loading again, and stops it after the idle time',
    async function () {
    this.timeout(180_000); // two real jobs, on a shared machine
    let idleMs = 60_000;
    const engine = new WarmEngine(() => idleMs);
    const started: Array<{ pid: number; warm: boolean }> = [];
    const firstProgress: number[] = [];
    const runOne = async (name: string) => {
      const t0 = performance.now();
      let first = 0;
      const oneIteration = { ...realJob(name), options: { ...job.options, iterations: 1 } };
      const outcome = await engine.run(config, { id: name, job: oneIteration, events: {
        started: (pid, warm) => started.push({ pid, warm }),
        progress: () => { first ||= performance.now() - t0; },
      } });
      assert.strictEqual(outcome.kind, 'done', JSON.stringify(outcome));
      firstProgress.push(first);
    };
    await runOne('warm-1');
    assert.ok(alive(started[0].pid), 'the engine stays up between jobs');
    // A short idle time, read after the next job: the process goes once it has waited that long.
    idleMs = 300;
    await runOne('warm-2');
    const [cold, warm] = firstProgress.map((ms) => ms.toFixed(0));
    console.log(`      from start to the first progress: cold ${cold} ms, warm ${warm} ms`);
    assert.deepStrictEqual(started.map((s) => s.warm), [false, true]);
    assert.strictEqual(started[1].pid, started[0].pid);
    assert.ok(firstProgress[1] < firstProgress[0], `warm ${warm} ms is not faster than cold ${cold} ms`);
    assert.ok(alive(started[0].pid), 'gone before its idle time');
    const t0 = Date.now();
    while (alive(started[0].pid) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 25));
    assert.ok(!alive(started[0].pid), 'still running after its idle time');
    assert.strictEqual(engine.pid, undefined);
    assert.deepStrictEqual(liveEnginePids(), []);
  });

  it('a crash ends its job with a clear message and the next job gets a new process', async function () {
    this.timeout(180_000); // two engines start, on a shared machine
    const engine = new WarmEngine(() => 60_000);
    const pids: number[] = [];
    const events = { started: (pid: number) => { pids.push(pid); } };
    // The engine dies mid-run, as a native crash or the OOM killer would do it.
    const long = { ...realJob('crash-1'), options: { ...job.options, iterations: 200 } };
    const crashing = engine.run(config, { id: 'crash-1', job: long,
      events: { ...events, progress: () => { if (alive(pids[0])) process.kill(pids[0], 'SIGKILL'); } } });
    const crashed = await crashing;
    assert.strictEqual(crashed.kind, 'crashed');
    assert.match(crashed.kind === 'crashed' ? crashed.message : '',
      /stopped unexpectedly \(signal SIGKILL\).*The next job starts a new engine\./);
    const short = { ...realJob('crash-2'), options: { ...job.options, iterations: 1 } };
    const next = await engine.run(config, { id: 'crash-2', job: short, events });
    assert.strictEqual(next.kind, 'done', JSON.stringify(next));
    assert.strictEqual(pids.length, 2);
    assert.notStrictEqual(pids[1], pids[0]);
    await engine.stop();
    assert.deepStrictEqual(liveEnginePids(), []);
  });

  it('a job with another engine setting gets a new process; the old one is stopped', async () => {
    const echo = fakeWorker('echo', onStart(sendDone('String(m.backend)', 'String(m.backend)')));
    const engine = new WarmEngine(() => 60_000);
    const pids: number[] = [];
    const events = { started: (pid: number) => { pids.push(pid); } };
    const on = async (backend: 'wasm' | 'cpu', id: string) => {
      const outcome = await engine.run({ workerPath: echo, backend }, { id, job, events });
      return outcome.kind === 'done' ? outcome.done.backend : outcome.kind;
    };
    assert.strictEqual(await on('wasm', 's1'), 'wasm');
    assert.strictEqual(await on('wasm', 's2'), 'wasm');
    assert.strictEqual(await on('cpu', 's3'), 'cpu');
    assert.strictEqual(pids[0], pids[1]);
    assert.notStrictEqual(pids[2], pids[1]);
    const t0 = Date.now();
    while (alive(pids[0]) && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 25));
    assert.ok(!alive(pids[0]), 'the engine of the old setting is still running');
    await engine.stop();
    assert.deepStrictEqual(liveEnginePids(), []);
  });

  it('an error the engine sends as retiring ends the job, and the next job goes to a new process, not the exiting one',
    async () => {
    // Like the engine after a wasm trap: the error, then an exit a moment later.
    const trap = "{ type: 'error', id: m.id, code: 'EINTERNAL', message: 'RuntimeError: unreachable', retiring: true }";
    const retiring = fakeWorker('retiring', `if (m.type === 'start' && m.id === 'r1') {
        process.send(${trap}); setTimeout(() => process.exit(1), 500); }
      else if (m.type === 'start') ${sendDone()}
      ${EXIT_ON_SHUTDOWN}`);
    const engine = new WarmEngine(() => 60_000);
    const pids: number[] = [];
    const events = { started: (pid: number) => { pids.push(pid); } };
    assert.deepStrictEqual(await engine.run({ workerPath: retiring }, { id: 'r1', job, events }),
      { kind: 'error', code: 'EINTERNAL', message: 'RuntimeError: unreachable', retiring: true });
    assert.strictEqual((await engine.run({ workerPath: retiring }, { id: 'r2', job, events })).kind, 'done');
    assert.strictEqual(pids.length, 2);
    assert.notStrictEqual(pids[1], pids[0]);
    await engine.stop();
    assert.deepStrictEqual(liveEnginePids(), []);
  });

  it('a cancel during a long step: the job is over within 0.5 s, and the next runs on the same warm process', async () => {
    // Busy 1.5 s in its step before it sees the cancel; then answers it, and runs the next job.
    const slow = fakeWorker('slow-step', `if (m.type === 'cancel') { const end = Date.now() + 1500; while (Date.now() < end);
      process.send({ type: 'cancelled', id: m.id }); } else if (m.type === 'start' && m.id === 'w2') { ${sendDone()} }
      ${EXIT_ON_SHUTDOWN}`);
    const engine = new WarmEngine(() => 60_000);
    const pids: number[] = [];
    const abort = new AbortController();
    const first = engine.run({ workerPath: slow }, { id: 'w1', job, signal: abort.signal,
      events: { started: (pid) => pids.push(pid) } });
    await untilStarted(() => pids[0] ?? 0);
    const t0 = performance.now();
    abort.abort();
    assert.strictEqual((await first).kind, 'cancelled');
    assert.ok(performance.now() - t0 < 1000, `took ${(performance.now() - t0).toFixed(0)} ms`);
    const second = await engine.run({ workerPath: slow }, { id: 'w2', job, events: { started: (pid) => pids.push(pid) } });
    assert.strictEqual(second.kind, 'done');
    assert.strictEqual(pids[1], pids[0], 'the same process, kept warm');
    assert.ok(performance.now() - t0 >= 1400, 'the next job waited for the engine to end its step');
    await engine.stop();
    assert.ok(!alive(pids[0]));
  });

  it('a cancel the engine answers keeps the process warm', async () => {
    const polite = fakeWorker('polite', `if (m.type === 'cancel') process.send({ type: 'cancelled', id: m.id });
      ${EXIT_ON_SHUTDOWN}`);
    const engine = new WarmEngine(() => 60_000);
    const pids: number[] = [];
    const abort = new AbortController();
    const events = { started: (pid: number) => { pids.push(pid); abort.abort(); } };
    const running = engine.run({ workerPath: polite }, { id: 'c1', job, signal: abort.signal, cancelGraceMs: 2000,
      events });
    assert.strictEqual((await running).kind, 'cancelled');
    assert.ok(alive(pids[0]));
    assert.strictEqual(engine.pid, pids[0]);
    await engine.stop();
    assert.ok(!alive(pids[0]));
  });
});
