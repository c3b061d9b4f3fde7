import * as assert from 'assert';
import { formatDuration } from '@neural-style/engine/options';
import type { FromEngine } from '@neural-style/engine/protocol';
import { parseFromEngine } from '@neural-style/engine/protocol';
import { panelMessageOf } from '../../../extension/src/jobChange';
import { SPEEDS_KEY, SpeedStore } from '../../../extension/src/speedStore';
import { parseToWebview } from '../../../extension/shared/protocol';
import { applyMessage } from '../../../extension/shared/state';
import { enlargedText, estimateText, runningClock, worthAWarning } from '../../../extension/shared/waitText';
import { panelState } from './fakeJobPanel';

const estimate: FromEngine<'plan'>['estimate'] = {
  content: { width: 450, height: 300 }, final: { width: 900, height: 600 }, upscaled: true,
  scales: [{ width: 450, height: 300, iterations: 12, tiles: 0, work: 500 },
    { width: 900, height: 600, iterations: 4, tiles: 18, work: 800 }],
  work: 1300, estimateMs: 754_000, backend: 'wasm', speed: { msPerWork: 20, msPerIteration: 300, warmupIterations: 1 },
  measured: true,
};

/** A Memento in memory, as the extension's global state is one on disk. */
function memento(initial?: unknown) {
  const values = new Map<string, unknown>(initial === undefined ? [] : [[SPEEDS_KEY, initial]]);
  return { get: (key: string) => values.get(key),
    update: async (key: string, value: unknown) => { values.set(key, value); } };
}

describe('honest waiting: the estimate, the clock between reports, the kept speed', () => {
  it('the engine\'s plan message is validated, reaches the panel as its estimate, and is kept in its state', () => {
    const message = parseFromEngine({ type: 'plan', id: 'j1', estimate });
    assert.ok(message.type === 'plan');
    const toPanel = panelMessageOf({ id: 'j1', kind: 'plan', estimate: message.estimate }, panelState('j1'))!;
    assert.deepStrictEqual(parseToWebview(toPanel), { type: 'estimate', estimate });
    assert.deepStrictEqual(applyMessage(panelState('j1'), toPanel).estimate, estimate);
    assert.throws(() => parseFromEngine({ type: 'plan', id: 'j1', estimate: { ...estimate, estimateMs: 'soon' } }),
      /Bad field "estimate.estimateMs" in message "plan" from the engine: expected a finite number, got "soon"/);
  });

  it('the panel hears whether its job\'s engine is warm or new (what it says it does before the plan)', () => {
    for (const warm of [true, false]) {
      const toPanel = panelMessageOf({ id: 'j1', kind: 'engine', warm }, panelState('j1'))!;
      assert.deepStrictEqual(parseToWebview(toPanel), { type: 'engine', engine: warm ? 'warm' : 'new' });
      assert.strictEqual(applyMessage(panelState('j1'), toPanel).engine, warm ? 'warm' : 'new');
    }
  });

  it('between reports the clock runs on: elapsed grows and the time left shrinks, never below nothing', () => {
    assert.deepStrictEqual(runningClock({ elapsedMs: 61_000, etaMs: 7_000 }, 4_000),
      { elapsedMs: 65_000, etaMs: 3_000 });
    assert.deepStrictEqual(runningClock({ elapsedMs: 61_000, etaMs: 7_000 }, 9_500), { elapsedMs: 70_500, etaMs: 0 });
  });

  it('says what the run will take, on what it bases it, and that the photo is enlarged', () => {
    const text = estimateText(estimate, formatDuration, 4_000);
    assert.match(text, /^2 scales \(450×300, 900×600\), about 12:30 at this machine's speed on wasm$/);
    assert.match(estimateText({ ...estimate, measured: false }, formatDuration), /a first guess for wasm/);
    assert.strictEqual(enlargedText(estimate), 'The photo is 450×300 px: it is painted enlarged, at 900×600 px.');
    assert.strictEqual(enlargedText({ ...estimate, upscaled: false }), undefined);
  });

  it('warns before an enlarged run, or one longer than the threshold, and not before a short one at the photo\'s size', () => {
    assert.ok(worthAWarning(estimate, 3_600_000));
    assert.ok(worthAWarning({ ...estimate, upscaled: false }, 600_000));
    assert.ok(!worthAWarning({ ...estimate, upscaled: false }, 800_000));
  });

  it('keeps each backend\'s last measured speed, and drops what comes back from disk broken', async () => {
    const store = new SpeedStore(memento());
    assert.deepStrictEqual(store.all(), []);
    await store.keep('wasm', { msPerWork: 31, msPerIteration: 420, warmupIterations: 0.7 });
    await store.keep('webgpu', { msPerWork: 0.4, msPerIteration: 90, warmupIterations: 6 });
    await store.keep('wasm', { msPerWork: 28, msPerIteration: 400, warmupIterations: 0.9 });
    assert.deepStrictEqual(store.all().map((s) => [s.backend, s.speed.msPerWork]), [['webgpu', 0.4], ['wasm', 28]]);
    // A speed no estimate can use is not kept.
    assert.strictEqual(store.keep('wasm', { msPerWork: 0, msPerIteration: 1, warmupIterations: 0 }), undefined);
    const problems: string[] = [];
    const broken = new SpeedStore(memento([{ backend: 'wasm', speed: { msPerWork: '31' } }]), (why) => problems.push(why));
    assert.deepStrictEqual(broken.all(), []);
    assert.match(problems[0], /the kept machine speeds/);
    const negative = new SpeedStore(memento([{ backend: 'wasm', speed: { msPerWork: -1, msPerIteration: 1, warmupIterations: 0 } }]));
    assert.deepStrictEqual(negative.all(), []);
  });
});
