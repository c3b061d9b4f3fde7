/**
 * The panel without a mouse, in headless Chromium (panelPage.ts): Tab reaches
 * every control in reading order, each says what it is, and each does with
 * the keyboard what a click does.
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { show, STATES, usePanelPages } from './panelPage';

/**
 * Presses Tab until the focus comes back round; the focused elements' ids (or tag names) in order, and those drawn
 * without a focus outline.
 */
async function tabOrder(tab: Page): Promise<{ order: string[]; unmarked: string[] }> {
  const order: string[] = [];
  const unmarked: string[] = [];
  for (let i = 0; i < 60; i++) {
    await tab.keyboard.press('Tab');
    const focused = await tab.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      if (!e || e === document.body) return undefined;
      const id = e.id || `${e.tagName.toLowerCase()}.${e.className}:${[...e.parentElement!.children].indexOf(e)}`;
      return { id, outlined: getComputedStyle(e).outlineStyle !== 'none' };
    });
    if (!focused || order.includes(focused.id)) break;
    order.push(focused.id);
    if (!focused.outlined) unmarked.push(focused.id);
  }
  return { order, unmarked };
}

/** The page's visible focusable elements in document order, each with the name a screen reader would say. */
function focusables(tab: Page): Promise<Array<{ id: string; name: string }>> {
  return tab.evaluate(() => [...document.querySelectorAll<HTMLElement>('#app button, #app input, #app select, #app [tabindex="0"]')]
    .filter((e) => e.checkVisibility() && !(e as HTMLButtonElement).disabled)
    .map((e) => {
      const labelled = (e as HTMLInputElement).labels?.[0];
      const name = e.getAttribute('aria-label') || e.getAttribute('alt') || labelled?.querySelector('.control-label')?.textContent || labelled?.textContent
        || e.textContent || '';
      return { id: e.id || `${e.tagName.toLowerCase()}.${e.className}:${[...e.parentElement!.children].indexOf(e)}`, name: name.trim() };
    }));
}

type Posted = Array<{ type: string; controls?: { styleWeight: number } }>;
const posted = (tab: Page) => tab.evaluate(() => (window as unknown as { posted: Posted }).posted);
const attr = (tab: Page, selector: string, name: string) => tab.locator(selector).first().getAttribute(name);

describe('the panel page with the keyboard only (headless Chromium)', function () {
  this.timeout(120_000);
  const pages = usePanelPages();

  for (const kind of ['done', 'running', 'failed'] as const) {
    it(`${kind}: Tab reaches every control in reading order, and each has a name`, async () => {
      const { tab, errors } = await pages().open();
      await show(tab, STATES[kind]);
      const expected = await focusables(tab);
      assert.ok(expected.length >= 10, `only ${expected.length} controls on the page`);
      const { order, unmarked } = await tabOrder(tab);
      assert.deepStrictEqual(order, expected.map((e) => e.id));
      assert.deepStrictEqual(unmarked, [], 'focused without an outline (the theme\'s focusBorder)');
      assert.deepStrictEqual(expected.filter((e) => !e.name).map((e) => e.id), [], 'controls without a name');
      assert.deepStrictEqual(errors, []);
      await tab.close();
    });
  }

  it('a finished panel: a run, the zoom, style strength and Run again, all from the keyboard', async () => {
    const { tab, errors } = await pages().open();
    await show(tab, STATES.done);
    // The newest run is shown; the first one is picked with Enter.
    await tab.locator('button.run').first().focus();
    await tab.keyboard.press('Enter');
    assert.strictEqual(await attr(tab, 'button.run', 'aria-pressed'), 'true');
    assert.match(await attr(tab, '#after', 'alt') ?? '', /^Result 1: chelsea\.starry\.png$/);
    await tab.locator('#zoom').focus();
    await tab.keyboard.press('Space');
    assert.strictEqual(await attr(tab, '#zoom', 'aria-pressed'), 'true');
    assert.strictEqual(await tab.locator('#zoom').textContent(), 'Fit');
    // Style weight moves on a log scale: an arrow key is one step of the slider, and the value is said.
    await tab.locator('#control-styleWeight').focus();
    for (let i = 0; i < 10; i++) await tab.keyboard.press('ArrowRight');
    assert.strictEqual(await attr(tab, '#control-styleWeight', 'aria-valuetext'), '1300, medium');
    await tab.locator('#run-again').focus();
    await tab.keyboard.press('Enter');
    const sent = (await posted(tab)).filter((m) => m.type === 'runAgain');
    assert.strictEqual(sent.length, 1, JSON.stringify(await posted(tab)));
    assert.strictEqual(sent[0].controls?.styleWeight, 1300);
    assert.deepStrictEqual(errors, []);
    await tab.close();
  });

  it('a running panel: the preview zooms with Enter and Cancel is a key away', async () => {
    const { tab, errors } = await pages().open();
    await show(tab, STATES.running);
    await tab.locator('#preview').focus();
    await tab.keyboard.press('Enter');
    assert.strictEqual(await attr(tab, '#preview', 'aria-pressed'), 'true');
    await tab.keyboard.press(' ');
    assert.strictEqual(await attr(tab, '#preview', 'aria-pressed'), 'false');
    await tab.locator('#cancel').focus();
    await tab.keyboard.press('Enter');
    assert.deepStrictEqual((await posted(tab)).filter((m) => m.type === 'cancel'), [{ type: 'cancel' }]);
    assert.deepStrictEqual(errors, []);
    await tab.close();
  });
});
