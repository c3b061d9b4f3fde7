/**
 * A clip on the panel's page (headless Chromium, panelPage.ts): "frame k of
 * n" with the clip's time left, the strip of finished frames as the frame
 * messages arrive, in order with the newest in sight, and what a cancel kept.
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import type { PanelState } from '../../../extension/shared/protocol';
import { show, STATES, usePanelPages } from './panelPage';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const clip: PanelState = {
  ...STATES.running, batch: undefined, note: undefined,
  job: { ...STATES.running.job, contentName: 'walk.gif', contentPath: '/ws/walk.gif', secondStyle: undefined, clip: true },
  progress: { ...STATES.running.progress, frame: 2, frames: 3, etaMs: 125_000 },
};

const sendFrame = (tab: Page, frame: number) => tab.evaluate(async (m) => {
  window.postMessage(m, '*');
  await new Promise((r) => setTimeout(r, 50));
}, { type: 'frame', frame, frames: 3, src: PNG });
const strip = (tab: Page) => tab.locator('#frames-list figcaption').allTextContents();

describe('a clip on the panel (headless Chromium)', function () {
  this.timeout(120_000);
  const pages = usePanelPages();

  it('says which frame of how many it paints, and the clip\'s time left', async () => {
    const { tab, errors } = await pages().open();
    await show(tab, clip);
    assert.match(await tab.locator('#title').textContent() ?? '', /^walk\.gif as an animation in the style of /);
    const text = await tab.locator('#progress-text').textContent() ?? '';
    assert.match(text, /^Frame 2 of 3 · Step 2 \/ 4 · .* 2:0\d left/);
    assert.strictEqual(await tab.locator('#frames').isVisible(), false, 'no strip before the first frame');
    assert.deepStrictEqual(errors, []);
    await tab.close();
  });

  it('adds each finished frame to the strip in order, and says how many are done', async () => {
    const { tab, errors } = await pages().open();
    await show(tab, clip);
    for (const frame of [1, 3, 2]) await sendFrame(tab, frame);
    assert.deepStrictEqual(await strip(tab), ['1', '2', '3']);
    assert.strictEqual(await tab.locator('#frames-title').textContent(), 'Finished frames: 3 of 3');
    assert.strictEqual(await tab.locator('#frames-list img').count(), 3);
    assert.deepStrictEqual(errors, []);
    await tab.close();
  });

  it('a cancelled clip says its frames are kept', async () => {
    const { tab } = await pages().open();
    await show(tab, { ...clip, job: { ...clip.job, status: 'cancelled' }, frames: [{ frame: 1, frames: 3, src: PNG }] });
    assert.match(await tab.locator('#progress-text').textContent() ?? '', /^Cancelled at frame 2 of 3; the finished frames are kept\.$/);
    assert.deepStrictEqual(await strip(tab), ['1']);
    await tab.close();
  });
});
