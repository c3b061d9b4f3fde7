import * as assert from 'assert';
import { Batch, batchProgressText } from '../../../extension/src/batch';

function batchOf(...ids: string[]): Batch {
  const batch = new Batch(ids.length);
  ids.forEach((id) => batch.add(id));
  return batch;
}

describe('batch', () => {
  it('before any photo has finished, the ETA projects the running photo\'s total onto the ones still waiting', () => {
    const batch = batchOf('a', 'b', 'c');
    batch.jobStarted('a', 1000);
    // 4 s in, 6 s left: a photo takes 10 s; two more wait.
    const p = batch.progress({ id: 'a', fraction: 0.4, etaMs: 6000 }, 5000);
    assert.deepStrictEqual(p, { made: 0, failed: 0, cancelled: 0, total: 3, etaMs: 6000 + 2 * 10_000 });
    assert.strictEqual(batchProgressText(p, (ms) => `${ms / 1000}s`), '0 of 3 made, 3 to go, about 26s left for the batch');
  });

  it('no ETA while nothing has run: nothing to go on', () => {
    const batch = batchOf('a', 'b');
    assert.deepStrictEqual(batch.progress(undefined, 0), { made: 0, failed: 0, cancelled: 0, total: 2 });
    batch.jobStarted('a', 0);
    assert.strictEqual(batch.progress({ id: 'a', fraction: 0, etaMs: 0 }, 10).etaMs, undefined);
  });

  it('after photos were made, waiting photos take their mean time; failures and cancels do not count as a photo\'s time', () => {
    const batch = batchOf('a', 'b', 'c', 'd');
    batch.jobStarted('a', 0);
    batch.jobEnded('a', 'done', 8000);
    batch.jobStarted('b', 8000);
    batch.jobEnded('b', 'failed', 8100);
    batch.jobStarted('c', 8100);
    const p = batch.progress({ id: 'c', fraction: 0.5, etaMs: 3000 }, 11_100);
    assert.deepStrictEqual(p, { made: 1, failed: 1, cancelled: 0, total: 4, etaMs: 3000 + 1 * 8000 });
  });

  it('an ended batch has no time left to say', () => {
    const batch = batchOf('a', 'b');
    batch.jobStarted('a', 0);
    batch.jobEnded('a', 'done', 8000);
    batch.jobEnded('b', 'cancelled', 8000);
    assert.deepStrictEqual(batch.progress(undefined, 9000), { made: 1, failed: 0, cancelled: 1, total: 2 });
    assert.strictEqual(batchProgressText(batch.progress(), (ms) => `${ms / 1000}s`), '1 of 2 made, 1 cancelled');
  });

  it('a job outside the batch is not its running photo, and a job ends once', () => {
    const batch = batchOf('a', 'b');
    batch.jobStarted('a', 0);
    batch.jobEnded('a', 'done', 4000);
    batch.jobEnded('a', 'failed', 9000);
    batch.jobEnded('x', 'done', 9000);
    assert.deepStrictEqual(batch.progress({ id: 'x', fraction: 0.5, etaMs: 99_000 }, 9000), { made: 1, failed: 0, cancelled: 0, total: 2, etaMs: 4000 });
    assert.strictEqual(batch.isOver, false);
  });

  it('opens one result editor, for the first result only', () => {
    const batch = batchOf('a', 'b', 'c');
    assert.deepStrictEqual([batch.claimResultEditor(), batch.claimResultEditor(), batch.claimResultEditor()],
      [true, false, false]);
  });

  it('sums up how the batch ended: a queued job cancelled before it ran takes no time', () => {
    const batch = batchOf('a', 'b', 'c');
    batch.jobStarted('a', 1000);
    batch.jobEnded('a', 'done', 5000);
    batch.jobEnded('c', 'cancelled', 5500);
    assert.strictEqual(batch.isOver, false);
    batch.jobStarted('b', 5000);
    batch.jobEnded('b', 'failed', 6000);
    assert.strictEqual(batch.isOver, true);
    assert.deepStrictEqual(batch.summary(), { total: 3, made: 1, failed: 1, cancelled: 1, elapsedMs: 5000 });
    assert.strictEqual(batch.indexOf('b'), 2);
  });

  it('counts every photo the command queued from the start, before the later ones are added', () => {
    const batch = new Batch(3);
    batch.add('a');
    batch.jobStarted('a', 0);
    assert.deepStrictEqual(batch.progress(undefined, 0), { made: 0, failed: 0, cancelled: 0, total: 3 });
    assert.strictEqual(batch.isOver, false);
  });

  it('after a reload, goes on from the photos that ended before it, each keeping its place', () => {
    const batch = new Batch(4, { made: 1, failed: 1, cancelled: 0 });
    batch.add('c2', 3);
    batch.add('d2', 4);
    assert.deepStrictEqual([batch.indexOf('c2'), batch.indexOf('d2')], [3, 4]);
    batch.jobStarted('c2', 0);
    batch.jobEnded('c2', 'done', 1000);
    assert.strictEqual(batchProgressText(batch.progress(undefined, 1000), String), '2 of 4 made, 1 failed, 1 to go, about 1000 left for the batch');
    batch.jobEnded('d2', 'cancelled', 1000);
    assert.strictEqual(batch.isOver, true);
    assert.deepStrictEqual(batch.counts(), { made: 2, failed: 1, cancelled: 1 });
  });
});
