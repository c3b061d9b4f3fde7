/**
 * The regions brush on the panel (headless Chromium, panelPage.ts): the
 * dialog paints over the photo, and Done posts one mask a style at the
 * photo's own size, white where that style was painted; nothing painted
 * clears the regions; the host's answer closes it and the form then says the
 * blend does not apply.
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { show, STATES, usePanelPages } from './panelPage';

type Posted = Array<{ type: string; width?: number; height?: number; masks?: string[] }>;
const posted = (tab: Page) => tab.evaluate(() => (window as unknown as { posted: Posted }).posted);
const [WIDTH, HEIGHT] = [40, 30];

/** A WIDTH × HEIGHT photo as a data URL: the panel shows it under the regions. */
async function photoUrl(): Promise<string> {
  const background = { r: 90, g: 120, b: 60 };
  const png = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

/** A posted mask's grey values, decoded here (not by the page that made it). */
async function greys(url: string): Promise<{ width: number; height: number; at(x: number, y: number): number }> {
  const { data, info } = await sharp(Buffer.from(url.split(',')[1], 'base64')).removeAlpha().raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, at: (x, y) => data[(y * info.width + x) * info.channels] };
}

async function openBrush(tab: Page): Promise<void> {
  await show(tab, { ...STATES.done, job: { ...STATES.done.job, contentSrc: await photoUrl() } });
  await tab.locator('#regions-paint').click();
  await tab.waitForFunction((w) => document.querySelector<HTMLCanvasElement>('#regions-canvas')?.width === w, WIDTH);
}

