/**
 * A clip's path without VS Code: runJob with a stand-in engine that paints
 * frames, dies or is cancelled. The clip runs on the engine with its temporal
 * weight, goes on after its last frame when its engine dies or a reload
 * interrupted it, and keeps its frames when cancelled.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_TEMPORAL_WEIGHT } from '@neural-style/engine/options';
import { AdapterMemory } from '../../../extension/src/adapterMemory';
import { FIRST_FRAME } from '../../../extension/src/clipOutput';
import type { EngineClient, EngineJob, EngineOutcome } from '../../../extension/src/engineTypes';
import type { RunReport } from '../../../extension/src/jobChange';
import type { JobRequest } from '../../../extension/src/jobRequest';
import { type RunContext, runJob } from '../../../extension/src/runJob';
import { recordWithPanels } from './fakeJobPanel';

const fixtures = path.resolve(__dirname, '..', '..', 'fixtures');

/** An engine whose runs play `plays` in turn, each given the job; it records the jobs it was given. */
function fakeEngine(...plays: Array<(job: EngineJob) => EngineOutcome>) {
  const jobs: EngineJob[] = [];
  const engine = {
    run: async (_config: unknown, job: EngineJob) => {
      jobs.push(job);
      job.events?.started?.(4242, false);
      return plays[jobs.length - 1](job);
    },
    probeGpu: async () => ({ problem: 'no adapter here' }),
  } as unknown as EngineClient;
  return { engine, jobs };
}

/** Frames `from`…`to` of 3 painted, each written to its file in the job's frames folder. */
const paints = (from: number, to: number) => (job: EngineJob) => {
  for (let frame = from; frame <= to; frame++) {
    const file = path.join(`${job.job.output}.frames`, `frame_0000${frame}.png`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'a frame');
    job.events?.frame?.({ type: 'frame', id: job.id, frame, frames: 3, file, width: 8, height: 8, png: 'UE5H' });
  }
};
const done = (job: EngineJob): EngineOutcome => ({ kind: 'done', done: { type: 'done', id: job.id,
  output: job.job.output, steps: 6, elapsedMs: 9, losses: { content: 1, style: 2, tv: 3, total: 6 }, backend: 'wasm' } });

