/**
 * A panel whose history holds the photo's results from other panels, on the
 * panel's page (headless Chromium, panelPage.ts): each run says its style when
 * it is not the panel's, the panel's own result is the one shown, and a
 * result's loss chart is drawn from its picture's trace or said to be missing.
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import type { PanelState, RunView } from '../../../extension/shared/protocol';
import { show, STATES, usePanelPages } from './panelPage';

const run = (name: string, finishedAt: number, styleName?: string): RunView => ({
  outputSrc: 'data:,', outputName: name, outputPath: `/photos/${name}`, steps: 6, backend: 'wasm', finishedAt,
  ...(styleName ? { styleName } : {}),
});
/** A result opened from its file (the second of four), the photo's other results found on disk around it. */
const opened: PanelState = {
  ...STATES.done,
  job: { ...STATES.done.job, outputPath: '/photos/dock.ink-1.png', contentName: 'dock.jpg', styleName: 'Ink wash' },
  progress: undefined,
  done: { outputSrc: 'data:,', outputName: 'dock.ink-1.png', steps: 6, backend: 'wasm', finishedAt: 2000 },
  history: [
    run('dock.mosaic.png', 1000, 'mosaic.jpg'), run('dock.ink-1.png', 2000, 'Ink wash'),
    run('dock.ink-2.png', 3000), run('dock.mosaic-1.png', 4000, 'mosaic.jpg'),
  ],
  losses: [[1, 5, 900, 2, 950], [3, 7, 300, 2, 330], [6, 8, 120, 2, 140]],
};

const captions = (tab: Page) => tab.locator('#history-list .run-caption').allTextContents();

describe('a photo\'s history on the panel (headless Chromium)', function () {
  this.timeout(120_000);
  const pages = usePanelPages();

  it('lists every result, each of another style naming it, and shows the one the panel was opened on', async () => {
    const { tab, errors } = await pages().open();
    await show(tab, opened);
    const shown = await captions(tab);
    assert.strictEqual(shown.length, 4);
    assert.match(shown[0], /^#1 · mosaic\.jpg · /);
    assert.match(shown[1], /^#2 · 6 steps · /, 'the panel\'s own style is not repeated');
    assert.match(shown[3], /^#4 · mosaic\.jpg · /);
    assert.strictEqual(await tab.locator('#compare-after').inputValue(), '1');
    assert.strictEqual(await tab.locator('#history-list .run[aria-pressed="true"] .run-caption').textContent(), shown[1]);
    assert.deepStrictEqual(errors, []);
    await tab.close();
  });

  it('sums up the chart of a result from its picture\'s trace', async () => {
    const { tab } = await pages().open();
    await show(tab, opened);
    assert.strictEqual(await tab.locator('#chart-summary').textContent(),
      'Step 1 to 6: the total fell to 15% of its start; style fell to 13% of its start; '
      + 'content rose to 160% of its start; TV fell to 100% of its start.');
    await tab.close();
  });

  it('a result whose picture keeps no losses says so, instead of waiting for a first iteration', async () => {
    const { tab } = await pages().open();
    await show(tab, { ...opened, losses: [] });
    const says = await tab.locator('#chart-summary').textContent() ?? '';
    assert.match(says, /^No loss chart: this picture does not keep its losses/);
    // A run that has not reached its first iteration still waits for it.
    await show(tab, { ...STATES.queued, losses: [] });
    assert.match(await tab.locator('#chart-summary').textContent() ?? '', /^No loss yet/);
    await tab.close();
  });
});
