import * as assert from 'assert';
import type { BatchSummary } from '../../../extension/src/batch';
import { BatchTracker } from '../../../extension/src/batchTracker';
import type { BatchTag, JobChange, JobOutcome } from '../../../extension/src/jobChange';
import type { BatchView } from '../../../extension/shared/protocol';

const progress = (fraction: number, etaMs: number) => ({
  type: 'progress' as const, id: 'a', scale: 1, scales: 1, width: 8, height: 8, iteration: fraction * 10,
  iterations: 10, step: fraction * 10, totalSteps: 10, losses: { content: 1, style: 1, tv: 1, total: 3 }, elapsedMs: 1,
  etaMs, fraction, backend: 'wasm',
});
const done: JobOutcome = { outcome: 'done', output: '/o.png', elapsedMs: 1, steps: 10, backend: 'wasm' };

describe('the batches (BatchTracker, from the job changes)', () => {
  let now: number;
  let told: Array<[string, BatchView]>;
  let over: BatchSummary[];
  let tracker: BatchTracker;
  const tag = (index: number): BatchTag => ({ key: 'b1', index, size: 2 });
  const change = (c: JobChange) => tracker.onChange(c);

  beforeEach(() => {
    now = 1000;
    told = [];
    over = [];
    tracker = new BatchTracker({ tell: (id, batch) => told.push([id, batch]), over: (s) => over.push(s) }, () => now);
  });

  it('follows a batch of two: its line while it runs, each panel told, a summary at its end', () => {
    change({ id: 'a', batch: tag(1), kind: 'queued', position: 1 });
    change({ id: 'b', batch: tag(2), kind: 'queued', position: 2 });
    change({ id: 'a', batch: tag(1), kind: 'starting' });
    now = 6000;
    change({ id: 'a', batch: tag(1), kind: 'progress', progress: progress(0.5, 5000) });
    // Half of a done in 5 s, 5 s to go: the second photo is expected to take 10 s.
    assert.strictEqual(tracker.line, '0 of 2 done, about 0:15 left for the batch');
    assert.deepStrictEqual(told.slice(-2), [
      ['a', { index: 1, total: 2, finished: 0, etaMs: 15000 }],
      ['b', { index: 2, total: 2, finished: 0, etaMs: 15000 }],
    ]);
    now = 11000;
    change({ id: 'a', batch: tag(1), kind: 'ended', end: done });
    assert.strictEqual(tracker.line, undefined, 'nothing runs between two jobs');
    change({ id: 'b', batch: tag(2), kind: 'starting' });
    assert.strictEqual(tracker.line, '1 of 2 done, about 0:10 left for the batch');
    assert.deepStrictEqual(over, []);
    now = 12000;
    change({ id: 'b', batch: tag(2), kind: 'ended', end: { outcome: 'error', message: 'm', code: 'E' } });
    assert.deepStrictEqual(over, [{ total: 2, done: 1, failed: 1, cancelled: 0, elapsedMs: 11000 }]);
    assert.deepStrictEqual(told.slice(-2),
      [['a', { index: 1, total: 2, finished: 2 }], ['b', { index: 2, total: 2, finished: 2 }]]);
  });

  it('a job outside a batch has no line and tells no panel', () => {
    change({ id: 'x', kind: 'queued', position: 1 });
    change({ id: 'x', kind: 'starting' });
    change({ id: 'x', kind: 'progress', progress: progress(0.5, 100) });
    change({ id: 'x', kind: 'ended', end: done });
    assert.deepStrictEqual([tracker.line, told, over], [undefined, [], []]);
  });

  it('a batch cancelled while it waited is over too; its one result editor is claimed once', () => {
    change({ id: 'a', batch: tag(1), kind: 'queued', position: 1 });
    change({ id: 'b', batch: tag(2), kind: 'queued', position: 2 });
    assert.deepStrictEqual([tracker.claimResultEditor('b1'), tracker.claimResultEditor('b1')], [true, false]);
    change({ id: 'a', batch: tag(1), kind: 'ended', end: { outcome: 'cancelled' } });
    change({ id: 'b', batch: tag(2), kind: 'ended', end: { outcome: 'cancelled' } });
    assert.deepStrictEqual(over, [{ total: 2, done: 0, failed: 0, cancelled: 2, elapsedMs: 0 }]);
  });
});