describe('the regions brush (headless Chromium)', function () {
  this.timeout(120_000);
  const pages = usePanelPages();

  it('painting the second style over the right half posts two masks of the photo\'s size, white where painted', async () => {
    const { tab, errors } = await pages().open();
    await openBrush(tab);
    await tab.getByLabel('Second style: The Great Wave').check();
    await tab.getByLabel('Large').check();
    const box = (await tab.locator('#regions-canvas').boundingBox())!;
    const at = (x: number, y: number) => [box.x + (x / WIDTH) * box.width, box.y + (y / HEIGHT) * box.height] as const;
    // Strokes across the right half, 2 px apart: the large brush's radius is 4 px (a tenth of 40).
    for (let y = 0; y <= HEIGHT; y += 2) {
      await tab.mouse.move(...at(24, y));
      await tab.mouse.down();
      await tab.mouse.move(...at(WIDTH + 2, y), { steps: 4 });
      await tab.mouse.up();
    }
    await tab.locator('#regions-done').click();
    const sent = (await posted(tab)).filter((m) => m.type === 'saveRegions');
    assert.strictEqual(sent.length, 1);
    assert.deepStrictEqual([sent[0].width, sent[0].height, sent[0].masks!.length], [WIDTH, HEIGHT, 2]);
    const [first, second] = await Promise.all(sent[0].masks!.map(greys));
    assert.deepStrictEqual([first.width, first.height, second.width, second.height], [WIDTH, HEIGHT, WIDTH, HEIGHT]);
    for (let y = 0; y < HEIGHT; y++) {
      for (const x of [0, 10, 19]) assert.deepStrictEqual([first.at(x, y), second.at(x, y)], [255, 0], `left (${x}, ${y})`);
      for (const x of [24, 30, 39]) assert.deepStrictEqual([first.at(x, y), second.at(x, y)], [0, 255], `right (${x}, ${y})`);
    }
    await tab.keyboard.press('Escape'); // while the host saves, the painting is what it saves: no cancelling it
    assert.ok(await tab.locator('#regions-dialog').evaluate((d: HTMLDialogElement) => d.open), 'open until the host answers');
    assert.ok(await tab.locator('#regions-cancel').isDisabled());
    assert.deepStrictEqual(errors, []);
    await tab.close();
  });

  it('the keyboard paints too; a style with no region is named and nothing is sent', async () => {
    const { tab } = await pages().open();
    await openBrush(tab);
    await tab.getByLabel('Keep the photo').check();
    await tab.locator('#regions-canvas').focus();
    await tab.keyboard.press('ArrowLeft'); // the medium brush, 1.6 px: from the centre to (18.4, 15)
    await tab.keyboard.press('Space');
    await tab.locator('#regions-done').click();
    assert.match(await tab.locator('#regions-error').innerText(), /The Great Wave has no region/);
    assert.deepStrictEqual((await posted(tab)).filter((m) => m.type === 'saveRegions'), []);
    await tab.getByLabel('Second style: The Great Wave').check();
    await tab.locator('#regions-canvas').focus();
    for (let i = 0; i < 4; i++) await tab.keyboard.press('ArrowRight'); // to (24.8, 15)
    await tab.keyboard.press('Space');
    await tab.locator('#regions-done').click();
    const [first, second] = await Promise.all((await posted(tab)).find((m) => m.type === 'saveRegions')!.masks!.map(greys));
    assert.deepStrictEqual([first.at(18, 15), second.at(18, 15)], [0, 0], 'kept');
    assert.deepStrictEqual([first.at(24, 15), second.at(24, 15)], [0, 255], 'the second style');
    assert.deepStrictEqual([first.at(5, 5), second.at(5, 5)], [255, 0], 'the first style elsewhere');
    await tab.close();
  });

  it('Escape cancels: what was painted since the dialog opened is undone, and nothing is sent', async () => {
    const { tab } = await pages().open();
    await openBrush(tab);
    await tab.getByLabel('Second style: The Great Wave').check();
    await tab.locator('#regions-canvas').focus();
    await tab.keyboard.press('Space');
    await tab.keyboard.press('Escape');
    assert.ok(!await tab.locator('#regions-dialog').evaluate((d: HTMLDialogElement) => d.open));
    assert.deepStrictEqual((await posted(tab)).filter((m) => m.type.endsWith('Regions')), []);
    await tab.locator('#regions-paint').click();
    await tab.locator('#regions-done').click();
    assert.deepStrictEqual((await posted(tab)).filter((m) => m.type.endsWith('Regions')).map((m) => m.type),
      ['clearRegions'], 'the painting was back to the whole photo in the first style');
    await tab.close();
  });

  it('a job and a run painted in regions say so, and give no blend', async () => {
    const { tab } = await pages().open();
    const job = { ...STATES.done.job, regions: true };
    const history = STATES.done.history.map((run) => ({ ...run, regions: true }));
    await show(tab, { ...STATES.done, job, history });
    assert.strictEqual(await tab.locator('#title').innerText(),
      'chelsea.png in the styles of The Starry Night and The Great Wave, in regions');
    assert.strictEqual(await tab.locator('#second-style-caption').innerText(), 'The Great Wave');
    const caption = await tab.locator('.run-caption').first().innerText();
    assert.match(caption, /\+ The Great Wave · in regions ·/);
    assert.doesNotMatch(caption, /%/);
    await tab.close();
  });

  it('nothing painted clears the regions; the host\'s answer closes the dialog and the blend no longer applies', async () => {
    const { tab } = await pages().open();
    await openBrush(tab);
    await tab.locator('#regions-done').click();
    assert.deepStrictEqual((await posted(tab)).filter((m) => m.type.endsWith('Regions')).map((m) => m.type), ['clearRegions']);
    await tab.locator('#regions-paint').click();
    await tab.getByLabel('Second style: The Great Wave').check();
    await tab.locator('#regions-canvas').focus();
    await tab.keyboard.press('Space');
    await tab.locator('#regions-done').click();
    const masks = [{ path: '/ws/chelsea.region-1.png', src: 'data:,' }, { path: '/ws/chelsea.region-2.png', src: 'data:,' }];
    await tab.evaluate((m) => window.postMessage({ type: 'regions', masks: m }, '*'), masks);
    await tab.waitForFunction(() => !document.querySelector<HTMLDialogElement>('#regions-dialog')!.open);
    assert.match(await tab.locator('#regions-summary').innerText(), /chelsea\.region-1\.png, chelsea\.region-2\.png/);
    assert.ok(await tab.locator('#control-blend').isDisabled());
    assert.ok(await tab.locator('#control-blend-regions').isVisible());
    await tab.close();
  });
});
