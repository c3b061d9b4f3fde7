/**
 * A job's path without VS Code: runJob with stand-ins for the engine, the
 * settings and the panel. Each step runs once, and the run reports plain
 * records in order.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { atomicTempPrefix } from '@neural-style/engine/atomic';
import type { FromEngine } from '@neural-style/engine/protocol';
import { AdapterMemory } from '../../../extension/src/adapterMemory';
import type { EngineClient, EngineConfig, EngineJob, EngineOutcome } from '../../../extension/src/engineTypes';
import type { RunReport } from '../../../extension/src/jobChange';
import type { JobRequest } from '../../../extension/src/jobRequest';
import { type JobToRun, type RunContext, runJob } from '../../../extension/src/runJob';
import { answersProbe, type PageReply, recordWithPanels } from './fakeJobPanel';

const root = path.resolve(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures');

const progressOf = (step: number): FromEngine<'progress'> => ({
  type: 'progress', id: 'j1', scale: 1, scales: 1, width: 32, height: 32, iteration: step, iterations: 2, step,
  totalSteps: 2, losses: { content: 1, style: 2, tv: 3, total: 6 }, elapsedMs: step, etaMs: 2 - step, fraction: step / 2, backend: 'wasm',
});

/** An engine that runs each job as `play` says, recording what it was asked. */
function fakeEngine(play: (job: EngineJob) => EngineOutcome) {
  const runs: Array<{ config: EngineConfig; job: EngineJob }> = [];
  const probes: EngineConfig[] = [];
  const engine = {
    run: async (config: EngineConfig, job: EngineJob) => {
      runs.push({ config, job });
      job.events?.started?.(4242, false);
      return play(job);
    },
    probeGpu: async (config: EngineConfig) => {
      probes.push(config);
      return { problem: 'no adapter here' };
    },
  } as unknown as EngineClient;
  return { engine, runs, probes };
}

/** Two progress reports, a preview, and done with the output it was given. */
const runsToTheEnd = (job: EngineJob): EngineOutcome => {
  job.events?.backend?.({ type: 'backend', id: job.id, name: 'wasm' } as FromEngine<'backend'>);
  job.events?.progress?.(progressOf(1));
  job.events?.preview?.({ type: 'preview', id: job.id, step: 1, width: 8, height: 8, png: 'UE5H' });
  job.events?.progress?.(progressOf(2));
  const { losses } = progressOf(2);
  const { id, job: { output } } = job;
  return { kind: 'done', done: { type: 'done', id, output, steps: 2, elapsedMs: 9, losses, backend: 'wasm' } };
};

