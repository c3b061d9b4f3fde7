/**
 * The second style's list on the panel (headless Chromium, panelPage.ts):
 * Browse… asks the host for an image, and the style the host then offers is
 * shown chosen and is what Run again sends (by its index, never a path).
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { show, STATES, usePanelPages } from './panelPage';

type Posted = Array<{ type: string; secondStyle?: { choice: number } }>;
const posted = (tab: Page) => tab.evaluate(() => (window as unknown as { posted: Posted }).posted);
const select = (tab: Page) => tab.locator('#control-secondStyle');

describe('the second style\'s list (headless Chromium)', function () {
  this.timeout(120_000);
  const pages = usePanelPages();

  it('ends with Browse…, which asks the host and leaves the list as it was', async () => {
    const { tab, errors } = await pages().open();
    await show(tab, { ...STATES.done, job: { ...STATES.done.job, secondStyle: undefined } });
    const labels = await select(tab).locator('option').allTextContents();
    assert.deepStrictEqual([labels[0], labels.at(-1)], ['None', 'Browse…']);
    await select(tab).selectOption({ label: 'Browse…' });
    assert.deepStrictEqual((await posted(tab)).filter((m) => m.type === 'browseSecondStyle').length, 1);
    assert.strictEqual(await select(tab).inputValue(), '', 'still None while the host asks');
    assert.deepStrictEqual(errors, []);
    await tab.close();
  });

  it('a style the host adds is shown chosen, and Run again names it by its index', async () => {
    const { tab } = await pages().open();
    await show(tab, { ...STATES.done, job: { ...STATES.done.job, secondStyle: undefined } });
    const choices = [...STATES.done.styleChoices, { path: '/ws/mosaic.png', id: 'mosaic', label: 'mosaic.png' }];
    const message = { type: 'styleChoices', choices, selected: choices.length - 1 };
    await tab.evaluate((m) => window.postMessage(m, '*'), message);
    await tab.waitForFunction(() => document.querySelector<HTMLSelectElement>('#control-secondStyle')?.value !== '');
    assert.strictEqual(await select(tab).locator('option:checked').textContent(), 'mosaic.png');
    await tab.locator('#run-again').click();
    const sent = (await posted(tab)).filter((m) => m.type === 'runAgain');
    assert.deepStrictEqual(sent.map((m) => m.secondStyle?.choice), [choices.length - 1]);
    await tab.close();
  });
});
