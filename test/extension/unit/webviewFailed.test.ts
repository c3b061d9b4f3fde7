/** A failed panel (headless Chromium, panelPage.ts): what it offers depends on why the job failed. */
import * as assert from 'assert';
import { show, STATES, usePanelPages } from './panelPage';

describe('a failed panel (headless Chromium)', function () {
  this.timeout(120_000);
  const pages = usePanelPages();

  it('offers no Run again for a photo that cannot be read, and does for another failure', async () => {
    const { tab } = await pages().open();
    const visible = () => tab.locator('#run-again').isVisible();
    await show(tab, { ...STATES.failed, error: 'trip/IMG_7.jpg is not an image we can read.', errorCode: 'EIMAGE' });
    assert.strictEqual(await visible(), false);
    assert.match(await tab.locator('#error').textContent() ?? '', /^trip\/IMG_7\.jpg is not an image/);
    await show(tab, { ...STATES.failed, error: 'the engine stopped', errorCode: 'ECRASH' });
    assert.strictEqual(await visible(), true);
    await tab.close();
  });
});
