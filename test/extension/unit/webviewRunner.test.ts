import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULTS, parseResultParameters } from '@neural-style/engine/options';
import { readPngText } from '../../../packages/engine/src/node/png-text';
import type { FromCompute, ToCompute } from '../../../extension/shared/protocol';
import type { EngineOutcome } from '../../../extension/src/engineTypes';
import { ComputeChannel, runInWebview, WebviewRun } from '../../../extension/src/webviewRunner';

const root = path.resolve(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures');
const imageWorkerPath = path.join(root, 'packages', 'engine', 'dist', 'image-worker.js');
const adapter = { name: 'Test GPU', fallback: false, maxTextureSize: 4096 };
type Reply = (m: ToCompute, send: (r: FromCompute | { type: 'ready' }) => void) => void;

/** A panel that answers a compute message as `reply` says. */
function fakePanel(reply: Reply, pageLoaded: Promise<void> = Promise.resolve())
  : ComputeChannel & { posted: ToCompute[]; close(): void } {
  const listeners = new Set<(m: FromCompute | { type: 'ready' }) => void>();
  const closers = new Set<() => void>();
  const send = (m: FromCompute | { type: 'ready' }) => setImmediate(() => listeners.forEach((l) => l(m)));
  const posted: ToCompute[] = [];
  return {
    posted,
    post: (m) => { posted.push(m); reply(m, send); },
    onMessage: (l) => { listeners.add(l); return () => listeners.delete(l); },
    onClosed: (l) => { closers.add(l); return () => closers.delete(l); },
    webviewUri: (f) => `https://webview/${path.basename(f)}`,
    allowFolder: () => pageLoaded,
    close: () => closers.forEach((c) => c()),
  };
}

const progress = {
  scale: 1, scales: 1, width: 32, height: 32, iteration: 1, iterations: 2, step: 1, totalSteps: 2,
  losses: { content: 1, style: 2, tv: 3, total: 6 }, elapsedMs: 5, etaMs: 5, fraction: 0.5, backend: 'webgl',
};

/** The run's end with a grey picture of the size it was sent. */
const greyResult = ({ width, height }: { width: number; height: number }): FromCompute => ({
  type: 'computeDone', image: { width, height, data: Buffer.alloc(width * height * 3, 128).toString('base64') },
  losses: progress.losses, steps: 2, elapsedMs: 9, backend: 'webgl',
});

const options32 = () => ({ ...DEFAULTS, size: 32, styleLayers: [...DEFAULTS.styleLayers],
  styleLayerWeights: [...DEFAULTS.styleLayerWeights], styleBlendWeights: [] as number[] });

function runWith(channel: ComputeChannel, dir: string, signal = new AbortController().signal, loadTimeoutMs?: number,
  given: Partial<WebviewRun> = {}): Promise<EngineOutcome> {
  const output = path.join(dir, 'out.png');
  const run: WebviewRun = {
    id: 't1', backend: 'webgl', adapter, content: path.join(fixtures, 'chelsea-64.png'),
    styles: [path.join(fixtures, 'starry-64.png')], output, options: options32(), maxInputPixels: 1e8, gpuMemory: 4,
    weightsDir: path.join(root, 'packages', 'engine', 'weights', 'vgg19'), imageWorkerPath, channel, signal,
    cancelGraceMs: 200, loadTimeoutMs,
    events: { progress: () => undefined, preview: () => undefined, log: () => undefined },
    ...given,
  };
  return runInWebview(run);
}

describe('a job in the panel\'s webview (webviewRunner, with a stand-in panel)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-webview-run-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sends the decoded pixels and every shard\'s sha256, and writes the result it gets back', async () => {
    const panel = fakePanel((m, send) => {
      if (m.type !== 'compute') return;
      send({ type: 'computeStarted', backend: 'webgl', adapter });
      send({ type: 'computeProgress', progress });
      send(greyResult(m.content));
    });
    const outcome = await runWith(panel, dir);
    assert.strictEqual(outcome.kind, 'done', JSON.stringify(outcome));
    const compute = panel.posted.find((m) => m.type === 'compute');
    assert.ok(compute?.type === 'compute');
    assert.strictEqual(Math.max(compute.content.width, compute.content.height), 32);
    assert.strictEqual(compute.weights.shards.length, 10);
    assert.ok(compute.weights.shards
      .every((s) => /^[0-9a-f]{64}$/.test(s.sha256) && s.url === `https://webview/${s.name}`));
    assert.ok(outcome.kind === 'done' && outcome.done.backend === 'webgl: Test GPU');
    const png = fs.readFileSync(path.join(dir, 'out.png'));
    assert.strictEqual(png.subarray(1, 4).toString('latin1'), 'PNG');
    // What made it, with file names only: a shared picture tells nothing of its owner's folders.
    const chunk = readPngText(png)['neural-style'];
    assert.ok(!chunk.includes(fixtures) && !chunk.includes(root), chunk);
    // The loss trace too, from the progress the page sent, so a panel opened on it later draws its chart.
    assert.deepStrictEqual({ ...parseResultParameters(chunk), options: undefined },
      { content: 'chelsea-64.png', styles: ['starry-64.png'], backend: 'webgl: Test GPU', steps: 2,
        options: undefined, losses: [[1, 1, 2, 3, 6]] });
  });

  it('the kept speed goes to the panel\'s compute; its plan comes back before the first progress, its measured speed with done', async () => {
    const kept = { msPerWork: 0.8, msPerIteration: 120, warmupIterations: 4 };
    const measured = { msPerWork: 0.7, msPerIteration: 110, warmupIterations: 3 };
    const estimate = {
      content: { width: 64, height: 64 }, final: { width: 32, height: 32 }, upscaled: false,
      scales: [{ width: 32, height: 32, iterations: 2, tiles: 0, work: 3 }], work: 3, estimateMs: 900, backend: 'webgl',
      speed: kept, measured: true,
    };
    const panel = fakePanel((m, send) => {
      if (m.type !== 'compute') return;
      send({ type: 'computePlan', estimate });
      send({ type: 'computeProgress', progress });
      send({ ...greyResult(m.content), speed: measured } as FromCompute);
    });
    const heard: string[] = [];
    const events = { plan: () => heard.push('plan'), progress: () => heard.push('progress'), preview: () => undefined,
      log: () => undefined };
    const outcome = await runWith(panel, dir, undefined, undefined, { speed: kept, events });
    const compute = panel.posted.find((m) => m.type === 'compute');
    assert.deepStrictEqual(compute?.type === 'compute' && compute.speed, kept);
    assert.deepStrictEqual(heard, ['plan', 'progress']);
    assert.ok(outcome.kind === 'done');
    assert.deepStrictEqual(outcome.done.speed, measured);
  });

  it('keeps each finished scale as a checkpoint, and a run resumed from it starts at the next with its pixels and '
    + 'its trace', async () => {
    const checkpoints = path.join(dir, 'checkpoints');
    const scale1 = { width: 16, height: 16, data: Buffer.alloc(16 * 16 * 3, 77).toString('base64') };
    const first = fakePanel((m, send) => {
      if (m.type !== 'compute') return;
      send({ type: 'computeProgress', progress });
      send({ type: 'computeCheckpoint', scale: 1, scales: 2, steps: 1, image: scale1 });
      send({ type: 'computeProgress', progress: { ...progress, scale: 2, step: 2, iteration: 1 } });
      send(greyResult(m.content));
    });
    const kept: Array<{ scale: number; steps: number; file: string }> = [];
    const events = { progress: () => undefined, preview: () => undefined, log: () => undefined,
      checkpoint: (c: { scale: number; steps: number; file: string }) => kept.push(c) };
    const outcome = await runWith(first, dir, undefined, undefined, { id: 'ns1-7', checkpoints, events });
    assert.strictEqual(outcome.kind, 'done', JSON.stringify(outcome));
    assert.deepStrictEqual(kept, [{ scale: 1, scales: 2, steps: 1, file: path.join(checkpoints, 'ns1-7.scale-1.png') }]);

    // After a reload: the page gets the checkpoint's pixels and goes on at scale 2; the picture's trace is whole.
    fs.rmSync(path.join(dir, 'out.png'));
    const again = fakePanel((m, send) => {
      if (m.type !== 'compute') return;
      send({ type: 'computeProgress', progress: { ...progress, scale: 2, step: 2, iteration: 1 } });
      send(greyResult(m.content));
    });
    const resumed = await runWith(again, dir, undefined, undefined,
      { id: 'ns1-7', checkpoints, resume: { scale: 1, scales: 2, steps: 1, file: kept[0].file } });
    assert.strictEqual(resumed.kind, 'done', JSON.stringify(resumed));
    const compute = again.posted.find((m) => m.type === 'compute');
    assert.ok(compute?.type === 'compute' && compute.resume);
    assert.deepStrictEqual({ ...compute.resume, image: { ...compute.resume.image, data: '' } },
      { fromScale: 2, steps: 1, image: { width: 16, height: 16, data: '' } });
    assert.strictEqual(compute.resume.image.data, scale1.data, 'the checkpoint\'s pixels, exactly');
    const chunk = parseResultParameters(readPngText(fs.readFileSync(path.join(dir, 'out.png')))['neural-style']);
    assert.deepStrictEqual(chunk.losses?.map(([step]) => step), [1, 2], 'the trace from before the reload, then after');

    // A checkpoint outside the job's folder is not read: the run starts over and says why.
    const lines: string[] = [];
    const outside = fakePanel((m, send) => { if (m.type === 'compute') send(greyResult(m.content)); });
    fs.rmSync(path.join(dir, 'out.png'));
    await runWith(outside, dir, undefined, undefined, { id: 'ns1-7', checkpoints,
      resume: { scale: 1, scales: 2, steps: 1, file: path.join(fixtures, 'chelsea-64.png') },
      events: { progress: () => undefined, preview: () => undefined, log: (_level, line) => lines.push(line) } });
    const posted = outside.posted.find((m) => m.type === 'compute');
    assert.ok(posted?.type === 'compute' && posted.resume === undefined);
    assert.ok(lines.some((l) => /could not resume: .*not a PNG in the job's checkpoints folder.*starting over/.test(l)),
      lines.join('\n'));
  });

  it('a blend of two styles: both decoded and sent, both named in the result with their weights', async () => {
    const panel = fakePanel((m, send) => {
      if (m.type !== 'compute') return;
      send(greyResult(m.content));
    });
    // The photo as the second style: any image will do, and the fixtures have two.
    const styles = [path.join(fixtures, 'starry-64.png'), path.join(fixtures, 'chelsea-64.png')];
    const options = { ...options32(), styleBlendWeights: [70, 30] };
    const outcome = await runWith(panel, dir, undefined, undefined, { styles, options });
    assert.strictEqual(outcome.kind, 'done', JSON.stringify(outcome));
    const compute = panel.posted.find((m) => m.type === 'compute');
    assert.ok(compute?.type === 'compute');
    assert.strictEqual(compute.styles.length, 2);
    assert.deepStrictEqual(compute.options.styleBlendWeights, [70, 30]);
    const read = parseResultParameters(readPngText(fs.readFileSync(path.join(dir, 'out.png')))['neural-style']);
    assert.deepStrictEqual([read.styles, read.options.styleBlendWeights],
      [['starry-64.png', 'chelsea-64.png'], [70, 30]]);
  });

  it('a result of the wrong size is refused and nothing is written', async () => {
    const panel = fakePanel((m, send) => {
      if (m.type === 'compute') send(greyResult({ width: 1, height: 1 }));
    });
    const outcome = await runWith(panel, dir);
    assert.strictEqual(outcome.kind, 'error');
    assert.match(outcome.kind === 'error' ? outcome.message : '', /sent a 1×1 result for a 32×22 job/);
    assert.deepStrictEqual(fs.readdirSync(dir), []);
  });

  it('cancel asks the panel to stop and writes nothing, also when the panel never answers', async () => {
    for (const answers of [true, false]) {
      const abort = new AbortController();
      const panel = fakePanel((m, send) => {
        if (m.type === 'compute') send({ type: 'computeProgress', progress });
        if (m.type === 'stopCompute' && answers) {
          send({ type: 'computeFailed', code: 'ECANCELLED', message: 'Cancelled.' });
        }
      });
      const running = runWith(panel, dir, abort.signal);
      // Cancelled once the run is in the panel (the images are decoded first: seconds on a busy machine).
      for (let waited = 0; !panel.posted.some((m) => m.type === 'compute') && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      abort.abort();
      assert.deepStrictEqual(await running, { kind: 'cancelled' });
      assert.ok(panel.posted.some((m) => m.type === 'stopCompute'));
      assert.deepStrictEqual(fs.readdirSync(dir), []);
    }
  });

  it('a lost GPU, a reloaded webview and a closed panel end the run at once', async () => {
    const cases: Array<[Reply | 'close', RegExp | 'cancelled']> = [
      [(m, send) => m.type === 'compute' && send({ type: 'computeFailed', code: 'EGPULOST',
        message: 'The GPU stopped during the run: WebGL context lost.' }),
      /WebGL context lost/],
      [(m, send) => m.type === 'compute' && send({ type: 'ready' }), /reloaded during the run/],
      ['close', 'cancelled'],
    ];
    for (const [reply, expected] of cases) {
      const panel = fakePanel(reply === 'close' ? () => undefined : reply);
      const running = runWith(panel, dir);
      if (reply === 'close') {
        while (!panel.posted.some((m) => m.type === 'compute')) await new Promise((r) => setTimeout(r, 20));
        panel.close();
      }
      const outcome = await running;
      if (expected === 'cancelled') assert.deepStrictEqual(outcome, { kind: 'cancelled' });
      else {
        assert.ok(outcome.kind === 'error' && expected.test(outcome.message) && outcome.code === 'EGPULOST',
          JSON.stringify(outcome));
      }
      assert.deepStrictEqual(fs.readdirSync(dir), []);
    }
  });

  it('posts the run only once the page allowed to read the weights has loaded, and says so when it never does',
    async () => {
    let loadedAt = 0;
    const loaded = new Promise<void>((resolve) => setTimeout(() => { loadedAt = Date.now(); resolve(); }, 1500));
    let postedAt = 0;
    const panel = fakePanel((m, send) => {
      if (m.type !== 'compute') return;
      postedAt = Date.now();
      send({ type: 'computeFailed', code: 'EGPULOST', message: 'stop here' });
    }, loaded);
    await runWith(panel, dir);
    assert.ok(loadedAt > 0 && postedAt >= loadedAt, `posted at ${postedAt}, the page loaded at ${loadedAt}`);

    const never = fakePanel(() => assert.fail('a run was posted to a page that never loaded'),
      new Promise(() => undefined));
    const outcome = await runWith(never, dir, undefined, 300);
    assert.ok(outcome.kind === 'error' && /^The panel's webview did not load within 0.3 s\.$/.test(outcome.message),
      JSON.stringify(outcome));
    assert.deepStrictEqual(fs.readdirSync(dir), []);
  });
});
