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
  const tag = (index: number, size = 2): BatchTag => ({ key: 'b1', index, size });
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
    assert.strictEqual(tracker.line, '0 of 2 made, 2 to go, about 0:15 left for the batch');
    assert.deepStrictEqual(told.slice(-2), [
      ['a', { index: 1, total: 2, made: 0, failed: 0, cancelled: 0, etaMs: 15000 }],
      ['b', { index: 2, total: 2, made: 0, failed: 0, cancelled: 0, etaMs: 15000 }],
    ]);
    now = 11000;
    change({ id: 'a', batch: tag(1), kind: 'ended', end: done });
    assert.strictEqual(tracker.line, '1 of 2 made, 1 to go, about 0:10 left for the batch', 'between two jobs too');
    change({ id: 'b', batch: tag(2), kind: 'starting' });
    assert.strictEqual(tracker.line, '1 of 2 made, 1 to go, about 0:10 left for the batch');
    assert.deepStrictEqual(over, []);
    now = 12000;
    change({ id: 'b', batch: tag(2), kind: 'ended', end: { outcome: 'error', message: 'm', code: 'E' } });
    assert.deepStrictEqual(over, [{ total: 2, made: 1, failed: 1, cancelled: 0, elapsedMs: 11000 }]);
    assert.deepStrictEqual(told.slice(-2),
      [['a', { index: 1, total: 2, made: 1, failed: 1, cancelled: 0 }], ['b', { index: 2, total: 2, made: 1, failed: 1, cancelled: 0 }]]);
    assert.strictEqual(tracker.line, undefined, 'an ended batch leaves the line to the notification');
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
    assert.deepStrictEqual(over, [{ total: 2, made: 0, failed: 0, cancelled: 2, elapsedMs: 0 }]);
  });

  it('three photos: the first runs before the third is queued, and every view counts three', () => {
    change({ id: 'a', batch: tag(1, 3), kind: 'queued', position: 1 });
    change({ id: 'a', batch: tag(1, 3), kind: 'starting' });
    change({ id: 'b', batch: tag(2, 3), kind: 'queued', position: 1 });
    change({ id: 'c', batch: tag(3, 3), kind: 'queued', position: 2 });
    change({ id: 'a', batch: tag(1, 3), kind: 'progress', progress: progress(0.1, 9000) });
    assert.deepStrictEqual(told.map(([id, b]) => [id, b.index, b.total]).slice(-3), [['a', 1, 3], ['b', 2, 3], ['c', 3, 3]]);
    assert.match(tracker.line ?? '', /^0 of 3 made, 3 to go/);
  });

  it('a failure and a Cancel All: the panels and the line say made, failed and cancelled alike', () => {
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) change({ id, batch: tag(i + 1, 4), kind: 'queued', position: i + 1 });
    change({ id: 'a', batch: tag(1, 4), kind: 'starting' });
    now += 4000;
    change({ id: 'a', batch: tag(1, 4), kind: 'ended', end: done });
    change({ id: 'b', batch: tag(2, 4), kind: 'starting' });
    change({ id: 'b', batch: tag(2, 4), kind: 'ended', end: { outcome: 'crashed', message: 'm' } });
    assert.strictEqual(tracker.line, '1 of 4 made, 1 failed, 2 to go, about 0:08 left for the batch');
    const ofB = told.filter(([id]) => id === 'b').at(-1)![1];
    assert.deepStrictEqual([ofB.made, ofB.failed, ofB.cancelled], [1, 1, 0], 'the failed photo\'s panel counts it as failed, not done');
    change({ id: 'c', batch: tag(3, 4), kind: 'ended', end: { outcome: 'cancelled' } });
    change({ id: 'd', batch: tag(4, 4), kind: 'ended', end: { outcome: 'cancelled' } });
    const last = told.filter(([id]) => id === 'c').at(-1)![1];
    assert.deepStrictEqual([last.made, last.failed, last.cancelled, last.total], [1, 1, 2, 4]);
    assert.deepStrictEqual(over.map((o) => [o.made, o.failed, o.cancelled]), [[1, 1, 2]]);
  });

  it('a batch resumed after a reload starts from what it had made, and says which photos are left', () => {
    const earlier = { made: 2, failed: 0, cancelled: 1 };
    const resumed = (index: number): BatchTag => ({ key: 'b1', index, size: 5, earlier });
    change({ id: 'd2', batch: resumed(4), kind: 'queued', position: 1 });
    change({ id: 'e2', batch: resumed(5), kind: 'queued', position: 2 });
    assert.deepStrictEqual(tracker.counts('b1'), earlier);
    change({ id: 'd2', batch: resumed(4), kind: 'starting' });
    assert.strictEqual(tracker.line, '2 of 5 made, 1 cancelled, 2 to go');
    assert.deepStrictEqual(told.map(([id, b]) => [id, b.index]), [['d2', 4], ['e2', 5]]);
    change({ id: 'd2', batch: resumed(4), kind: 'ended', end: done });
    change({ id: 'e2', batch: resumed(5), kind: 'ended', end: done });
    assert.deepStrictEqual(over.map((o) => [o.total, o.made, o.cancelled]), [[5, 4, 1]]);
  });
});