describe('a clip\'s job (runJob on a folder of frames or an animation)', () => {
  let dir: string;
  let request: JobRequest;
  const lines: string[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-clip-job-'));
    const content = path.join(dir, 'walk.gif');
    fs.writeFileSync(content, 'GIF89a');
    request = { content, style: { path: path.join(fixtures, 'starry-64.png'), id: 'starry', label: 'Starry' },
      clip: {} };
    lines.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const contextWith = (engine: EngineClient, settings: Record<string, unknown> = {}): RunContext => ({
    engine, adapters: new AdapterMemory(), reserved: new Set(), engineIdleMinutes: 10, checkpoints: path.join(dir, 'cp'),
    resources: { workerPath: path.join(dir, 'worker.js'), weightsDir: '', bundledWeightsDir: '', imageWorkerPath: '' },
    log: (_level, line) => lines.push(line),
    configOf: () => ({ get: (name) => ({ backend: 'wasm', ...settings })[name], outputFolderFromWorkspace: false }),
  });
  const run = (context: RunContext, reports: RunReport[] = [], signal = new AbortController().signal,
    given = request) => runJob({ id: 'j1', request: given, queuedAt: Date.now() }, recordWithPanels(() => assert.fail('the panel was asked')).record,
    signal, context, (r) => reports.push(r));

  it('runs on the engine as a clip with the temporal weight setting, at <name>.<style>.gif, reporting each frame', async () => {
    const { engine, jobs } = fakeEngine((j) => { paints(1, 3)(j); return done(j); });
    const reports: RunReport[] = [];
    const end = await run(contextWith(engine, { temporalWeight: 250 }), reports);
    const output = path.join(dir, 'walk.starry.gif');
    assert.deepStrictEqual(end, { outcome: 'done', output, elapsedMs: 9, steps: 6, backend: 'wasm' });
    assert.deepStrictEqual(jobs[0].job.clip, { temporalWeight: 250 });
    assert.strictEqual(jobs[0].job.checkpoints, undefined, 'a clip keeps frames, not checkpoints');
    const frames = reports.flatMap((r) => (r.kind === 'frame' ? [r] : []));
    assert.deepStrictEqual(frames.map((f) => [f.frame, f.frames, f.src]), [1, 2, 3].map((f) => [f, 3,
      'data:image/png;base64,UE5H']));
    // Without the setting, the engine's default.
    const again = fakeEngine(done);
    await run(contextWith(again.engine));
    assert.deepStrictEqual(again.jobs[0].job.clip, { temporalWeight: DEFAULT_TEMPORAL_WEIGHT });
  });

  it('an engine that dies mid-clip is replaced, and the clip goes on after its last frame at the same output', async () => {
    const { engine, jobs } = fakeEngine((j) => { paints(1, 1)(j); return { kind: 'crashed', message: 'it died' }; },
      (j) => { paints(2, 3)(j); return done(j); });
    const end = await run(contextWith(engine));
    assert.strictEqual(end.outcome, 'done');
    assert.deepStrictEqual(jobs.map((j) => [j.job.output, j.job.clip?.resume]),
      [[path.join(dir, 'walk.starry.gif'), undefined], [path.join(dir, 'walk.starry.gif'), true]]);
    assert.ok(lines.some((l) => /the engine died after frame 1 was written \(it died\)/.test(l)), lines.join('\n'));
  });

  it('an engine that dies before any frame of its run ends the job crashed: it is not started again', async () => {
    const { engine, jobs } = fakeEngine(() => ({ kind: 'crashed', message: 'it died' }));
    assert.deepStrictEqual(await run(contextWith(engine)), { outcome: 'crashed', message: 'it died' });
    assert.strictEqual(jobs.length, 1);
  });

  it('a cancelled clip ends cancelled, its finished frames kept where they are', async () => {
    const { engine } = fakeEngine((j) => { paints(1, 2)(j); return { kind: 'cancelled' }; });
    const end = await run(contextWith(engine));
    const framesKept = path.join(dir, 'walk.starry.gif.frames');
    assert.deepStrictEqual(end, { outcome: 'cancelled', framesKept });
    assert.deepStrictEqual(fs.readdirSync(framesKept), ['frame_00001.png', 'frame_00002.png']);
  });

  it('a clip a reload interrupted goes on where it painted, after its last frame', async () => {
    const output = path.join(dir, 'walk.starry.gif');
    fs.mkdirSync(`${output}.frames`);
    fs.writeFileSync(path.join(`${output}.frames`, FIRST_FRAME), 'a frame');
    const { engine, jobs } = fakeEngine(done, done);
    await run(contextWith(engine), [], undefined, { ...request, clip: { output } });
    assert.deepStrictEqual([jobs[0].job.output, jobs[0].job.clip?.resume], [output, true]);
    // Its frames gone, it starts over at a free name (the frames folder no longer holds the old one).
    fs.rmSync(`${output}.frames`, { recursive: true });
    fs.writeFileSync(output, 'an animation made meanwhile');
    await run(contextWith(engine), [], undefined, { ...request, clip: { output } });
    assert.deepStrictEqual([jobs[1].job.output, jobs[1].job.clip?.resume], [path.join(dir, 'walk.starry-1.gif'), undefined]);
  });

  it('a backend only the webview has ends the clip invalid, naming the setting', async () => {
    const { engine, jobs } = fakeEngine(done);
    const end = await run(contextWith(engine, { backend: 'webgl' }));
    assert.ok(end.outcome === 'invalid' && end.setting === 'neuralStyle.backend', JSON.stringify(end));
    assert.match(end.message, /an animation is painted by the engine process/);
    assert.strictEqual(jobs.length, 0);
  });
});
