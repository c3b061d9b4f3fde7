/**
 * The panel's page (dist/webview.js) in headless Chromium, without VS Code,
 * given a pseudo-localized bundle on its script tag as the host puts it
 * there: every word the page shows, hidden or not, in text and in the
 * attributes read aloud, is the bundle's; without a bundle it is English.
 */
import * as assert from 'assert';
import { existsSync, readFileSync } from 'fs';
import { createServer, Server } from 'http';
import * as path from 'path';
import { getL10nPseudoLocalized } from '@vscode/l10n-dev';
import type { PanelState } from '../../../extension/shared/protocol';
import { encodeBundle, escapeAttribute } from '../../../extension/shared/l10nBundle';

const root = path.resolve(__dirname, '..', '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const bundle = path.join(root, 'extension', 'dist', 'webview.js');
const english: Record<string, string> = JSON.parse(readFileSync(path.join(root, 'extension', 'l10n', 'bundle.l10n.json'), 'utf8'));

// The page as panel.ts writes it, with acquireVsCodeApi standing in for VS Code's.
const page = (l10nAttribute: string) => `<!DOCTYPE html><html><body><main id="app"></main>
<script>window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => posted.push(m), getState: () => undefined, setState: () => {} });</script>
<script src="/webview.js" data-compute="/compute.js" data-generation="1" data-l10n="${escapeAttribute(l10nAttribute)}"></script></body></html>`;

const job = {
  id: 'ns-1', contentName: 'chelsea.png', styleName: 'The Starry Night', contentSrc: 'data:,', styleSrc: 'data:,', contentPath: '/ws/chelsea.png',
  stylePath: '/s/starry.jpg', outputPath: '/ws/chelsea.starry.png', size: 64, iterations: 4, status: 'running' as const,
  secondStyle: { path: '/s/wave.jpg', name: 'The Great Wave', id: 'wave', src: 'data:,', blend: 30 },
};
const controls = { styleWeight: 1000, size: 64, iterations: 4, preserveColors: true, styleScale: 1, init: 'content' as const, seed: 7 };
const run = { outputSrc: 'data:,', outputName: 'chelsea.starry.png', outputPath: '/ws/chelsea.starry.png', elapsedMs: 61_000, steps: 4, backend: 'wasm', finishedAt: 0, controls,
  secondStyle: { name: 'The Great Wave', blend: 30 } };
const progress = { step: 2, totalSteps: 4, scale: 1, scales: 1, iteration: 2, iterations: 4, width: 64, height: 43, tile: 1, tiles: 2,
  losses: { content: 1, style: 2, tv: 3, total: 6 }, elapsedMs: 10, etaMs: 20, backend: 'wasm' };
const losses: PanelState['losses'] = [[1, 0, 800, 1, 1200], [2, 2, 400, 1, 700]];
const styleChoices = [{ path: '/s/wave.jpg', id: 'wave', label: 'The Great Wave' }];
/** A state of each kind: each renders other words. */
const STATES: PanelState[] = [
  { job: { ...job, status: 'queued', position: 2 }, losses: [], controls, styleChoices },
  { job, progress, losses, controls, styleChoices, note: 'x' },
  { job: { ...job, status: 'done' }, progress, losses, done: run, history: [run, run], controls, styleChoices },
  { job: { ...job, status: 'cancelled' }, progress, losses, history: [run], controls, styleChoices },
  { job: { ...job, status: 'failed' }, losses, error: 'x', errorCode: 'EGPULOST', controls, styleChoices },
  { job: { ...job, status: 'interrupted' }, losses: [], controls, styleChoices },
];
/** What the state itself names (files, styles, the backend): not the page's words. */
const DATA = ['chelsea.starry.png', 'chelsea.png', 'The Starry Night', 'The Great Wave', 'wasm'];

function serve(): Promise<Server> {
  const pseudo = encodeBundle(getL10nPseudoLocalized(english) as Record<string, string>);
  const server = createServer((req, res) => {
    if (req.url === '/webview.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(readFileSync(bundle));
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(req.url === '/pseudo' ? pseudo : ''));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('the panel page\'s words (headless Chromium)', function () {
  this.timeout(120_000);
  let server: Server;
  let browser: import('playwright-core').Browser;
  let origin = '';

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI === 'true') throw new Error(`Chromium is missing at ${CHROMIUM} (set CHROMIUM_PATH).`);
      console.log(`      skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH, or apt-get install chromium)`);
      this.skip();
    }
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run pnpm build first (pnpm test does).`);
    server = await serve();
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  /** Every text the page holds for each state: text nodes, and the attributes a user reads or hears. */
  async function wordsOf(url: string): Promise<string[]> {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(url);
    const words: string[] = [];
    for (const state of STATES) {
      words.push(...await tab.evaluate(async (s) => {
        window.postMessage({ type: 'snapshot', state: s }, '*');
        await new Promise((r) => setTimeout(r, 50));
        const texts: string[] = [];
        const walker = document.createTreeWalker(document.getElementById('app')!, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n.textContent ?? '');
        for (const e of document.querySelectorAll('#app *')) {
          for (const a of ['title', 'alt', 'aria-label', 'aria-valuetext', 'placeholder']) if (e.getAttribute(a)) texts.push(e.getAttribute(a)!);
        }
        return texts;
      }, state));
    }
    await tab.close();
    assert.deepStrictEqual(errors, []);
    return words;
  }

  it('with a bundle, every word the page shows is the bundle\'s', async () => {
    const words = await wordsOf(`${origin}/pseudo`);
    assert.ok(words.length > 100, `only ${words.length} texts`);
    // Pseudo-localized words have no run of plain ASCII letters; what is left after the data and the setting ids must not either.
    const english = words.map((w) => DATA.reduce((t, d) => t.split(d).join(''), w).replace(/neuralStyle\.\w+/g, ''))
      .filter((w) => /[A-Za-z]{2,}/.test(w));
    assert.deepStrictEqual([...new Set(english)], []);
  });

  it('without one (English, VS Code\'s own language), the page says its words as written', async () => {
    const words = await wordsOf(`${origin}/english`);
    for (const expected of ['Run again', 'Save as defaults…', 'Next run', 'Style strength', 'Runs of this photo', 'Loss over the steps']) {
      assert.ok(words.includes(expected), `"${expected}" is not on the page`);
    }
  });
});