describe('a job\'s path (runJob: prepare → route → execute)', () => {
  let dir: string;
  let content: string;
  let request: JobRequest;
  const lines: string[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-run-job-'));
    content = path.join(dir, 'photo.png');
    fs.copyFileSync(path.join(fixtures, 'chelsea-64.png'), content);
    request = { content, style: { path: path.join(fixtures, 'starry-64.png'), id: 'starry', label: 'Starry' } };
    lines.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function contextWith(engine: EngineClient, settings: Record<string, unknown> = {}): RunContext {
    return {
      engine, adapters: new AdapterMemory(), reserved: new Set(), engineIdleMinutes: 10,
      resources: { workerPath: path.join(dir, 'none', 'worker.js'), weightsDir: '', bundledWeightsDir: '',
        imageWorkerPath: '' },
      log: (_level, line) => lines.push(line),
      configOf: () => ({ get: (name) => settings[name], outputFolderFromWorkspace: false }),
    };
  }

  const job = (given: Partial<JobToRun> = {}): JobToRun => ({ id: 'j1', request, queuedAt: Date.now(), ...given });
  const noPage: PageReply = () => assert.fail('the panel was asked');
  /** Runs job `j1` (or as `given`), in a panel that is asked nothing unless `panel` says otherwise. */
  const run = (context: RunContext,
    { given = {}, panel = recordWithPanels(noPage).record, reports = [] as RunReport[] } = {}) =>
    runJob(job(given), panel, new AbortController().signal, context, (r) => reports.push(r));

  it('on the engine: reports running, each progress and preview in order, and ends done with its output', async () => {
    const { engine, runs, probes } = fakeEngine(runsToTheEnd);
    const { record, panels } = recordWithPanels(noPage);
    const reports: RunReport[] = [];
    const end = await run(contextWith(engine, { backend: 'wasm' }), { panel: record, reports });
    const output = path.join(dir, 'photo.starry.png');
    assert.deepStrictEqual(end, { outcome: 'done', output, elapsedMs: 9, steps: 2, backend: 'wasm' });
    // 'engine': the job is on its process (the panel says what it is doing till the plan), before any progress.
    assert.deepStrictEqual(reports.map((r) => r.kind), ['running', 'engine', 'progress', 'preview', 'progress']);
    const running = reports[0];
    assert.ok(running.kind === 'running');
    assert.strictEqual(running.job.output, output);
    assert.strictEqual(runs.length, 1, 'one run on the engine');
    assert.deepStrictEqual([runs[0].config.backend, runs[0].job.job.output], ['wasm', output]);
    assert.deepStrictEqual(probes, [], 'wasm needs no GPU probe');
    assert.deepStrictEqual(panels.posted, [], 'the panel hears nothing from runJob itself');
    assert.ok(reports.every((r) => r.kind !== 'progress' || r.progress.backend === 'wasm'));
    const first = /^j1: first progress \d+ ms after Stylize \(waited \d+ ms, prepared and routed in \d+ ms/;
    assert.ok(lines.some((l) => first.test(l)), lines.join('\n'));
    assert.ok(lines.includes(`j1: done in 0:00 (2 iterations on wasm); wrote ${output}`), lines.join('\n'));
  });

  it('a resumed job asks the engine to start after its checkpoint\'s scale; each new checkpoint is reported', async () => {
    const checkpoints = path.join(dir, 'storage', 'checkpoints');
    const resume = { scale: 1, scales: 3, steps: 12, file: path.join(checkpoints, 'j1.scale-1.png') };
    const { engine, runs } = fakeEngine((j) => {
      const file = path.join(checkpoints, 'j1.scale-2.png');
      j.events?.checkpoint?.({ type: 'checkpoint', id: j.id, scale: 2, scales: 3, steps: 16, file });
      return runsToTheEnd(j);
    });
    const reports: RunReport[] = [];
    await run({ ...contextWith(engine, { backend: 'wasm' }), checkpoints }, { given: { resume }, reports });
    assert.deepStrictEqual([runs[0].job.job.checkpoints, runs[0].job.job.resume],
      [checkpoints, { fromScale: 2, image: resume.file, steps: 12 }]);
    const reported = reports.flatMap((r) => (r.kind === 'checkpoint' ? [r.checkpoint] : []));
    assert.deepStrictEqual(reported, [{ scale: 2, scales: 3, steps: 16, file: path.join(checkpoints, 'j1.scale-2.png') }]);
    // Without a storage folder there are no checkpoints, and nothing to resume from.
    await run(contextWith(engine, { backend: 'wasm' }), { given: { resume } });
    assert.deepStrictEqual([runs[1].job.job.checkpoints, runs[1].job.job.resume], [undefined, undefined]);
  });

  it('a job painted in regions gives the engine its masks, and is never routed to the panel\'s webview', async () => {
    const masks = [path.join(dir, 'photo.region-1.png')];
    const { engine, runs, probes } = fakeEngine(runsToTheEnd);
    const end = await run(contextWith(engine), { given: { request: { ...request, masks } } });
    assert.strictEqual(end.outcome, 'done');
    assert.deepStrictEqual([runs[0].job.job.masks, runs[0].config.backend], [masks, 'auto']);
    assert.strictEqual(probes.length, 1, 'the engine\'s GPU is asked; the panel is not (noPage would fail)');
    assert.ok(lines.some((l) => l.includes(`masked by ${masks[0]}`)), lines.join('\n'));
    // Without regions the engine hears no masks.
    await run(contextWith(engine, { backend: 'wasm' }));
    assert.strictEqual(runs[1].job.job.masks, undefined);
  });

  it('regions with a backend only the webview has end the job invalid, naming the setting', async () => {
    const { engine, runs } = fakeEngine(runsToTheEnd);
    const given = { request: { ...request, masks: [path.join(dir, 'photo.region-1.png')] } };
    const end = await run(contextWith(engine, { backend: 'webgl' }), { given });
    assert.ok(end.outcome === 'invalid' && end.setting === 'neuralStyle.backend', JSON.stringify(end));
    assert.match(end.message, /regions are painted by the engine process, and webgl would run the job in the panel/);
    assert.deepStrictEqual(runs, []);
  });

  it('a progress names the GPU the engine said it runs on', async () => {
    const { engine } = fakeEngine((j) => {
      j.events?.backend?.({ type: 'backend', id: j.id, name: 'webgpu', adapter: 'Test GPU' } as FromEngine<'backend'>);
      return runsToTheEnd({ ...j, events: { ...j.events, backend: undefined } });
    });
    const reports: RunReport[] = [];
    await run(contextWith(engine, { backend: 'wasm' }), { reports });
    const named = reports.flatMap((r) => (r.kind === 'progress' ? [r.progress.backend] : []));
    assert.deepStrictEqual(named, ['webgpu: Test GPU', 'webgpu: Test GPU']);
  });

  it('an invalid setting ends the job invalid, naming the setting, before anything runs', async () => {
    const { engine, runs } = fakeEngine(runsToTheEnd);
    const reports: RunReport[] = [];
    const end = await run(contextWith(engine, { size: 5 }), { reports });
    assert.strictEqual(end.outcome, 'invalid');
    assert.ok(end.outcome === 'invalid' && end.setting === 'neuralStyle.size', JSON.stringify(end));
    assert.deepStrictEqual([reports, runs], [[], []]);
    assert.deepStrictEqual(fs.readdirSync(dir), ['photo.png'], 'nothing was written');
  });

  it('a job\'s own backend (Run on CPU instead) wins over the setting: no GPU is asked for', async () => {
    const { engine, runs, probes } = fakeEngine(runsToTheEnd);
    const { record, panels } = recordWithPanels(noPage);
    await run(contextWith(engine, { backend: 'webgl' }), { given: { backend: 'wasm' }, panel: record });
    assert.strictEqual(runs[0].config.backend, 'wasm');
    assert.deepStrictEqual([probes.length, panels.opened], [0, 0]);
  });

  it('auto without an engine GPU asks the panel, opened when closed; the log says why each was skipped', async () => {
    const { engine, runs, probes } = fakeEngine(runsToTheEnd);
    const software = { name: 'SwiftShader', fallback: true, maxTextureSize: 8192 };
    const page = answersProbe({ webgpu: software, webglProblem: 'no WebGL2' });
    const { record, panels } = recordWithPanels(page, { open: false });
    const end = await run(contextWith(engine), { panel: record });
    assert.strictEqual(end.outcome, 'done');
    assert.deepStrictEqual([probes.length, panels.opened, runs.length], [1, 1, 1]);
    const route = lines.find((l) => l.startsWith('j1: runs in the engine process (backend auto); skipped '));
    const skipped = /tfjs-node-gpu: [^;]+; webgpu in the engine: no adapter here; webgpu: .*; webgl: no WebGL2/;
    assert.ok(route && skipped.test(route), lines.join('\n'));
  });

  it('a cancelled run ends cancelled; the temp file a stopped engine left is removed', async () => {
    const { engine } = fakeEngine(() => {
      fs.writeFileSync(path.join(dir, `${atomicTempPrefix(4242)}1-1.tmp`), 'half a picture');
      return { kind: 'cancelled' };
    });
    const end = await run(contextWith(engine, { backend: 'wasm' }));
    assert.deepStrictEqual(end, { outcome: 'cancelled' });
    assert.deepStrictEqual(fs.readdirSync(dir), ['photo.png'], 'the temp file is gone');
    assert.ok(lines.some((l) => /^j1: cancelled after .*; nothing was written$/.test(l)), lines.join('\n'));
  });

  it('an engine error and a crash end the job with their message (and the error its code)', async () => {
    for (const [outcome, expected] of [
      [{ kind: 'error', code: 'EWEIGHTS', message: 'none' }, { outcome: 'error', code: 'EWEIGHTS', message: 'none' }],
      [{ kind: 'crashed', message: 'it stopped' }, { outcome: 'crashed', message: 'it stopped' }],
    ] as const) {
      const { engine } = fakeEngine(() => outcome as EngineOutcome);
      assert.deepStrictEqual(await run(contextWith(engine, { backend: 'wasm' })), expected);
    }
  });

  it('a GPU lost in the panel ends the job with EGPULOST; the next job asks the panel for its GPUs again', async () => {
    const gpu = { name: 'Test GPU', fallback: false, maxTextureSize: 8192 };
    const page: PageReply = (m, send) => {
      if (m.type === 'probe') send({ type: 'adapters', webgpu: gpu });
      if (m.type === 'compute') send({ type: 'computeFailed', code: 'EGPULOST', message: 'The GPU stopped.' });
    };
    const { engine, runs } = fakeEngine(runsToTheEnd);
    const context = contextWith(engine, { backend: 'webgpu', size: 32 });
    const engineDir = path.join(root, 'packages', 'engine');
    context.resources = { ...context.resources, imageWorkerPath: path.join(engineDir, 'dist', 'image-worker.js'),
      bundledWeightsDir: path.join(engineDir, 'weights', 'vgg19') };
    const end = await run(context, { panel: recordWithPanels(page).record });
    assert.deepStrictEqual(end, { outcome: 'error', code: 'EGPULOST', message: 'The GPU stopped.' });
    assert.strictEqual(runs.length, 0, 'it ran in the webview');
    const second = recordWithPanels(page);
    await run(context, { given: { id: 'j2' }, panel: second.record });
    assert.strictEqual(second.panels.posted.filter((m) => m.type === 'probe').length, 1, 'the GPUs were probed again');
  });
});
