import * as assert from 'assert';
import * as path from 'path';
import type { JobOrder } from '../../../extension/src/jobs';
import { orderOfSaved, savedJobsOf } from '../../../extension/src/resume';
import { parseSavedQueue, QueueStore, SAVED_QUEUE_KEY } from '../../../extension/src/savedQueue';

const abs = (name: string) => path.resolve('/photos', name);
const job = (id: string, content = abs(`${id}.png`)) =>
  ({ id, content, style: { path: abs('starry.jpg'), id: 'starry', label: 'The Starry Night' } });

describe('saved queue', () => {
  it('reads back the jobs in order, with their backend', () => {
    const saved = [{ ...job('a'), backend: 'wasm' }, job('b')];
    assert.deepStrictEqual(parseSavedQueue(saved, (why) => assert.fail(why)), saved);
  });

  it('keeps a job\'s own options (Run again\'s controls) and drops a job whose options the engine refuses', () => {
    const warnings: string[] = [];
    const saved = [{ ...job('a'), options: { styleWeight: 20000, size: 48 } }, { ...job('b'), options: { size: 3 } },
      { ...job('c'), options: { colour: 1 } }];
    assert.deepStrictEqual(parseSavedQueue(saved, (why) => warnings.push(why)), [saved[0]]);
    assert.match(warnings[0], /saved job 2 \(b\) was dropped: its options are not valid: Invalid size 3/);
    assert.match(warnings[1], /saved job 3 was dropped: .*colour/);
  });

  it('drops a job that is not one, naming it and why, and keeps the others', () => {
    const warnings: string[] = [];
    const jobs = parseSavedQueue([
      job('a'),
      { ...job('b'), backend: 'quantum' },
      job('c', 'relative/c.png'),
      job('d', abs('notes.txt')),
      { ...job('e'), extra: 1 },
      'f',
      job('g'),
    ], (why) => warnings.push(why));
    assert.deepStrictEqual(jobs.map((j) => j.id), ['a', 'g']);
    assert.strictEqual(warnings.length, 5, warnings.join('\n'));
    assert.match(warnings[0], /saved job 2 was dropped: .*backend.*quantum/);
    assert.match(warnings[1],
      /saved job 3 \(c\) was dropped: its content image "relative\/c.png" is not an absolute path/);
    assert.match(warnings[2], /saved job 4 \(d\) was dropped: .*notes.txt" is not an image file/);
    assert.match(warnings[3], /saved job 5 was dropped: Unexpected field "extra"/);
    assert.match(warnings[4], /saved job 6 was dropped: Not saved job 6: expected an object, got "f"/);
  });

  it('keeps a blend\'s second style and weights; drops one whose second style or weights cannot run', () => {
    const warnings: string[] = [];
    const second = { path: abs('wave.jpg'), id: 'wave', label: 'wave.jpg' };
    const blend = { ...job('a'), secondStyle: second, options: { styleBlendWeights: [70, 30] } };
    const saved = [blend, { ...blend, id: 'b', secondStyle: { ...second, path: 'wave.jpg' } },
      { ...blend, id: 'c', secondStyle: { ...second, path: abs('wave.txt') } },
      { ...job('d'), options: { styleBlendWeights: [70, 30] } },
      { ...blend, id: 'e', secondStyle: { path: abs('wave.jpg') } }];
    assert.deepStrictEqual(parseSavedQueue(saved, (why) => warnings.push(why)), [blend]);
    assert.strictEqual(warnings.length, 4, warnings.join('\n'));
    assert.match(warnings[0],
      /saved job 2 \(b\) was dropped: its second style image "wave.jpg" is not an absolute path/);
    assert.match(warnings[1],
      /saved job 3 \(c\) was dropped: its second style image ".*wave.txt" is not an image file/);
    assert.match(warnings[2],
      /saved job 4 \(d\) was dropped: its options are not valid: Invalid styleBlendWeights: 2 weights for 1 style/);
    assert.match(warnings[3], /saved job 5 was dropped: Missing field "secondStyle.id"/);
  });

  it('what is saved of a queued blend queues the same request again, with its id and backend', () => {
    const request = { content: abs('a.png'), style: job('a').style,
      secondStyle: { path: abs('wave.jpg'), id: 'wave', label: 'wave.jpg' }, options: { styleBlendWeights: [50, 50] } };
    const second = { request: { content: abs('b.png'), style: job('b').style }, backend: 'wasm' as const };
    const saved = savedJobsOf<JobOrder>({ running: { id: 'a', state: 'running' as const, job: { request } },
      queued: [{ id: 'b', state: 'queued' as const, job: second }] });
    assert.deepStrictEqual(parseSavedQueue(saved, (why) => assert.fail(why)), saved);
    const orders: JobOrder[] = [{ request, resumedId: 'a' }, { ...second, resumedId: 'b' }];
    assert.deepStrictEqual(saved.map(orderOfSaved), orders);
  });

  it('a job painted in regions keeps its masks through a reload; masks outside the photo\'s folder drop the job', () => {
    const second = { path: abs('wave.jpg'), id: 'wave', label: 'wave.jpg' };
    const masks = [abs('a.region-1.png'), abs('a.region-2.png')];
    const request = { content: abs('a.png'), style: job('a').style, secondStyle: second, masks };
    const saved = savedJobsOf<JobOrder>({ running: { id: 'a', state: 'running' as const, job: { request } }, queued: [] });
    assert.deepStrictEqual(saved[0].masks, masks);
    const again = parseSavedQueue(JSON.parse(JSON.stringify(saved)), (why) => assert.fail(why));
    assert.deepStrictEqual(again.map(orderOfSaved), [{ request, resumedId: 'a' }]);
    const warnings: string[] = [];
    const outside = path.resolve('/elsewhere', 'a.region-2.png');
    const bad = [{ ...saved[0], id: 'b', masks: [masks[0], outside] }, { ...saved[0], id: 'c', masks: [masks[0]] },
      { ...saved[0], id: 'd', masks: ['a.region-1.png', masks[1]] }, { ...saved[0], id: 'e', masks: [] }];
    assert.deepStrictEqual(parseSavedQueue(bad, (why) => warnings.push(why)), []);
    assert.strictEqual(warnings.length, 4, warnings.join('\n'));
    assert.match(warnings[0], /\(b\) was dropped: its regions are not valid: the mask ".*elsewhere.*" is not a PNG file beside/);
    assert.match(warnings[1], /\(c\) was dropped: its regions are not valid: 1 masks for 2 styles/);
    assert.match(warnings[2], /\(d\) was dropped: its regions are not valid: the mask "a.region-1.png"/);
    assert.match(warnings[3], /saved job 4 was dropped: .*masks/);
  });

  it('a clip keeps where it painted through a reload, and queues again to go on there; a bad output drops it', () => {
    const request = { content: abs('walk'), style: job('a').style, clip: { output: abs('walk.starry') } };
    const gif = { content: abs('run.gif'), style: job('b').style, clip: { output: abs('run.starry.gif') } };
    const saved = savedJobsOf<JobOrder>({ running: { id: 'a', state: 'running' as const, job: { request } },
      queued: [{ id: 'b', state: 'queued' as const, job: { request: gif } }] });
    assert.deepStrictEqual(saved.map((s) => [s.content, s.clip]),
      [[request.content, request.clip], [gif.content, gif.clip]]);
    assert.deepStrictEqual(parseSavedQueue(saved, (why) => assert.fail(why)), saved);
    assert.deepStrictEqual(saved.map(orderOfSaved).map((o) => o.request), [request, gif]);
    const warnings: string[] = [];
    const bad = [{ ...saved[0], clip: { output: 'walk.starry' } }, { ...saved[1], clip: { output: abs('run.jpg') } },
      { ...saved[0], clip: undefined }];
    assert.deepStrictEqual(parseSavedQueue(bad, (why) => warnings.push(why)), []);
    assert.match(warnings[0], /its clip output "walk.starry" is not an absolute path/);
    assert.match(warnings[1], /its clip output ".*run.jpg" is not one for ".*run.gif"/);
    assert.match(warnings[2], /its content image ".*walk" is not an image file/, 'only a clip\'s content may be a folder');
  });

  it('a job of a batch keeps its place and the batch\'s counts through a reload', () => {
    const tag = (index: number) => ({ key: 'batch-x-1', index, size: 4 });
    const request = (name: string) => ({ content: abs(name), style: job('a').style });
    const saved = savedJobsOf<JobOrder>({
      running: { id: 'c', state: 'running' as const, job: { request: request('c.png'), batch: tag(3) } },
      queued: [{ id: 'd', state: 'queued' as const, job: { request: request('d.png'), batch: tag(4) } }],
    }, (key) => (key === 'batch-x-1' ? { made: 1, failed: 1, cancelled: 0 } : undefined));
    assert.deepStrictEqual(saved.map((s) => s.batch), [
      { key: 'batch-x-1', index: 3, size: 4, made: 1, failed: 1, cancelled: 0 },
      { key: 'batch-x-1', index: 4, size: 4, made: 1, failed: 1, cancelled: 0 }]);
    const again = parseSavedQueue(JSON.parse(JSON.stringify(saved)), (why) => assert.fail(why)).map(orderOfSaved);
    assert.deepStrictEqual(again.map((o) => o.batch), [3, 4].map((index) =>
      ({ ...tag(index), earlier: { made: 1, failed: 1, cancelled: 0 } })));
  });

  it('a saved value that is not a list is dropped whole; nothing saved is no job', () => {
    const warnings: string[] = [];
    assert.deepStrictEqual(parseSavedQueue({ jobs: [] }, (why) => warnings.push(why)), []);
    assert.match(warnings[0], /the saved queue was dropped: Not the saved queue: expected a list/);
    assert.deepStrictEqual(parseSavedQueue(undefined, (why) => assert.fail(why)), []);
  });

  it('take() hands the jobs over once and clears them; saving nothing clears the key', async () => {
    const memento = new Map<string, unknown>([[SAVED_QUEUE_KEY, [job('a')]]]);
    const kept = {
      get: (k: string) => memento.get(k),
      update: async (k: string, v: unknown) => { memento.set(k, v); },
    };
    const store = new QueueStore(kept, (why) => assert.fail(why));
    assert.deepStrictEqual(store.take().map((j) => j.id), ['a']);
    assert.strictEqual(memento.get(SAVED_QUEUE_KEY), undefined);
    assert.deepStrictEqual(store.take(), []);
    store.save([job('b')]);
    assert.deepStrictEqual(memento.get(SAVED_QUEUE_KEY), [job('b')]);
    store.save([]);
    assert.strictEqual(memento.get(SAVED_QUEUE_KEY), undefined);
  });
});
