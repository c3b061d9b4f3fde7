/**
 * The panel's words while a job waits, in headless Chromium (panelPage.ts):
 * what the engine is doing before the first step, the plan's estimate, and a
 * clock that moves between the engine's reports.
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import type { PanelState } from '../../../extension/shared/protocol';
import { show, STATES, usePanelPages } from './panelPage';

const estimate = {
  content: { width: 300, height: 200 }, final: { width: 480, height: 320 }, upscaled: true,
  scales: [{ width: 240, height: 160, iterations: 9, tiles: 0, work: 90 },
    { width: 480, height: 320, iterations: 3, tiles: 0, work: 120 }],
  work: 210, estimateMs: 95_000, backend: 'wasm', speed: { msPerWork: 40, msPerIteration: 600, warmupIterations: 1 },
  measured: true,
};
const text = (tab: Page) => tab.evaluate(() => document.getElementById('progress-text')!.textContent ?? '');

describe('the panel while a job waits (headless Chromium)', function () {
  this.timeout(60_000);
  const pages = usePanelPages();
  const { progress: _progress, ...starting } = STATES.running;

  it('says what the engine does before the first step: a new one loads, a warm one reads the images', async () => {
    const { tab, errors } = await pages().open();
    await show(tab, { ...starting, engine: 'new' } as PanelState);
    assert.match(await text(tab), /^Starting the engine: loading TensorFlow\.js and the weights…$/);
    await show(tab, { ...starting, engine: 'warm' } as PanelState);
    assert.match(await text(tab), /^Reading the photo and the style, planning 64 px and 4 iterations…$/);
    assert.deepStrictEqual(errors, []);
  });

  it('shows the plan\'s estimate, counting down, and that the photo is enlarged', async () => {
    const { tab, errors } = await pages().open();
    await show(tab, { ...starting, engine: 'warm', estimate } as PanelState);
    const first = await text(tab);
    assert.match(first, /Preparing scale 1 \(240×160\).* 2 scales \(240×160, 480×320\), about 1:3[45] at this machine's speed on wasm/);
    assert.match(first, /The photo is 300×200 px: it is painted enlarged, at 480×320 px\./);
    await tab.waitForTimeout(2200);
    assert.match(await text(tab), /about 1:3[123] /);
    assert.deepStrictEqual(errors, []);
  });

  it('moves elapsed and left every second between the engine\'s reports', async () => {
    const { tab, errors } = await pages().open();
    const progress = { ...STATES.running.progress, elapsedMs: 125_000, etaMs: 48_000 };
    await show(tab, { ...STATES.running, progress } as PanelState);
    assert.match(await text(tab), /2:05 elapsed · 0:48 left/);
    await tab.waitForTimeout(3200);
    assert.match(await text(tab), /2:0[78] elapsed · 0:4[45] left/);
    assert.deepStrictEqual(errors, []);
  });
});
