import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULTS, styleBlend } from '@neural-style/engine/options';
import { PanelState, parseFromWebview, parsePanelState } from '../../../extension/shared/protocol';
import { blendOf, blendWeights, resolvePick } from '../../../extension/shared/secondStyle';
import { applyMessage, jobName, nextRunState } from '../../../extension/shared/state';
import { pickedSecondStyle, samePick, secondStyleView, styleChoicesFor } from '../../../extension/src/secondStyleChoices';

const choice = (name: string, dir = '/styles') => ({ path: path.join(dir, `${name}.jpg`), id: name, label: `${name}.jpg` });
const controls = { styleWeight: 300, size: 32, iterations: 2, preserveColors: false, seamless: false, styleScale: 1, init: 'content' as const, seed: 0 };
const job = {
  id: 'ns-1', contentName: 'cat.png', styleName: 'The Starry Night', contentSrc: '', styleSrc: '', contentPath: '/ws/cat.png',
  stylePath: '/styles/starry.jpg', outputPath: '', status: 'done' as const,
};

describe('second style: the blend', () => {
  it('is a percentage of the second style, which the engine\'s checks take as styleBlendWeights', () => {
    assert.deepStrictEqual(blendWeights(50), [50, 50]);
    assert.deepStrictEqual(blendWeights(30), [70, 30]);
    assert.deepStrictEqual(styleBlend({ ...DEFAULTS, styleBlendWeights: blendWeights(25) }, 2), [0.75, 0.25]);
    assert.deepStrictEqual(blendWeights(100), [0, 100], 'the second style only is a blend the engine accepts');
  });

  it('out of range, or not a number, is refused naming the blend and the value', () => {
    for (const bad of [-1, 101, 150, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => blendWeights(bad), /^Error: Blend: Invalid blend .*\. Use a percentage from 0 to 100/, String(bad));
    }
  });

  it('reads back from a job\'s or a picture\'s weights, equal when none are given', () => {
    assert.strictEqual(blendOf([70, 30]), 30);
    assert.strictEqual(blendOf([1, 3]), 75);
    assert.strictEqual(blendOf([]), 50);
    assert.strictEqual(blendOf([0, 0]), 50);
  });
});

describe('second style: the webview names a choice by its index', () => {
  const choices = [choice('wave'), choice('scream')];

  it('an index the host offered maps back to that style', () => {
    assert.deepStrictEqual(resolvePick(choices, { choice: 1, blend: 40 }), { style: choices[1], weights: [60, 40] });
  });

  it('an index the host did not offer, or a bad blend, is refused; nothing else reaches the host', () => {
    for (const bad of [-1, 2, 0.5, Number.NaN]) {
      assert.throws(() => resolvePick(choices, { choice: bad, blend: 50 }), /^Error: Second style: choice .* is not one the panel offered \(it offered 2\)\.$/, String(bad));
    }
    assert.throws(() => resolvePick([], { choice: 0, blend: 50 }), /it offered 0/);
    assert.throws(() => resolvePick(choices, { choice: 0, blend: 120 }), /^Error: Blend: Invalid blend 120/);
    // The protocol itself lets no path and no other type through.
    const runAgain = (secondStyle: unknown) => parseFromWebview({ type: 'runAgain', controls, secondStyle });
    assert.deepStrictEqual(runAgain({ choice: 1, blend: 50 }), { type: 'runAgain', controls, secondStyle: { choice: 1, blend: 50 } });
    assert.throws(() => runAgain({ choice: '/etc/passwd', blend: 50 }), /Bad field "secondStyle\.choice" in message "runAgain"/);
    assert.throws(() => runAgain({ choice: 0, blend: 50, path: '/etc/passwd' }), /Unexpected field "secondStyle\.path"/);
    assert.throws(() => runAgain({ choice: 0 }), /Missing field "secondStyle\.blend"/);
    // Save as defaults has no second style: the settings have none.
    assert.throws(() => parseFromWebview({ type: 'saveDefaults', controls, secondStyle: { choice: 0, blend: 50 } }), /Unexpected field "secondStyle"/);
  });

  it('the host checks its choice on disk: a restored panel\'s saved style may be gone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-second-'));
    try {
      const there = choice('wave', dir);
      fs.writeFileSync(there.path, 'x');
      const state = { styleChoices: [there, choice('gone', dir), { ...there, path: path.join(dir, 'notes.txt') }] };
      fs.writeFileSync(state.styleChoices[2].path, 'x');
      assert.strictEqual(pickedSecondStyle(state, { choice: 0, blend: 50 }).style, there);
      assert.throws(() => pickedSecondStyle(state, { choice: 1, blend: 50 }), /^Error: Second style: .*gone\.jpg no longer exists\.$/);
      assert.throws(() => pickedSecondStyle(state, { choice: 2, blend: 50 }), /notes\.txt no longer exists/);
      assert.throws(() => pickedSecondStyle({}, { choice: 0, blend: 50 }), /it offered 0/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('second style: what the panel offers and shows', () => {
  const wave = choice('wave');
  const second = { path: wave.path, name: wave.label, id: wave.id, src: '', blend: 30 };

  it('offers the job\'s own second style first, then the others, each once, never the first style', () => {
    const offered = [choice('starry'), choice('scream'), wave, choice('scream')];
    assert.deepStrictEqual(styleChoicesFor(job, offered).map((c) => c.id), ['scream', 'wave']);
    assert.deepStrictEqual(styleChoicesFor({ ...job, secondStyle: second }, offered).map((c) => c.id), ['wave', 'scream']);
  });

  it('a request\'s second style becomes the job\'s, its blend from the weights; Run on CPU picks it again', () => {
    assert.strictEqual(secondStyleView({ content: '/ws/cat.png', style: choice('starry') }), undefined);
    const view = secondStyleView({ content: '/ws/cat.png', style: choice('starry'), secondStyle: wave, options: { styleBlendWeights: [70, 30] } });
    assert.deepStrictEqual(view, second);
    const state = { job: { ...job, secondStyle: second }, styleChoices: styleChoicesFor({ ...job, secondStyle: second }, [choice('scream')]) };
    assert.deepStrictEqual(samePick(state), { choice: 0, blend: 30 });
    assert.strictEqual(samePick({ job, styleChoices: state.styleChoices }), undefined);
  });

  it('the tab, the history and the saved state name both styles', () => {
    const state: PanelState = { job: { ...job, secondStyle: second, outputPath: '/ws/cat.starry+wave.png' }, losses: [], controls, styleChoices: [wave] };
    assert.strictEqual(jobName(state), 'cat.png · The Starry Night + wave.jpg');
    assert.strictEqual(jobName({ job }), 'cat.png · The Starry Night');
    const done = applyMessage(state, { type: 'done', done: { outputSrc: '', outputName: 'cat.starry+wave.png', elapsedMs: 1, steps: 2, backend: 'wasm' } });
    assert.deepStrictEqual(done.history?.[0].secondStyle, { name: 'wave.jpg', blend: 30 });
    assert.deepStrictEqual(parsePanelState(done), done);
    assert.strictEqual(parsePanelState({ ...done, job: { ...done.job, secondStyle: { ...second, blend: '30' } } }), undefined);
    const again = nextRunState(done, 'ns-2', controls);
    assert.strictEqual(again.job.secondStyle, undefined, 'Run again without a second style is a one-style job');
    assert.deepStrictEqual(again.styleChoices, [wave]);
    assert.deepStrictEqual(nextRunState(done, 'ns-2', controls, { ...second, blend: 80 }).job.secondStyle?.blend, 80);
  });
});
