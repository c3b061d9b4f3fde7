/**
 * Where a job ran, on the panel's page (headless Chromium, panelPage.ts): the
 * CPU or the GPU in words, why not the GPU one click away, and a GPU to
 * choose for the next run when the host found one.
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import type { PanelState } from '../../../extension/shared/protocol';
import { show, STATES, usePanelPages } from './panelPage';

type Posted = Array<Record<string, unknown>>;
const posted = (tab: Page) => tab.evaluate(() => (window as unknown as { posted: Posted }).posted);
const onCpu: PanelState = {
  ...STATES.done,
  where: {
    cores: 12, whyNotGpu: 'webgpu in the engine: no adapter', gpuChoice: { name: 'Arc A770', backend: 'webgl' },
  },
};

describe('where a job ran, on the panel (headless Chromium)', function () {
  this.timeout(120_000);
  const pages = usePanelPages();

  it('a CPU run says so with its cores, why not the GPU behind one click, and offers the GPU found', async () => {
    const { tab, errors } = await pages().open();
    await show(tab, onCpu);
    const text = await tab.locator('#progress-text').textContent() ?? '';
    assert.match(text, /on the CPU \(12 cores\)/);
    assert.doesNotMatch(text, /wasm/);
    assert.strictEqual(await tab.locator('#why-not-gpu').isVisible(), false, 'the reason waits for a click');
    await tab.locator('#where-details summary').click();
    assert.strictEqual(await tab.locator('#why-not-gpu').textContent(), 'webgpu in the engine: no adapter');
    await tab.locator('#why-log').click();
    const offer = tab.locator('#run-on-gpu');
    assert.strictEqual(await offer.textContent(), 'Run again on your GPU (Arc A770)');
    await offer.click();
    const sent = (await posted(tab)).filter((m) => m.type === 'showLog' || m.type === 'runAgain');
    assert.deepStrictEqual(sent.map((m) => [m.type, m.onGpu]), [['showLog', undefined], ['runAgain', true]]);
    assert.deepStrictEqual(errors, []);
    await tab.close();
  });

  it('a GPU run names the GPU, with no reason and no offer', async () => {
    const { tab } = await pages().open();
    const done = { ...STATES.done.done, backend: 'webgl' };
    await show(tab, { ...onCpu, done, where: { cores: 12, gpu: 'Arc A770' } });
    assert.match(await tab.locator('#progress-text').textContent() ?? '', /on your GPU \(Arc A770\)/);
    const shown = [await tab.locator('#where-details').isVisible(), await tab.locator('#run-on-gpu').isVisible()];
    assert.deepStrictEqual(shown, [false, false]);
    await tab.close();
  });
});
