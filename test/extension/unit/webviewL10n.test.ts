/**
 * The panel's page in headless Chromium (panelPage.ts), given a
 * pseudo-localized bundle on its script tag as the host puts it there: every
 * word the page shows, hidden or not, in text and in the attributes read
 * aloud, is the bundle's; without a bundle it is English.
 */
import * as assert from 'assert';
import { readFileSync } from 'fs';
import * as path from 'path';
import { getL10nPseudoLocalized } from '@vscode/l10n-dev';
import { show, STATE_DATA, STATES, usePanelPages } from './panelPage';

const english: Record<string, string> = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'extension', 'l10n', 'bundle.l10n.json'), 'utf8'));

describe('the panel page\'s words (headless Chromium)', function () {
  this.timeout(120_000);
  const pages = usePanelPages();

  /** Every text the page holds for each state: text nodes, and the attributes a user reads or hears. */
  async function wordsOf(bundle?: Record<string, string>): Promise<string[]> {
    const { tab, errors } = await pages().open(bundle);
    const words: string[] = [];
    for (const state of Object.values(STATES)) {
      await show(tab, state);
      words.push(...await tab.evaluate(() => {
        const texts: string[] = [];
        const walker = document.createTreeWalker(document.getElementById('app')!, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n.textContent ?? '');
        for (const e of document.querySelectorAll('#app *')) {
          for (const a of ['title', 'alt', 'aria-label', 'aria-valuetext', 'placeholder']) if (e.getAttribute(a)) texts.push(e.getAttribute(a)!);
        }
        return texts;
      }));
    }
    await tab.close();
    assert.deepStrictEqual(errors, []);
    return words;
  }

  it('with a bundle, every word the page shows is the bundle\'s', async () => {
    const words = await wordsOf(getL10nPseudoLocalized(english) as Record<string, string>);
    assert.ok(words.length > 100, `only ${words.length} texts`);
    // Pseudo-localized words have no run of plain ASCII letters; what is left after the data and the setting ids must
    // not either.
    const left = words.map((w) => STATE_DATA.reduce((t, d) => t.split(d).join(''), w).replace(/neuralStyle\.\w+/g, ''))
      .filter((w) => /[A-Za-z]{2,}/.test(w));
    assert.deepStrictEqual([...new Set(left)], []);
  });

  it('without one (English, VS Code\'s own language), the page says its words as written', async () => {
    const words = await wordsOf();
    for (const expected of ['Run again', 'Save as defaults…', 'Next run', 'Style weight', 'Runs of this photo', 'Loss over the steps',
      'Photo 2 of 3 of this batch · 1 of 3 made, 2 to go, about 1:30 left for the batch']) {
      assert.ok(words.includes(expected), `"${expected}" is not on the page`);
    }
  });
});
