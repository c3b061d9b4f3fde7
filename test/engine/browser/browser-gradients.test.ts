/**
 * The in-browser core passes the same gradient checks as on wasm: the engine's
 * gradient.test.ts, bundled for a page (test/browser/gradient-page.ts) and run
 * in headless Chromium on webgl and on webgpu (software here: SwiftShader,
 * WebGPU's fallback adapter with --enable-unsafe-webgpu, in a secure context:
 * a page served on 127.0.0.1).
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'fs';
import { createServer, Server } from 'http';
import { createRequire } from 'module';
import * as path from 'path';
import { ROOT } from '../helpers';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WEIGHTS = path.join(ROOT, 'packages', 'engine', 'weights', 'vgg19');
const fromExtension = createRequire(path.join(ROOT, 'extension', 'package.json'));

async function bundlePage(): Promise<string> {
  const esbuild = fromExtension('esbuild') as typeof import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, 'test', 'browser', 'gradient-page.ts')], bundle: true, write: false, platform: 'browser', format: 'iife',
    target: 'es2022', logLevel: 'error',
    // The webgpu backend is the extension's dependency (its webview bundle's).
    nodePaths: [path.join(ROOT, 'extension', 'node_modules')],
    plugins: [{
      name: 'browser-helpers',
      setup(build) {
        // gradient.test.ts's Node helpers (fs, the engine process's loader) → the page's.
        build.onResolve({ filter: /^\.\.\/helpers$/ }, (args) => (args.importer.endsWith(path.join('core', 'gradient.test.ts'))
          ? { path: path.join(ROOT, 'test', 'browser', 'helpers.ts') } : undefined));
      },
    }],
  });
  return result.outputFiles[0].text;
}

function serve(script: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x').pathname;
    if (url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><meta charset="utf-8"><div id="mocha"></div><script src="/page.js"></script>');
    else if (url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (/^\/weights\/[A-Za-z0-9._-]+$/.test(url) && existsSync(path.join(WEIGHTS, url.slice(9)))) res.writeHead(200).end(readFileSync(path.join(WEIGHTS, url.slice(9))));
    else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('gradients in the browser (headless Chromium)', function () {
  this.timeout(900_000);
  let server: Server | undefined;
  let browser: import('playwright-core').Browser | undefined;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI === 'true') throw new Error(`Chromium is missing at ${CHROMIUM} (set CHROMIUM_PATH).`);
      console.log(`      skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH, or apt-get install chromium)`);
      this.skip();
    }
    server = await serve(await bundlePage());
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader'] });
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  for (const backend of ['webgl', 'webgpu']) {
    it(`every gradient check of gradient.test.ts passes on ${backend}`, async function () {
      const page = await browser!.newPage();
      try {
        const address = server!.address() as { port: number };
        await page.goto(`http://127.0.0.1:${address.port}/?backend=${backend}`);
        type Page = { readbackProblem: Promise<string | null> };
        const readback = await page.evaluate(() => (globalThis as unknown as Page).readbackProblem);
        if (readback) {
          // The webview refuses such an adapter too (extension/webview/compute/run.ts): there is nothing to check on
          // it.
          console.log(`      skipped: ${backend}'s read back is broken on this adapter (${readback})`);
          this.skip();
        }
        type Result = { title: string; state: string; error?: string };
        const results = await page.evaluate(() =>
          (globalThis as unknown as { runGradients(): Promise<Result[]> }).runGradients());
        const failed = results.filter((r) => r.state !== 'passed');
        expect(results.length, 'no check ran').to.be.at.least(6);
        expect(failed, failed.map((f) => `${f.title}: ${f.error ?? f.state}`).join('\n')).to.deep.equal([]);
      } finally {
        await page.close();
      }
    });
  }
});
