/**
 * The engine core on the GPU in the job's panel (WebGPU, WebGL2), in the rig's
 * headless Chromium: both are software there (SwiftShader), which is slow but
 * exact enough to compare with the engine process's wasm run.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { waitFor as waitUntil } from './helpers';
import type { NeuralStyleApi } from '../../../extension/src/extension';
import type { JobFinish } from '../../../extension/src/testApi';
import type { FromWebview, ToWebview } from '../../../extension/shared/protocol';

const ws = process.env.NS_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const file = (name: string) => vscode.Uri.file(path.join(ws, name));
const config = () => vscode.workspace.getConfiguration('neuralStyle');
const SETTINGS = {
  size: 48, iterations: 4, multiScale: false, previewEvery: 2, previewSize: 32, openWhenDone: false, seed: 3,
  backend: 'wasm',
};

let api: NeuralStyleApi;
const traffic: Array<{ jobId: string; direction: string; message: ToWebview | FromWebview; at: number }> = [];
const finished: JobFinish[] = [];
const logLines: string[] = [];

/** The suite's jobs are small, but the machine may be busy. */
const waitFor = <T>(what: string, find: () => T | undefined, timeoutMs = 240_000) => waitUntil(what, find, timeoutMs);

const sentTo = (id: string) => traffic.filter((t) => t.jobId === id && t.direction === 'toWebview')
  .map((t) => t.message as ToWebview);
const finishOf = (id: string) => waitFor(`job ${id} to end`, () => finished.find((f) => f.id === id));
const linesOf = (id: string) => logLines.filter((l) => l.startsWith(`${id}:`));

/**
 * What a job's page did, for a failure's message: when each page said ready (and its generation), when the run
 * was posted, and the job's log lines. A page that never loads is told apart from a run that failed.
 */
function pageStory(id: string): string {
  const ofJob = traffic.filter((t) => t.jobId === id);
  const start = ofJob[0]?.at ?? Date.now();
  const events = ofJob.flatMap((t) => {
    const when = `+${((t.at - start) / 1000).toFixed(1)} s`;
    if (t.direction === 'fromWebview' && t.message.type === 'ready') return [`${when} ready (generation ${t.message.generation})`];
    if (t.direction === 'toWebview' && t.message.type === 'compute') return [`${when} compute posted`];
    return [];
  });
  const lines = logLines.filter((l) => l.includes(id));
  return [`panel of ${id}:`, ...(events.length ? events : ['no page said ready']), ...lines].join('\n  ');
}

/** The total loss of the last iteration (the result's: the last image evaluated is the result). */
function finalLoss(id: string, iterations = SETTINGS.iterations): number {
  const progress = sentTo(id).flatMap((m) => (m.type === 'progress' ? [m.progress] : []));
  assert.strictEqual(progress.at(-1)?.step, iterations, `job ${id} did not report its last step`);
  return progress.at(-1)!.losses.total;
}

/** The output path the job's panel was told (empty until the job started). */
const outputOf = (id: string) => sentTo(id)
  .flatMap((m) => (m.type === 'snapshot' && m.state.job.outputPath ? [m.state.job.outputPath] : [])).at(-1);

/**
 * What each backend's comparison runs: WebGPU's fallback adapter is far
 * slower than SwiftShader's WebGL (seconds per 32 px iteration), so it gets
 * a smaller job, compared with a wasm run of the same.
 */
const COMPARED = {
  webgl: { size: 48, iterations: 4, previewEvery: 2 }, webgpu: { size: 32, iterations: 2, previewEvery: 1 },
} as const;

async function withSettings<T>(settings: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
  for (const [k, v] of Object.entries(settings)) await config().update(k, v, vscode.ConfigurationTarget.Global);
  try {
    return await body();
  } finally {
    for (const k of Object.keys(settings)) {
      await config().update(k, (SETTINGS as Record<string, unknown>)[k], vscode.ConfigurationTarget.Global);
    }
  }
}

/**
 * Allowing the weights' folder reloads the panel's page (VS Code sets the content
 * anew): the run must go to the page that loaded last, never to one being replaced.
 */
