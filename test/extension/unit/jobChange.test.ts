import * as assert from 'assert';
import { DEFAULTS, RUN_DEFAULTS } from '@neural-style/engine/options';
import type { FromEngine } from '@neural-style/engine/protocol';
import {
  changeOfEntry, type JobChange, type JobOutcome, panelMessageOf, runEndOf,
} from '../../../extension/src/jobChange';
import type { PreparedJob } from '../../../extension/src/prepareJob';
import type { QueueEntry } from '../../../extension/src/queue';
import { readSettings } from '../../../extension/src/settings';
import { panelState } from './fakeJobPanel';

const entry = (state: QueueEntry<unknown>['state'], error?: unknown): QueueEntry<unknown> =>
  ({ id: 'j1', job: {}, state, error });
const done: JobOutcome = { outcome: 'done', output: '/out/photo.starry.png', elapsedMs: 9, steps: 3, backend: 'wasm' };
const prepared: PreparedJob = {
  id: 'j1', output: '/out/photo.starry.png',
  request: { content: '/photo.png', style: { path: '/starry.png', id: 'starry', label: 'Starry' } },
  settings: { ...readSettings(() => undefined), options: { ...DEFAULTS, size: 64, iterations: 3 },
    run: { ...RUN_DEFAULTS } },
};
const progress: FromEngine<'progress'> = {
  type: 'progress', id: 'j1', scale: 1, scales: 1, width: 8, height: 8, iteration: 1, iterations: 3, step: 1,
  totalSteps: 3, losses: { content: 1, style: 2, tv: 3, total: 6 }, elapsedMs: 5, etaMs: 10, fraction: 0.2, backend: 'wasm',
};

describe('job changes (jobChange.ts)', () => {
  it('the queue\'s states become changes: queued with its place, starting, and an end however it came', () => {
    const ended = (end: JobOutcome) => ({ id: 'j1', kind: 'ended', end });
    assert.deepStrictEqual(changeOfEntry(entry('queued'), 2), { id: 'j1', kind: 'queued', position: 2 });
    assert.deepStrictEqual(changeOfEntry(entry('running'), 0), { id: 'j1', kind: 'starting' });
    assert.deepStrictEqual(changeOfEntry(entry('done'), -1, done), ended(done));
    // Cancelled while it waited: it never ran, and has no end of a run.
    assert.deepStrictEqual(changeOfEntry(entry('cancelled'), -1), ended({ outcome: 'cancelled' }));
    // A runner that threw: the job still ends, with what it threw.
    assert.deepStrictEqual(changeOfEntry(entry('failed', new Error('a bug')), -1),
      ended({ outcome: 'error', code: 'EINTERNAL', message: 'a bug' }));
  });

  it('a job that could not run, failed or crashed is failed in the queue; done and cancelled are themselves', () => {
    const ends: JobOutcome[] = [done, { outcome: 'cancelled' }, { outcome: 'invalid', message: 'm' },
      { outcome: 'error', message: 'm', code: 'E' }, { outcome: 'crashed', message: 'm' }];
    assert.deepStrictEqual(ends.map(runEndOf), ['done', 'cancelled', 'failed', 'failed', 'failed']);
  });

  it('the panel is told each change as its own message', () => {
    const tell = (change: JobChange) => panelMessageOf(change, panelState('j1'), 1234);
    const ended = (end: JobOutcome) => tell({ id: 'j1', kind: 'ended', end });
    assert.deepStrictEqual(tell({ id: 'j1', kind: 'queued', position: 3 }),
      { type: 'status', status: 'queued', position: 3 });
    assert.strictEqual(tell({ id: 'j1', kind: 'starting' }), undefined);
    const running = tell({ id: 'j1', kind: 'running', job: prepared });
    assert.ok(running?.type === 'snapshot');
    const { job, controls } = running.state;
    assert.deepStrictEqual([job.status, job.outputPath, job.size, controls?.iterations],
      ['running', prepared.output, 64, 3]);
    const { type: _type, id: _id, ...report } = progress;
    assert.deepStrictEqual(tell({ id: 'j1', kind: 'progress', progress }), { type: 'progress', progress: report });
    const shown = { outputSrc: '', outputName: 'photo.starry.png', elapsedMs: 9, steps: 3, backend: 'wasm',
      finishedAt: 1234 };
    assert.deepStrictEqual(ended(done), { type: 'done', done: shown });
    assert.deepStrictEqual(ended({ outcome: 'cancelled' }), { type: 'status', status: 'cancelled' });
    assert.deepStrictEqual(ended({ outcome: 'error', message: 'lost', code: 'EGPULOST' }),
      { type: 'failed', message: 'lost', code: 'EGPULOST' });
    assert.deepStrictEqual(ended({ outcome: 'invalid', message: 'Setting x', setting: 'x' }),
      { type: 'failed', message: 'Setting x' });
  });
});
