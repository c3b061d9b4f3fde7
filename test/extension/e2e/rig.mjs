// What the end-to-end scripts share: the built .vsix installed into an isolated code-server, a workspace with a
// photo, headless Chromium on the workbench, and the steps a person takes there (right-click a photo, run a
// command). Needs: pnpm package (the .vsix), bash ../shared/vscode-test/install-code-server.sh, Debian's chromium.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { targetOf, vsixName } from '../../../extension/scripts/targets.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..', '..');
const extensionDir = join(repo, 'extension');
const rig = process.env.VSCODE_TEST_RIG ?? resolve(repo, '..', 'shared', 'vscode-test');
const { startCodeServer, launchBrowser, CS_BIN } = createRequire(import.meta.url)(join(rig, 'cs-lib.js'));

/** The .vsix given, else this machine's package as `pnpm package` names it. */
export function vsixPath(given) {
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'package.json'), 'utf8'));
  return resolve(given ?? join(extensionDir, vsixName(manifest, targetOf())));
}

/** A log line stamped with the seconds since `t0`. */
export function logger(t0 = Date.now()) {
  return (m) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
}

/**
 * A fresh data folder with a workspace holding `photos` and the workspace's `settings` (none: every default), and
 * a user profile that keeps the workbench quiet (no tips, no updates, no telemetry).
 */
export function makeWorkspace({ photos, settings }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ns-e2e-'));
  const ws = join(dataDir, 'photos');
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  for (const photo of photos) copyFileSync(photo, join(ws, basename(photo)));
  if (settings) writeFileSync(join(ws, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  const userSettings = join(dataDir, 'user', 'User', 'settings.json');
  mkdirSync(dirname(userSettings), { recursive: true });
  writeFileSync(userSettings, JSON.stringify({
    'workbench.colorTheme': 'Default Dark Modern', 'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false, 'workbench.startupEditor': 'none', 'git.enabled': false, 'update.mode': 'none',
    'workbench.tips.enabled': false, 'chat.commandCenter.enabled': false, 'workbench.secondarySideBar.defaultVisibility': 'hidden',
  }, null, 2));
  return { dataDir, ws };
}

/** Installs the .vsix into the data folder's extensions, as `code --install-extension` does. */
export function installVsix(vsix, dataDir) {
  const env = { ...process.env, XDG_CONFIG_HOME: join(dataDir, 'xdg-config'), XDG_DATA_HOME: join(dataDir, 'xdg-data') };
  execFileSync(process.execPath, [CS_BIN, '--user-data-dir', join(dataDir, 'user'), '--extensions-dir',
    join(dataDir, 'extensions'), '--install-extension', vsix], { stdio: 'inherit', env });
}

/** code-server on the workspace and a Chromium page on its workbench, once the Explorer lists `photo`. */
export async function openWorkbench({ dataDir, ws }, photo) {
  const cs = await startCodeServer({ dataDir, folder: ws });
  let ctx;
  try {
    ctx = await launchBrowser(join(dataDir, 'chromium'));
    const page = ctx.pages()[0] ?? await ctx.newPage();
    page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    page.on('console', (m) => {
      if (/neural|webview|serializ/i.test(m.text())) console.log(`[console.${m.type()}]`, m.text().slice(0, 300));
    });
    await page.goto(`${cs.url}?folder=${encodeURIComponent(ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await explorerRow(page, photo).waitFor({ timeout: 60000 });
    return { cs, ctx, page };
  } catch (error) {
    await ctx?.close().catch(() => {});
    await cs.stop();
    throw error;
  }
}

export const explorerRow = (page, name) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();

/** Right-clicks `photo` until the context menu has `label` (it appears once the extension host is up); its item. */
export async function contextMenuItem(page, photo, label) {
  const item = page.locator('.context-view .action-label', { hasText: label });
  for (let i = 0; ; i++) {
    await explorerRow(page, photo).click({ button: 'right' });
    try {
      await item.waitFor({ timeout: 2000 });
      return item;
    } catch (e) {
      if (i >= 20) throw e;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
}

/** The style picker's row for `painting` (Stylize Image… opened it), once it is listed. */
export async function pickerRow(page, painting) {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: painting });
  await row.waitFor({ timeout: 20000 });
  return row;
}

/** The webview's inner frame: the one with the panel's #title. */
export async function panelFrame(page, timeoutMs = 30000) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    for (const f of page.frames()) {
      try { if (await f.locator('#title').count()) return f; } catch { /* a frame going away */ }
    }
    await page.waitForTimeout(200);
  }
  throw new Error('the job panel did not open');
}

/** Runs a command from the palette, as a person does: F1, its title, the first row that starts with it. */
export async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout: 5000 });
  await input.fill(`>${title}`);
  const command = page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`^${title}`) }).first();
  await command.waitFor({ timeout: 5000 });
  await command.click();
}

/** The engine processes of the extension installed in `dataDir`. */
export function enginePids(dataDir) {
  return execFileSync('ps', ['-eo', 'pid=,args=']).toString().split('\n')
    .filter((l) => l.includes(join(dataDir, 'extensions')) && l.includes('worker.js')).map((l) => Number(l.trim().split(/\s+/)[0]));
}
