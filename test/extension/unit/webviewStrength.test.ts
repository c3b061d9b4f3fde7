/**
 * Style weight in the panel (headless Chromium, panelPage.ts): a slider wide
 * enough to aim with, whatever the value reads; a click on its track or on a
 * mark moves it; a number field beside it to type the exact value.
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { show, STATES, usePanelPages } from './panelPage';

type Posted = Array<{ type: string; controls?: { styleWeight: number } }>;
const posted = (tab: Page) => tab.evaluate(() => (window as unknown as { posted: Posted }).posted);
const numberField = (tab: Page) => tab.locator('#control-styleWeight-number');
const box = async (tab: Page, selector: string) => (await tab.locator(selector).boundingBox())!;

describe('style strength in the panel (headless Chromium)', function () {
  this.timeout(120_000);
  const pages = usePanelPages();

  it('the slider is wide at a full-width panel, and stays wide once the value reads a million', async () => {
    const { tab, errors } = await pages().open();
    await tab.setViewportSize({ width: 1000, height: 800 });
    await show(tab, { ...STATES.done, controls: { ...STATES.done.controls, styleWeight: 2500 } });
    const before = (await box(tab, '#control-styleWeight')).width;
    assert.ok(before >= 400, `the slider is ${before} px wide`);
    await numberField(tab).fill('1000000');
    const after = (await box(tab, '#control-styleWeight')).width;
    assert.strictEqual(after, before, 'the slider changed width with the value');
    assert.deepStrictEqual(errors, []);
    await tab.close();
  });

  it('a click on the track moves there, and a small drag moves by a small factor', async () => {
    const { tab } = await pages().open();
    await tab.setViewportSize({ width: 900, height: 800 });
    await show(tab, { ...STATES.done, controls: { ...STATES.done.controls, styleWeight: 40 } });
    const track = await box(tab, '#control-styleWeight');
    const y = track.y + track.height / 2;
    await tab.mouse.click(track.x + track.width * 0.75, y);
    const clicked = Number(await numberField(tab).inputValue());
    // Three quarters of six decades is 10^4.5 ≈ 32000 (the thumb's width shifts it a little).
    assert.ok(clicked > 20_000 && clicked < 50_000, `a click at 3/4 gave ${clicked}`);
    const thumb = track.x + track.width * 0.75;
    await tab.mouse.move(thumb, y);
    await tab.mouse.down();
    await tab.mouse.move(thumb + 11, y, { steps: 3 });
    await tab.mouse.up();
    const dragged = Number(await numberField(tab).inputValue());
    assert.ok(dragged > clicked && dragged / clicked < 1.5, `an 11 px drag went from ${clicked} to ${dragged}`);
    await tab.close();
  });

  it('a typed value is the one a run uses, and the slider and its spoken value follow it', async () => {
    const { tab, errors } = await pages().open();
    await show(tab, STATES.done);
    await numberField(tab).fill('4200');
    const position = String(Math.round(Math.log10(4200) * 100) / 100);
    assert.strictEqual(await tab.locator('#control-styleWeight').inputValue(), position);
    assert.strictEqual(await tab.locator('#control-styleWeight').getAttribute('aria-valuetext'), '4200, strong');
    await tab.locator('#run-again').click();
    const sent = (await posted(tab)).filter((m) => m.type === 'runAgain');
    assert.deepStrictEqual(sent.map((m) => m.controls?.styleWeight), [4200]);
    assert.deepStrictEqual(errors, []);
    await tab.close();
  });

  it('the marks name the steps of the scale, and a click on one moves there', async () => {
    const { tab } = await pages().open();
    await show(tab, STATES.done);
    const words = await tab.locator('.strength-mark').allTextContents();
    assert.deepStrictEqual(words, ['subtle', 'light', 'medium', 'strong', 'very strong']);
    await tab.locator('.strength-mark', { hasText: 'very strong' }).click();
    assert.strictEqual(await numberField(tab).inputValue(), '100000');
    assert.strictEqual(await tab.locator('#control-styleWeight').inputValue(), '5');
    await tab.close();
  });

  it('a number out of range is refused with the control\'s name, not sent', async () => {
    const { tab } = await pages().open();
    await show(tab, STATES.done);
    await numberField(tab).fill('-3');
    await tab.locator('#run-again').click();
    assert.match(await tab.locator('#controls-error').textContent() ?? '', /Style weight: Invalid styleWeight -3/);
    assert.deepStrictEqual((await posted(tab)).filter((m) => m.type === 'runAgain'), []);
    await tab.close();
  });

  it('in a narrow panel, no control is squeezed below what it needs: the page scrolls instead', async () => {
    const { tab } = await pages().open();
    await tab.setViewportSize({ width: 360, height: 800 });
    await show(tab, { ...STATES.done, controls: { ...STATES.done.controls, styleWeight: 1_000_000 } });
    assert.ok((await box(tab, '#control-styleWeight')).width >= 200, 'the slider keeps its width');
    const squeezed = await tab.evaluate(() => [...document.querySelectorAll<HTMLElement>('.control input, .control select')]
      .filter((e) => e.checkVisibility() && e.scrollWidth > e.clientWidth + 1).map((e) => e.id));
    assert.deepStrictEqual(squeezed, []);
    await tab.close();
  });
});

describe('the Seamless box in the panel (headless Chromium)', function () {
  this.timeout(120_000);
  const pages = usePanelPages();
  type Sent = Array<{ type: string; controls?: { seamless: boolean; preserveColors: boolean } }>;
  const sent = (tab: Page) => tab.evaluate(() => (window as unknown as { posted: Sent }).posted);

  it('shows the controls\' value, is ticked by its label from the keyboard, and Run again and Save as defaults send it',
    async () => {
      const { tab, errors } = await pages().open();
      await show(tab, { ...STATES.done, controls: { ...STATES.done.controls, seamless: true } });
      const box = tab.getByRole('checkbox', { name: 'Seamless' });
      assert.strictEqual(await box.isChecked(), true, 'the state\'s seamless: true');
      // The form is filled once per job (what the painter changed stays): the next run's job fills it again.
      await show(tab, { ...STATES.done, job: { ...STATES.done.job, id: 'ns-2' } });
      assert.strictEqual(await box.isChecked(), false, 'the state\'s seamless: false');
      assert.match(await tab.locator('label.control', { has: box }).getAttribute('title') ?? '',
        /^Make a texture that tiles: .*\(neuralStyle\.seamless\)$/);
      await box.focus();
      await tab.keyboard.press('Space');
      await tab.locator('#run-again').click();
      await tab.locator('#save-defaults').click();
      const messages = (await sent(tab)).filter((m) => m.type === 'runAgain' || m.type === 'saveDefaults');
      assert.deepStrictEqual(messages.map((m) => [m.type, m.controls?.seamless, m.controls?.preserveColors]),
        [['runAgain', true, true], ['saveDefaults', true, true]], 'Seamless ticked, Preserve colors left as it was');
      assert.deepStrictEqual(errors, []);
      await tab.close();
    });
});
