/**
 * The panel's page (dist/webview.js) in headless Chromium, without VS Code:
 * the page as panel.ts writes it, acquireVsCodeApi standing in for VS Code's
 * (it keeps what the page posts), and panel states of each kind to render.
 * Used by webviewL10n.test.ts and webviewKeyboard.test.ts.
 */
import { existsSync, readFileSync } from 'fs';
import { createServer, Server } from 'http';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import type { PanelState } from '../../../extension/shared/protocol';
import { escapeAttribute } from '../../../extension/shared/l10nBundle';

const root = path.resolve(__dirname, '..', '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const script = path.join(root, 'extension', 'dist', 'webview.js');
const css = path.join(root, 'extension', 'dist', 'webview.css');

// VS Code sets the theme's colours on the page as --vscode-* variables; a few of Dark Modern's stand in for them.
const THEME = ':root { --vscode-focusBorder: #0078d4; --vscode-foreground: #cccccc; --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; }';
const page = (l10nAttribute: string) => `<!DOCTYPE html><html><head><meta charset="UTF-8"><style>${THEME}</style><link href="/webview.css" rel="stylesheet"></head>
<body><main id="app"></main>
<script>window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => posted.push(m), getState: () => undefined, setState: () => {} });</script>
<script src="/webview.js" data-compute="/compute.js" data-generation="1" data-l10n="${escapeAttribute(l10nAttribute)}"></script></body></html>`;

const job = {
  id: 'ns-1', contentName: 'chelsea.png', styleName: 'The Starry Night', contentSrc: 'data:,', styleSrc: 'data:,', contentPath: '/ws/chelsea.png',
  stylePath: '/s/starry.jpg', outputPath: '/ws/chelsea.starry.png', size: 64, iterations: 4, status: 'running' as const,
  secondStyle: { path: '/s/wave.jpg', name: 'The Great Wave', id: 'wave', src: 'data:,', blend: 30 },
};
const controls = { styleWeight: 1000, size: 64, iterations: 4, preserveColors: true, seamless: false, styleScale: 1, init: 'content' as const, seed: 7 };
const done = { outputSrc: 'data:,', outputName: 'chelsea.starry.png', elapsedMs: 61_000, steps: 4, backend: 'wasm', finishedAt: 0 };
const run = { ...done, outputPath: '/ws/chelsea.starry.png', controls, secondStyle: { name: 'The Great Wave', blend: 30 } };
const progress = {
  step: 2, totalSteps: 4, scale: 1, scales: 1, iteration: 2, iterations: 4, width: 64, height: 43, tile: 1, tiles: 2,
  losses: { content: 1, style: 2, tv: 3, total: 6 }, elapsedMs: 10, etaMs: 20, fraction: 0.3, backend: 'wasm',
};
const losses: PanelState['losses'] = [[1, 0, 800, 1, 1200], [2, 2, 400, 1, 700]];
const styleChoices = [{ path: '/s/wave.jpg', id: 'wave', label: 'The Great Wave' }];
// A 1×1 PNG: the preview is shown only once there is one.
const PREVIEW = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** A state of each kind: each shows other words and other controls. */
export const STATES = {
  queued: { job: { ...job, status: 'queued', position: 2 }, losses: [], controls, styleChoices },
  running: { job, progress, losses, preview: PREVIEW, controls, styleChoices, note: 'x', batch: { index: 2, total: 3, made: 1, failed: 0, cancelled: 0, etaMs: 90_000 } },
  done: { job: { ...job, status: 'done' }, progress, losses, done, history: [run, { ...run, outputName: 'chelsea.starry-1.png' }], controls, styleChoices },
  cancelled: { job: { ...job, status: 'cancelled' }, progress, losses, history: [run], controls, styleChoices },
  failed: { job: { ...job, status: 'failed' }, losses, error: 'x', errorCode: 'EGPULOST', controls, styleChoices },
  interrupted: { job: { ...job, status: 'interrupted' }, losses: [], controls, styleChoices },
} satisfies Record<string, PanelState>;
/** What the states themselves name (files, styles, the backend): not the page's words. */
export const STATE_DATA = ['chelsea.starry-1.png', 'chelsea.starry.png', 'chelsea.png', 'The Starry Night', 'The Great Wave', 'wasm'];

/** A tab with the page, and the errors its scripts threw. */
export interface PanelTab {
  tab: Page;
  errors: string[];
}

export interface PanelPages {
  browser: Browser;
  /** A new tab with the page; `bundle`: the l10n bundle on its script tag (none: English). */
  open(bundle?: Record<string, string>): Promise<PanelTab>;
  close(): Promise<void>;
}

/** Chromium and a server for the page; undefined (the reason printed) when there is no Chromium outside CI. */
export async function panelPages(): Promise<PanelPages | undefined> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') throw new Error(`Chromium is missing at ${CHROMIUM} (set CHROMIUM_PATH).`);
    console.log(`      skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH, or apt-get install chromium)`);
    return undefined;
  }
  if (!existsSync(script)) throw new Error(`${script} is missing: run pnpm build first (pnpm test does).`);
  const bundles = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    if (req.url === '/webview.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(readFileSync(script));
    else if (req.url === '/webview.css') res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' }).end(readFileSync(css));
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(bundles.get(req.url ?? '') ?? ''));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  let pages = 0;
  return {
    browser,
    async open(bundle) {
      const url = `/page-${++pages}`;
      if (bundle) bundles.set(url, JSON.stringify(bundle));
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(origin + url);
      return { tab, errors };
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/**
 * The suite's Chromium and server, started before its tests (which are skipped, the reason printed, without Chromium)
 * and closed after.
 */
export function usePanelPages(): () => PanelPages {
  let pages: PanelPages | undefined;
  before(async function () {
    pages = await panelPages();
    if (!pages) this.skip();
  });
  after(async () => pages?.close());
  return () => pages!;
}

/**
 * Shows `state` on the page, as the host's snapshot message does; throws when the page did not take it (it drops an
 * invalid message).
 */
export async function show(tab: Page, state: PanelState): Promise<void> {
  const status = await tab.evaluate(async (s) => {
    delete document.body.dataset.status;
    window.postMessage({ type: 'snapshot', state: s }, '*');
    await new Promise((r) => setTimeout(r, 50));
    return document.body.dataset.status;
  }, state);
  if (status !== state.job.status) throw new Error(`the page did not show the ${state.job.status} state (it shows ${status ?? 'nothing'})`);
}