function assertPostedToLastPage(id: string): void {
  const ofJob = traffic.filter((t) => t.jobId === id);
  const computeAt = ofJob.findIndex((t) => t.direction === 'toWebview' && t.message.type === 'compute');
  const readies = ofJob.flatMap((t, i) =>
    (t.direction === 'fromWebview' && t.message.type === 'ready' ? [{ i, generation: t.message.generation }] : []));
  const last = Math.max(...readies.map((r) => r.generation));
  assert.ok(computeAt >= 0, 'no compute message was sent');
  assert.ok(readies.some((r) => r.generation === last && r.i < computeAt),
    `the run was posted before the page of generation ${last} loaded`);
  assert.ok(!readies.some((r) => r.i > computeAt), 'the page reloaded after the run was posted');
}

const stylizeChelsea = () =>
  vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('chelsea.png'));
const secondIteration = (id: string) =>
  waitFor('the second iteration', () => sentTo(id).find((m) => m.type === 'progress' && m.progress.step >= 2));

async function stylize(backend: string): Promise<{ id: string; end: JobFinish }> {
  await config().update('backend', backend, vscode.ConfigurationTarget.Global);
  const [id] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('chelsea.png'));
  return { id, end: await finishOf(id) };
}

suite('Neural Style on the GPU in the webview', function () {
  this.timeout(300_000);
  const wasmLoss = { webgl: 0, webgpu: 0 };

  suiteSetup(async () => {
    api = await vscode.extensions.getExtension<NeuralStyleApi>('neural-style.neural-style')!.activate();
    api.panelTraffic((t) => traffic.push({ ...t, at: Date.now() }));
    api.jobs.onDidFinish((f) => finished.push(f));
    api.jobs.onDidLog((line) => logLines.push(line));
    for (const [k, v] of Object.entries(SETTINGS)) await config().update(k, v, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('neuralStyle.useAsStyle', file('starry.png'));
  });

  suiteTeardown(async () => {
    for (const k of Object.keys(SETTINGS)) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
  });

  test('the engine process\'s wasm runs: the references', async () => {
    for (const backend of ['webgl', 'webgpu'] as const) {
      const { end } = await withSettings(COMPARED[backend], () => stylize('wasm'));
      assert.strictEqual(end.outcome, 'done', end.message);
      wasmLoss[backend] = finalLoss(end.id, COMPARED[backend].iterations);
      assert.ok(wasmLoss[backend] > 0);
    }
  });

  for (const backend of ['webgl', 'webgpu'] as const) {
    const title = `${backend}: a result within 1e-3 relative total loss of wasm's, written by the host, `
      + 'the adapter named in the log and the panel';
    test(title, async () => {
      assert.ok(wasmLoss[backend] > 0, 'the wasm reference did not run');
      const { id, end } = await withSettings(COMPARED[backend], () => stylize(backend));
      assert.strictEqual(end.outcome, 'done', `${end.message}\n${pageStory(id)}`);
      assert.match(end.backend!, new RegExp(`^${backend}: .*SwiftShader`, 'i'));
      const bytes = fs.readFileSync(end.output!);
      assert.strictEqual(bytes.subarray(1, 4).toString('latin1'), 'PNG');
      assert.ok(!fs.readdirSync(ws).some((f) => f.endsWith('.tmp')), 'a temp file was left');
      const loss = finalLoss(id, COMPARED[backend].iterations);
      const relative = Math.abs(loss - wasmLoss[backend]) / wasmLoss[backend];
      const compared = `${backend} total loss ${loss} vs wasm ${wasmLoss[backend]}: `
        + `${relative.toExponential(2)} relative`;
      console.log(`      ${compared}`);
      assert.ok(relative < 1e-3, compared);
      assert.ok(linesOf(id).some((l) => l.includes(`running on ${backend}: `) && /SwiftShader/i.test(l)),
        linesOf(id).join('\n'));
      const done = sentTo(id).find((m) => m.type === 'done');
      assert.ok(done?.type === 'done' && done.done.backend === end.backend, 'the panel names the adapter');
      assert.ok(sentTo(id).some((m) => m.type === 'preview' && m.src.startsWith('data:image/png;base64,')),
        'no preview reached the panel');
      assertPostedToLastPage(id);
    });
  }

  test('webgl: a page that stays blank is set again, then shown in a new tab, and the run goes on there', async () => {
    const jobTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('neuralStyle.job'));
    const before = jobTabs().length;
    // The page the weights' folder loads and the one set again stay blank: only a new tab's page says ready.
    api.jobs.blankPages(2);
    try {
      const { id, end } = await withSettings(COMPARED.webgl, () => stylize('webgl'));
      assert.strictEqual(end.outcome, 'done', `${end.message}\n${pageStory(id)}`);
      assertPostedToLastPage(id);
      const generations = traffic.flatMap((t) =>
        (t.jobId === id && t.message.type === 'ready' ? [(t.message as { generation: number }).generation] : []));
      assert.ok(new Set(generations).size >= 3, `pages that said ready: ${generations.join(', ')}\n${pageStory(id)}`);
      const tries = logLines.filter((l) => l.startsWith(`panel ${id}: its page did not say ready`));
      assert.deepStrictEqual(tries.map((l) => /; (setting it again|opening it in a new tab) \(/.exec(l)?.[1]),
        ['setting it again', 'opening it in a new tab'], pageStory(id));
      assert.strictEqual(jobTabs().length, before + 1, 'the blank tab was not closed, or no new one opened');
    } finally {
      api.jobs.blankPages(0);
    }
  });

  test('webgl: cancel mid-run stops within an iteration, leaves no file, and the panel says cancelled', async () => {
    await config().update('iterations', 300, vscode.ConfigurationTarget.Global);
    try {
      await config().update('backend', 'webgl', vscode.ConfigurationTarget.Global);
      const [id] = await stylizeChelsea();
      await secondIteration(id);
      const output = outputOf(id)!;
      const t0 = Date.now();
      assert.strictEqual(await vscode.commands.executeCommand('neuralStyle.cancel', id), true);
      const end = await finishOf(id);
      assert.strictEqual(end.outcome, 'cancelled');
      assert.ok(Date.now() - t0 < 10_000, `cancel took ${Date.now() - t0} ms`);
      assert.ok(output && !fs.existsSync(output), `a cancelled job wrote ${output}`);
      assert.ok(sentTo(id).some((m) => m.type === 'status' && m.status === 'cancelled'));
    } finally {
      await config().update('iterations', SETTINGS.iterations, vscode.ConfigurationTarget.Global);
    }
  });

  const lostTitle = 'webgl: a GPU lost mid-run ends the job at once with EGPULOST, writes nothing, '
    + 'and the panel says it failed';
  test(lostTitle, async () => {
    await withSettings({ iterations: 300, backend: 'webgl' }, async () => {
      const [id] = await stylizeChelsea();
      await secondIteration(id);
      const output = outputOf(id)!;
      const t0 = Date.now();
      api.jobs.loseGpu(id);
      const end = await finishOf(id);
      assert.strictEqual(end.outcome, 'error', JSON.stringify(end));
      assert.strictEqual(end.code, 'EGPULOST', JSON.stringify(end));
      // The page hears of the loss between two GPU calls: within an iteration
      // (seconds here, on software and a busy machine).
      const steps = sentTo(id).flatMap((m) => (m.type === 'progress' ? [m.progress.elapsedMs] : []));
      const iterationMs = Math.max(...steps.slice(1).map((ms, i) => ms - steps[i]));
      const bound = Math.max(10_000, 2 * iterationMs);
      assert.ok(Date.now() - t0 < bound,
        `the job ended ${Date.now() - t0} ms after the loss (an iteration took ${iterationMs} ms)`);
      assert.ok(output && !fs.existsSync(output), `a job whose GPU was lost wrote ${output}`);
      assert.ok(!fs.readdirSync(ws).some((f) => f.endsWith('.tmp')), 'a temp file was left');
      const failed = sentTo(id).find((m) => m.type === 'failed');
      const lost = /^The GPU stopped during the run: WebGL context lost\. Nothing was written\./;
      assert.ok(failed?.type === 'failed' && lost.test(failed.message), JSON.stringify(failed));
      assert.ok(!sentTo(id).some((m) => m.type === 'done'), 'the panel was told the job was done');
    });
  });

  test('auto on software adapters (SwiftShader) runs on wasm and the log says why each GPU was skipped', async () => {
    const { id, end } = await stylize('auto');
    assert.strictEqual(end.outcome, 'done', end.message);
    assert.strictEqual(end.backend, 'wasm');
    const route = linesOf(id).find((l) => l.includes('runs in the engine process'));
    assert.ok(route, linesOf(id).join('\n'));
    // The engine's WebGPU (Dawn) is asked first: the rig has no GPU for it either.
    const skipped = 'skipped tfjs-node-gpu: [^;]+; webgpu in the engine: [^;]+; '
      + 'webgpu: .*(fallback|software).*slower than wasm; webgl: .*SwiftShader.*slower than wasm';
    assert.match(route, new RegExp(skipped));
  });
});
