import * as assert from 'assert';
import { JobQueue, type RunEnd } from '../../../extension/src/queue';

/** A runner whose jobs end when the test says so (done unless it says how). */
function controlled() {
  const log: string[] = [];
  const pending = new Map<string, { resolve: (end?: RunEnd) => void; reject: (e: Error) => void }>();
  const runner = (job: string, _id: string, signal: AbortSignal) => new Promise<RunEnd>((resolve, reject) => {
    log.push(`start ${job}`);
    pending.set(job, { resolve: (end = 'done') => resolve(end), reject });
    signal.addEventListener('abort', () => {
      log.push(`abort ${job}`);
      reject(new Error('aborted'));
    });
  });
  return { log, pending, runner };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('job queue', () => {
  it('runs one job at a time, in order', async () => {
    const c = controlled();
    const q = new JobQueue(c.runner);
    q.add('a');
    q.add('b');
    await tick();
    assert.deepStrictEqual(c.log, ['start a']);
    c.pending.get('a')!.resolve();
    await tick();
    assert.deepStrictEqual(c.log, ['start a', 'start b']);
    c.pending.get('b')!.resolve();
    await q.idle();
  });

  it('the id is known before the job starts; positions count from the running job', async () => {
    const c = controlled();
    const q = new JobQueue(c.runner);
    const a = q.add('a');
    const b = q.add('b');
    const d = q.add('d');
    assert.deepStrictEqual(c.log, [], 'nothing started synchronously');
    assert.deepStrictEqual([q.position(a), q.position(b), q.position(d), q.position('nope')], [0, 1, 2, -1]);
    q.cancelAll();
    await q.idle();
  });

  it('cancelling a queued job drops it without running it', async () => {
    const c = controlled();
    const q = new JobQueue(c.runner);
    q.add('a');
    const b = q.add('b');
    const states: string[] = [];
    q.onDidChange((e) => e.id === b && states.push(e.state));
    assert.strictEqual(q.cancel(b), true);
    c.pending.get('a') ?? await tick();
    c.pending.get('a')!.resolve();
    await q.idle();
    assert.deepStrictEqual(c.log, ['start a']);
    assert.deepStrictEqual(states, ['cancelled']);
  });

  it('cancelling the running job aborts its signal, marks it cancelled and starts the next', async () => {
    const c = controlled();
    const q = new JobQueue(c.runner);
    const a = q.add('a');
    q.add('b');
    await tick();
    const ends: string[] = [];
    q.onDidChange((e) => ends.push(`${e.job}:${e.state}`));
    q.cancel(a);
    await tick();
    assert.deepStrictEqual(c.log, ['start a', 'abort a', 'start b']);
    assert.ok(ends.includes('a:cancelled'));
    c.pending.get('b')!.resolve();
    await q.idle();
    assert.ok(ends.includes('b:done'));
  });

  /** Jobs a and b queued, each change of theirs recorded as `job:state`; a has started. */
  async function twoJobs() {
    const c = controlled();
    const q = new JobQueue(c.runner);
    q.add('a');
    q.add('b');
    const ends: string[] = [];
    q.onDidChange((e) => ends.push(`${e.job}:${e.state}`));
    await tick();
    return { c, q, ends };
  }

  it('a failing job is marked failed and does not stop the queue', async () => {
    const { c, q, ends } = await twoJobs();
    c.pending.get('a')!.reject(new Error('boom'));
    await tick();
    c.pending.get('b')!.resolve();
    await q.idle();
    assert.ok(ends.includes('a:failed') && ends.includes('b:done'), ends.join());
  });

  it('a job whose runner says it failed or was cancelled ends so, not done', async () => {
    const { c, q, ends } = await twoJobs();
    c.pending.get('a')!.resolve('failed');
    await tick();
    c.pending.get('b')!.resolve('cancelled');
    await q.idle();
    const settled = ends.filter((e) => !/:(running|queued)$/.test(e));
    assert.deepStrictEqual(settled, ['a:failed', 'b:cancelled']);
  });

  it('cancel of an unknown id says so', () => {
    assert.strictEqual(new JobQueue(controlled().runner).cancel('x'), false);
  });
});

describe('job queue order', () => {
  it('moves a queued job sooner or later; the running one stays where it is', async () => {
    const c = controlled();
    const q = new JobQueue(c.runner);
    const [a, , , d] = ['a', 'b', 'c', 'd'].map((j) => q.add(j));
    await tick();
    const moved: string[] = [];
    q.onDidChange((e) => moved.push(`${e.job}@${q.position(e.id)}`));
    assert.ok(q.move(d, -2));
    assert.deepStrictEqual(q.queued.map((e) => e.job), ['d', 'b', 'c']);
    assert.deepStrictEqual(moved.sort(), ['b@2', 'c@3', 'd@1']);
    assert.ok(q.move(d, 5), 'a move past the end stops at the end');
    assert.deepStrictEqual(q.queued.map((e) => e.job), ['b', 'c', 'd']);
    assert.strictEqual(q.move(a, 1), false, 'the running job does not move');
    assert.strictEqual(q.move('nope', 1), false);
    c.pending.get('a')!.resolve();
    await tick();
    assert.deepStrictEqual(c.log, ['start a', 'start b']);
  });
});
