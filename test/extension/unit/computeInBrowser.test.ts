/**
 * The compute bundle's run (extension/webview/compute/run.ts, built into
 * dist/compute-bench.js) in headless Chromium, without VS Code: a lost WebGL
 * context ends the run at once with EGPULOST, whatever the core was doing;
 * and WebGPU, whose synchronous readback returns zeros on SwiftShader's
 * fallback adapter, gets a job's losses right through the core's
 * asynchronous reads. (The host side of both is tested
 * with a stand-in panel in webviewRunner.test.ts.)
 */
import * as assert from 'assert';
import { existsSync, readFileSync } from 'fs';
import { createServer, Server } from 'http';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const bundle = path.join(root, 'extension', 'dist', 'compute-bench.js');
const weights = path.join(root, 'packages', 'engine', 'weights', 'vgg19');

function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/b.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(bundle));
    else if (/^\/w\/[A-Za-z0-9._-]+$/.test(url)) res.writeHead(200).end(readFileSync(path.join(weights, url.slice(3))));
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<script src="/b.js"></script>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('the compute in a browser page (headless Chromium, software GPU)', function () {
  this.timeout(300_000);
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
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-gpu'] });
  });

  const shards = () => readFileSync(path.join(weights, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => {
    const [sha256, name] = l.split(/\s+/);
    return { name, sha256, url: `${origin}/w/${name}` };
  });
  const pixels = (side: number) => ({ width: side, height: side, data: Buffer.from(Array.from({ length: side * side * 3 }, (_, i) => (i * 7919) % 251)).toString('base64') });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('a lost WebGL context mid-run ends it at once with EGPULOST (never a hang)', async () => {
    const page = await browser.newPage();
    await page.goto(origin);
    const result = await page.evaluate(async ([weights, image]) => {
      type Message = { type: string; code?: string; message?: string };
      const bench = (globalThis as unknown as { neuralStyleBench: { runCompute(m: unknown, s: AbortSignal,
        post: (m: Message) => void): Promise<void>; loseGpu(b: string): void } }).neuralStyleBench;
      const seen: Message[] = [];
      let lostAt = 0;
      let endedAt = 0;
      let steps = 0;
      await new Promise<void>((resolve) => {
        void bench.runCompute({ type: 'compute', backend: 'webgl', weights, content: image, styles: [image], options: { size: 32, iterations: 300, multiScale: false, previewEvery: 0 } },
          new AbortController().signal, (m) => {
            if (m.type === 'computeProgress' && ++steps === 2) {
              lostAt = performance.now();
              bench.loseGpu('webgl');
            } else if (m.type !== 'computeProgress') {
              seen.push(m);
              if (m.type !== 'computeStarted' && m.type !== 'computePlan') {
                endedAt = performance.now();
                resolve();
              }
            }
          });
      });
      return { seen, steps, afterLossMs: endedAt - lostAt };
    }, [{ manifestUrl: `${origin}/w/model.json`, shards: shards() }, pixels(32)] as const);
    await page.close();
    const types = result.seen.map((m) => m.type);
    assert.deepStrictEqual(types, ['computeStarted', 'computePlan', 'computeFailed'], JSON.stringify(result));
    assert.strictEqual(result.seen[2].code, 'EGPULOST');
    assert.match(result.seen[2].message!, /^The GPU stopped during the run: WebGL context lost\. Nothing was written\.$/);
    assert.ok(result.afterLossMs < 10_000, `the run ended ${result.afterLossMs} ms after the loss`);
  });

  it('the memory setting holds in the webview too: a picture over it is refused before its first step', async () => {
    const page = await browser.newPage();
    await page.goto(origin);
    const seen = await page.evaluate(async ([weights, image]) => {
      type Message = { type: string; code?: string; message?: string };
      const bench = (globalThis as unknown as { neuralStyleBench: { runCompute(m: unknown, s: AbortSignal,
        post: (m: Message) => void): Promise<void> } }).neuralStyleBench;
      const messages: Message[] = [];
      await bench.runCompute({ type: 'compute', backend: 'webgl', weights, content: image, styles: [image], memory: 0.04,
        options: { size: 32, iterations: 2, multiScale: false, previewEvery: 0 } },
      new AbortController().signal, (m) => { messages.push({ type: m.type, code: m.code, message: m.message }); });
      return messages;
    }, [{ manifestUrl: `${origin}/w/model.json`, shards: shards() }, pixels(32)] as const);
    await page.close();
    assert.deepStrictEqual(seen.map((m) => m.type), ['computeStarted', 'computeFailed'], JSON.stringify(seen));
    assert.match(seen[1].message!, /needs about .* GB of memory at its peak .* more than the 0\.04 GB this run may use/,
      seen[1].message);
  });

  it('hands each finished scale but the last to the host, and a run given it starts at the next scale', async () => {
    type Seen = { type: string; scale?: number; steps?: number; image?: { width: number; height: number; data: string };
      progress?: { scale: number; step: number } };
    const page = await browser.newPage();
    await page.goto(origin);
    const run = (resume?: unknown) => page.evaluate(async ([weights, image, resumeFrom]) => {
      const bench = (globalThis as unknown as { neuralStyleBench: { runCompute(m: unknown, s: AbortSignal,
        post: (m: Seen) => void): Promise<void> } }).neuralStyleBench;
      const options = { size: 64, draftSize: 32, multiScale: true, iterations: 2, fineIterations: 1, previewEvery: 0 };
      const seen: Seen[] = [];
      await bench.runCompute({ type: 'compute', backend: 'webgl', weights, content: image, styles: [image], options,
        ...(resumeFrom ? { resume: resumeFrom } : {}) }, new AbortController().signal, (m) => { seen.push(m); });
      return seen;
    }, [{ manifestUrl: `${origin}/w/model.json`, shards: shards() }, pixels(64), resume] as const);
    const shape = (seen: Seen[]) => seen.flatMap((m) => {
      if (m.type === 'computeProgress') return [`progress ${m.progress!.scale}:${m.progress!.step}`];
      if (m.type === 'computeCheckpoint') return [`checkpoint ${m.scale}:${m.steps} ${m.image!.width}×${m.image!.height}`];
      return m.type === 'computePlan' || m.type === 'computeStarted' ? [] : [m.type];
    });
    const first = await run();
    const checkpoint = first.find((m) => m.type === 'computeCheckpoint')!;
    const again = await run({ fromScale: 2, steps: checkpoint.steps, image: checkpoint.image });
    await page.close();
    assert.deepStrictEqual(shape(first), ['progress 1:1', 'progress 1:2', 'checkpoint 1:2 32×32', 'progress 2:3',
      'computeDone']);
    assert.deepStrictEqual(shape(again), ['progress 2:3', 'computeDone']);
  });

  it('WebGPU (read back asynchronously) runs a job to the losses WebGL gets, on the same inputs and seed', async function () {
    const page = await browser.newPage();
    await page.goto(origin);
    const run = (backend: string) => page.evaluate(async ([backend, weights, image]) => {
      type Message = { type: string; code?: string; message?: string; losses?: { total: number } };
      const bench = (globalThis as unknown as { neuralStyleBench: { runCompute(m: unknown, s: AbortSignal,
        post: (m: Message) => void): Promise<void> } }).neuralStyleBench;
      let end: Message | undefined;
      await bench.runCompute({ type: 'compute', backend, weights, content: image, styles: [image], options: { size: 32, iterations: 4, multiScale: false, previewEvery: 0, seed: 5 } },
        new AbortController().signal, (m) => { if (m.type === 'computeDone' || m.type === 'computeFailed') end = m; });
      return end;
    }, [backend, { manifestUrl: `${origin}/w/model.json`, shards: shards() }, pixels(32)] as const);
    const webgpu = await run('webgpu');
    if (webgpu?.type === 'computeFailed' && webgpu.code === 'EGPU' && /did not start/.test(webgpu.message!)) {
      await page.close();
      if (process.env.CI === 'true') throw new Error(`WebGPU did not start: ${webgpu.message}`);
      console.log(`      skipped: this Chromium has no WebGPU adapter (${webgpu.message})`);
      this.skip();
    }
    const webgl = await run('webgl');
    await page.close();
    assert.strictEqual(webgpu?.type, 'computeDone', JSON.stringify(webgpu));
    assert.strictEqual(webgl?.type, 'computeDone', JSON.stringify(webgl));
    const [a, b] = [webgpu.losses!.total, webgl.losses!.total];
    assert.ok(a > 0 && Number.isFinite(a), `webgpu's loss ${a}`);
    assert.ok(Math.abs(a - b) <= 1e-3 * b, `webgpu ${a} vs webgl ${b}`);
  });
});
