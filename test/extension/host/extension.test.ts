/**
 * Integration tests in a real extension host: the commands run on fixture
 * images (32 px, a few iterations) through the real engine process.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { greyPng, waitFor as waitUntil } from './helpers';
import type { NeuralStyleApi } from '../../../extension/src/extension';
import type { FromWebview, ToWebview } from '../../../extension/shared/protocol';
import type { Controls } from '../../../extension/shared/controls';
import { readPngText, withPngText } from '../../../packages/engine/src/node/png-text';
import { formatResultParameters, type ResultParameters } from '../../../packages/engine/src/result-parameters';
import { validateOptions } from '../../../packages/engine/src/core/validate';

const ws = process.env.NS_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const file = (name: string) => vscode.Uri.file(path.join(ws, name));
const config = () => vscode.workspace.getConfiguration('neuralStyle');

type Traffic = { jobId: string; direction: 'toWebview' | 'fromWebview'; message: ToWebview | FromWebview };
type Finish = { id: string; outcome: string; output?: string; message?: string };

let api: NeuralStyleApi;
const traffic: Traffic[] = [];
const finished: Finish[] = [];
const enginePids = new Set<number>();
/** Panels that later tests run again: the first done job's, the cancelled job's. */
let doneJob = '';
let cancelledJob = '';
/** The panel Open in Neural Style Panel opened on a copy of the first result (another panel of its photo). */
let openedPanel = '';

/** The suite's jobs are small, but the machine may be busy. */
const waitFor = <T>(what: string, find: () => T | undefined, timeoutMs = 90_000) => waitUntil(what, find, timeoutMs);

/** The PNGs in `folders` whose parameters chunk names `photo`: the results a panel of it must list. */
function photoResults(photo: string, folders: string[]): string[] {
  const namesIt = (f: string) => {
    try {
      return JSON.parse(readPngText(fs.readFileSync(f))['neural-style'] ?? '{}').content === photo;
    } catch {
      return false; // no PNG, or no chunk
    }
  };
  return folders.flatMap((dir) => fs.readdirSync(dir).filter((name) => name.endsWith('.png'))
    .map((name) => path.join(dir, name)).filter(namesIt));
}

const finishOf = (id: string) => waitFor(`job ${id} to end`, () => finished.find((f) => f.id === id));
const messagesOf = (id: string, direction: Traffic['direction']) => traffic.filter((t) => t.jobId === id && t.direction === direction).map((t) => t.message);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function setSettings(values: Record<string, unknown>, target = vscode.ConfigurationTarget.Global): Promise<void> {
  for (const [k, v] of Object.entries(values)) await config().update(k, v, target);
}

suite('Neural Style in VS Code', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<NeuralStyleApi>('neural-style.neural-style');
    assert.ok(ext, 'extension not found');
    api = await ext.activate();
    api.panelTraffic((t) => traffic.push(t));
    api.jobs.onDidFinish((f) => finished.push(f));
    // Sample the engine pids while jobs run, to check later that none is left.
    setInterval(() => api.liveEnginePids().forEach((p) => enginePids.add(p)), 20).unref();
    // No warm engine but in its own test: the others check that a job's process is gone when it ends.
    await setSettings({ size: 32, iterations: 4, multiScale: false, previewEvery: 2, previewSize: 32,
      openWhenDone: false, engineIdleMinutes: 0 });
  });

  suiteTeardown(async () => {
    for (const k of ['size', 'iterations', 'multiScale', 'previewEvery', 'previewSize', 'openWhenDone', 'enginePath', 'engineIdleMinutes']) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
  });

  test('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['neuralStyle.stylize', 'neuralStyle.stylizeWithLastStyle', 'neuralStyle.useAsStyle', 'neuralStyle.cancel', 'neuralStyle.stylizeAgain', 'neuralStyle.openInPanel', 'neuralStyle.stylizeFolder']) {
      assert.ok(commands.includes(c), `${c} missing`);
    }
  });

  test('stylizes an image to completion: output file, panel messages, no process left', async () => {
    const style = await vscode.commands.executeCommand<{ id: string }>('neuralStyle.useAsStyle', file('starry.png'));
    assert.strictEqual(style.id, 'starry');
    const [id] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('chelsea.png'));
    doneJob = id;
    const result = await finishOf(id);
    assert.strictEqual(result.outcome, 'done', result.message);
    const output = path.join(ws, 'chelsea.starry.png');
    assert.strictEqual(result.output, output);
    const bytes = fs.readFileSync(output);
    assert.deepStrictEqual([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG');

    const sent = messagesOf(id, 'toWebview') as ToWebview[];
    const progress = sent.flatMap((m) => (m.type === 'progress' ? [m.progress] : []));
    assert.deepStrictEqual(progress.map((p) => p.step), [1, 2, 3, 4]);
    assert.ok(progress.every((p) => p.totalSteps === 4 && p.losses.style > 0 && p.backend.length > 0));
    const previews = sent.filter((m) => m.type === 'preview');
    assert.ok(previews.length >= 2, `expected previews every 2 steps, got ${previews.length}`);
    assert.ok(previews.every((m) => m.type === 'preview' && m.src.startsWith('data:image/png;base64,')));
    const done = sent.find((m) => m.type === 'done');
    assert.ok(done && done.type === 'done' && done.done.outputName === 'chelsea.starry.png' && done.done.steps === 4);
    // The webview loaded under its CSP, ran its script and asked for the state.
    await waitFor('the webview to say ready', () => messagesOf(id, 'fromWebview').find((m) => m.type === 'ready'), 30_000);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
    assert.ok(tabs.includes('chelsea.png · starry.png'), `the panel's tab names the photo and the style: ${tabs.join(', ')}`);
    assert.deepStrictEqual(api.liveEnginePids(), []);
    assert.ok(enginePids.size > 0, 'no engine process was seen');
    for (const pid of enginePids) assert.ok(!alive(pid), `engine process ${pid} is still alive`);
  });

  test('multi-select queues each image as a batch: a taken name gets -1, a batch ETA (in each panel too), one result editor', async () => {
    await setSettings({ openWhenDone: true });
    const batchLines = new Set<string>();
    const sampler = setInterval(() => api.jobs.batchStatus && batchLines.add(api.jobs.batchStatus), 20);
    const ids = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('chelsea.png'), [file('chelsea.png'), file('chelsea-copy.png')]);
    assert.strictEqual(ids.length, 2);
    assert.strictEqual(api.jobs.queue.position(ids[1]), 1, 'the second job waits for the first');
    const [a, b] = await Promise.all(ids.map(finishOf)).finally(() => clearInterval(sampler));
    await setSettings({ openWhenDone: false });
    const lines = [...batchLines];
    assert.ok(lines.some((l) => /^0 of 2 made, 2 to go, about \d+:\d\d left for the batch$/.test(l)), `the batch's ETA while the first photo ran: ${lines.join(' | ')}`);
    assert.ok(lines.some((l) => l.startsWith('1 of 2 made, 1 to go')), `the batch's progress while the second ran: ${lines.join(' | ')}`);
    const isResult = (t: vscode.Tab) =>
      t.input instanceof vscode.TabInputCustom && [a.output, b.output].includes(t.input.uri.fsPath);
    const openResults = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(isResult);
    const [opened] = await waitFor('the batch\'s result editor', () => (openResults().length ? openResults() : undefined), 10_000);
    assert.strictEqual((opened.input as vscode.TabInputCustom).uri.fsPath, a.output, 'the first result opens');
    // One group for the panels, and the result in it: not a group per panel or per result.
    const isPanel = (t: vscode.Tab) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('neuralStyle.job');
    const panelGroups = vscode.window.tabGroups.all.filter((g) => g.tabs.some(isPanel)).map((g) => g.viewColumn);
    assert.deepStrictEqual(panelGroups, [opened.group.viewColumn], 'the panels and the result share one group');
    await new Promise((r) => setTimeout(r, 500));
    assert.strictEqual(openResults().length, 1, 'one result editor for the batch');
    await vscode.window.tabGroups.close(openResults());
    assert.strictEqual(a.output, path.join(ws, 'chelsea.starry-1.png'));
    assert.strictEqual(b.output, path.join(ws, 'chelsea-copy.starry.png'));
    assert.ok(fs.existsSync(a.output!) && fs.existsSync(b.output!));
    assert.ok(fs.statSync(path.join(ws, 'chelsea.starry.png')).size > 0, 'the first result is still there');
    const statuses = (messagesOf(ids[1], 'toWebview') as ToWebview[]).filter((m) => m.type === 'status').map((m) => m.type === 'status' && m.status);
    assert.strictEqual(statuses[0], 'queued');
    // Each panel says which photo of the batch it is and how the batch goes, up to its end.
    const told = (messagesOf(ids[1], 'toWebview') as ToWebview[]).flatMap((m) => (m.type === 'batch' ? [m.batch] : []));
    assert.ok(told.some((t) => t.made === 0 && t.etaMs !== undefined), `the waiting photo's panel heard the batch's ETA: ${JSON.stringify(told)}`);
    const over = { total: 2, made: 2, failed: 0, cancelled: 0 };
    assert.deepStrictEqual(ids.map((id) => api.jobs.stateOf(id)?.batch),
      [{ index: 1, ...over }, { index: 2, ...over }]);
  });

  test('a BMP (which sharp cannot read) is stylized too', async () => {
    const [id] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('tiny.bmp'));
    const result = await finishOf(id);
    assert.strictEqual(result.outcome, 'done', result.message);
    assert.strictEqual(result.output, path.join(ws, 'tiny.starry.png'));
    assert.ok(fs.statSync(result.output!).size > 0);
  });

  test('cancel ends the job within 2 s, writes nothing, and keeps the engine warm for the next', async () => {
    // Kept warm after its job (the suite's other tests stop it at once, to see that none is left).
    await setSettings({ size: 64, iterations: 500, engineIdleMinutes: 1 });
    try {
      const [id] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('chelsea-copy.png'));
      cancelledJob = id;
      await waitFor('the first progress', () => messagesOf(id, 'toWebview').find((m) => m.type === 'progress'));
      const pids = api.liveEnginePids();
      assert.strictEqual(pids.length, 1);
      const t0 = Date.now();
      assert.strictEqual(await vscode.commands.executeCommand('neuralStyle.cancel', id), true);
      const result = await finishOf(id);
      const ms = Date.now() - t0;
      assert.strictEqual(result.outcome, 'cancelled');
      assert.ok(ms < 2000, `cancel took ${ms} ms`);
      // Cancelled within the process: it answers between iterations and stays up, so the next job starts warm.
      assert.ok(alive(pids[0]), 'the cancel killed the warm engine');
      assert.deepStrictEqual(api.liveEnginePids(), pids);
      assert.ok(!fs.existsSync(path.join(ws, 'chelsea-copy.starry-1.png')), 'a cancelled job wrote a file');
      assert.ok(!fs.readdirSync(ws).some((f) => f.endsWith('.tmp')), 'a temp file was left');
      assert.ok((messagesOf(id, 'toWebview') as ToWebview[]).some((m) => m.type === 'status' && m.status === 'cancelled'));
    } finally {
      await setSettings({ size: 32, iterations: 4, engineIdleMinutes: 0 });
    }
  });

  test('an engine killed mid-job is shown as an error, leaves no temp file, and the next job works', async () => {
    await setSettings({ size: 64, iterations: 500 });
    let killed: string;
    try {
      [killed] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('chelsea-copy.png'));
      await waitFor('the first progress', () => messagesOf(killed, 'toWebview').find((m) => m.type === 'progress'));
      const [pid] = api.liveEnginePids();
      process.kill(pid, 'SIGKILL');
      const result = await finishOf(killed);
      assert.strictEqual(result.outcome, 'crashed');
      assert.match(result.message!, /stopped unexpectedly \(signal SIGKILL\)/);
      assert.ok((messagesOf(killed, 'toWebview') as ToWebview[]).some((m) => m.type === 'failed'), 'the panel shows the failure');
      assert.ok(!fs.readdirSync(ws).some((f) => f.endsWith('.tmp')), 'a temp file was left');
    } finally {
      await setSettings({ size: 32, iterations: 4 });
    }
    const [next] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('tiny.bmp'));
    assert.strictEqual((await finishOf(next)).outcome, 'done');
  });

  test('an invalid setting fails the job with a message naming the setting', async () => {
    await setSettings({ size: 5 });
    try {
      const [id] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('chelsea.png'));
      const result = await finishOf(id);
      assert.strictEqual(result.outcome, 'invalid');
      assert.match(result.message!, /^Setting neuralStyle\.size: invalid value 5\. Use an integer at least 16 and at most 8192\.$/);
      assert.ok((messagesOf(id, 'toWebview') as ToWebview[]).some((m) => m.type === 'failed' && m.message.includes('neuralStyle.size')));
    } finally {
      await setSettings({ size: 32 });
    }
  });

  test('an engine that crashes is reported as such', async () => {
    const crash = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ns-crash-')), 'worker.js');
    fs.writeFileSync(crash, 'process.stderr.write("boom\\n"); process.exit(3);\n');
    await setSettings({ enginePath: crash });
    try {
      const [id] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('chelsea.png'));
      const result = await finishOf(id);
      assert.strictEqual(result.outcome, 'crashed');
      assert.match(result.message!, /stopped unexpectedly \(exit code 3\).*boom/);
    } finally {
      await setSettings({ enginePath: undefined });
      fs.rmSync(path.dirname(crash), { recursive: true, force: true });
    }
  });

  test('a panel restored after a reload shows its saved state, its job interrupted', async () => {
    const saved = {
      job: { id: 'earlier-1', contentName: 'chelsea.png', styleName: 'starry', contentSrc: '', styleSrc: '', contentPath: path.join(ws, 'chelsea.png'),
        stylePath: path.join(ws, 'starry.png'), outputPath: '', status: 'running' },
      losses: [[1, 1, 2, 3]],
      history: [path.join(ws, 'chelsea.starry.png'), '/etc/passwd', path.join(ws, 'gone.starry.png')].map((outputPath) => ({
        outputPath, outputSrc: '', outputName: path.basename(outputPath), elapsedMs: 1, steps: 4, backend: 'wasm' })),
    };
    const panel = vscode.window.createWebviewPanel('neuralStyle.job', 'restored', vscode.ViewColumn.One);
    api.jobs.revivePanel(panel, saved);
    const snapshot = await waitFor('the restored panel\'s snapshot', () => messagesOf('earlier-1', 'toWebview').find((m) => m.type === 'snapshot'), 30_000);
    assert.ok(snapshot.type === 'snapshot');
    assert.strictEqual(snapshot.state.job.status, 'interrupted');
    assert.deepStrictEqual(snapshot.state.losses, [[1, 1, 2, 3, 0]], 'a row saved without its total gets 0 (unknown)');
    assert.ok(snapshot.state.job.contentSrc.length > 0, 'the panel gives its images webview URIs');
    // A saved run is kept only when its result is there: a path in saved data must not widen what the webview may read.
    assert.strictEqual(snapshot.state.history?.[0].outputPath, path.join(ws, 'chelsea.starry.png'));
    const names = snapshot.state.history?.map((r) => r.outputName) ?? [];
    assert.ok(!names.includes('passwd') && !names.includes('gone.starry.png'), names.join());
    // Then the photo's results join it: each once, the saved run (with no time) first.
    await api.jobs.historyFilled();
    const listed = api.jobs.stateOf('earlier-1')?.history?.map((r) => r.outputPath) ?? [];
    assert.deepStrictEqual([...listed].sort(), photoResults('chelsea.png', [ws]).sort());
    assert.strictEqual(listed[0], path.join(ws, 'chelsea.starry.png'));
    assert.ok(snapshot.state.history?.[0].outputSrc, 'a run\'s thumbnail gets its webview URI');
    assert.strictEqual(snapshot.state.controls?.size, 32, 'a state saved without controls gets the settings\' values');
    panel.dispose();

    const broken = vscode.window.createWebviewPanel('neuralStyle.job', 'broken', vscode.ViewColumn.One);
    let closed = false;
    broken.onDidDispose(() => { closed = true; });
    api.jobs.revivePanel(broken, { ...saved, job: { ...saved.job, status: 'exploded' } });
    assert.ok(closed, 'a panel whose saved state is not one is closed');
  });

  test('Stylize Again with Its Parameters remakes a result from its PNG alone: the same bytes, whatever the settings say now', async () => {
    // The result, moved away from its photo: the photo and the style are found by name in the workspace.
    const moved = path.join(ws, 'again', 'chelsea.starry.png');
    fs.mkdirSync(path.dirname(moved), { recursive: true });
    fs.copyFileSync(path.join(ws, 'chelsea.starry.png'), moved);
    await setSettings({ iterations: 2, seed: 9, styleWeight: 5 });
    try {
      const id = await vscode.commands.executeCommand<string>('neuralStyle.stylizeAgain', vscode.Uri.file(moved));
      // Its panel lists the photo's results made before, by other panels: those beside the photo at once, the moved
      // one's (a folder new to the panel, whose page would reload) once the run has ended.
      await api.jobs.historyFilled();
      const listed = () => api.jobs.stateOf(id)?.history?.map((run) => run.outputPath) ?? [];
      const beside = photoResults('chelsea.png', [ws]);
      assert.ok(beside.length > 0 && beside.every((f) => listed().includes(f)), listed().join());
      const result = await finishOf(id);
      assert.deepStrictEqual([...listed()].sort(), photoResults('chelsea.png', [ws, path.dirname(moved)]).sort());
      assert.ok(listed().includes(moved) && listed().includes(result.output!), listed().join());
      assert.strictEqual(result.outcome, 'done', result.message);
      assert.notStrictEqual(result.output, path.join(ws, 'chelsea.starry.png'), 'it wrote over the first result');
      // The picture's own options (4 iterations, seed 0), the same backend: byte for byte the same picture.
      assert.ok(fs.readFileSync(result.output!).equals(fs.readFileSync(moved)), `${result.output} differs from the picture it was made again from`);
      fs.rmSync(result.output!);
    } finally {
      fs.rmSync(path.dirname(moved), { recursive: true, force: true });
      for (const k of ['iterations', 'seed', 'styleWeight']) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
      await setSettings({ iterations: 4 });
    }
  });

  test('a picture without parameters is refused by name, before any job', async () => {
    const before = api.jobs.queue.queued.length + (api.jobs.queue.running ? 1 : 0);
    const id = await vscode.commands.executeCommand<string | undefined>('neuralStyle.stylizeAgain', file('chelsea.png'));
    assert.strictEqual(id, undefined);
    assert.strictEqual(api.jobs.queue.queued.length + (api.jobs.queue.running ? 1 : 0), before);
  });

  /**
   * Stylize Again of a picture made with `made` (a result's parameters, in a PNG of the photo's pixels, which has none
   * of its own) at `name` in a folder of its own (or `beside` its photo): refused, no job queued.
   */
  async function refusedAgain(name: string, made: Partial<Pick<ResultParameters, 'masks' | 'styleMasks' | 'clip'>>,
    beside = false): Promise<void> {
    const painted = beside ? path.join(ws, name) : path.join(ws, path.parse(name).name, name);
    fs.mkdirSync(path.dirname(painted), { recursive: true });
    const photo = fs.readFileSync(path.join(ws, 'chelsea.png'));
    assert.strictEqual(readPngText(photo)['neural-style'], undefined);
    const parameters = formatResultParameters({ content: 'chelsea.png', styles: ['van_gogh_starry_night.jpg'],
      ...made, backend: 'wasm', steps: 4, options: validateOptions({ size: 64 }) });
    fs.writeFileSync(painted, withPngText(photo, 'neural-style', parameters));
    const before = api.jobs.queue.queued.length + (api.jobs.queue.running ? 1 : 0);
    try {
      const id = await vscode.commands.executeCommand<string | undefined>('neuralStyle.stylizeAgain',
        vscode.Uri.file(painted));
      assert.strictEqual(id, undefined);
      assert.strictEqual(api.jobs.queue.queued.length + (api.jobs.queue.running ? 1 : 0), before);
    } finally {
      fs.rmSync(beside ? painted : path.dirname(painted), { recursive: true, force: true });
    }
  }

  test('a picture painted in regions whose mask is not beside its photo is refused, naming the mask, before any job', async () => {
    await refusedAgain('chelsea.regions.png', { masks: ['sky.png'] });
  });

  test('a picture whose style came from a part of its painting (a style mask) is refused, before any job', async () => {
    await refusedAgain('chelsea.part.png', { styleMasks: ['sky.png'] });
  });

  test('a frame of a clip is refused, before any job, though its photo is beside it', async () => {
    // Beside its "photo" (a frame's chunk names the clip's source): without the refusal, a still would be queued.
    await refusedAgain('frame_00002.png', { clip: { frame: 2, frames: 3, temporalWeight: 1000 } }, true);
  });

  test('Open in Neural Style Panel shows a result with its parameters, ready to run again, and queues nothing', async () => {
    // A copy away from its photo, which no panel shows yet.
    const result = path.join(ws, 'opened', 'chelsea.starry.png');
    fs.mkdirSync(path.dirname(result), { recursive: true });
    fs.copyFileSync(path.join(ws, 'chelsea.starry.png'), result);
    const chunk = JSON.parse(readPngText(fs.readFileSync(result))['neural-style']);
    const busy = () => api.jobs.queue.queued.length + (api.jobs.queue.running ? 1 : 0);
    const before = busy();
    const id = await vscode.commands.executeCommand<string>('neuralStyle.openInPanel', vscode.Uri.file(result));
    openedPanel = id;
    await api.jobs.historyFilled();
    const state = api.jobs.stateOf(id);
    assert.ok(state, 'no panel state');
    assert.deepStrictEqual([state.job.status, state.job.contentPath, state.done?.outputName], ['done', path.join(ws, 'chelsea.png'), 'chelsea.starry.png']);
    assert.deepStrictEqual([state.controls?.styleWeight, state.controls?.iterations, state.controls?.seed],
      [chunk.styleWeight, chunk.iterations, chunk.seed]);
    // The chart from the picture's loss trace: one point per iteration it ran.
    assert.deepStrictEqual(state.losses, chunk.losses);
    assert.deepStrictEqual(state.losses.map(([step]) => step), [1, 2, 3, 4]);
    // Its history is the photo's: every result of chelsea.png in its folder and in this one, whichever panel made it.
    const expected = photoResults('chelsea.png', [ws, path.dirname(result)]);
    assert.ok(expected.length >= 2 && expected.includes(path.join(ws, 'chelsea.starry.png')), expected.join());
    const listed = state.history?.map((run) => run.outputPath) ?? [];
    assert.deepStrictEqual([...listed].sort(), expected.sort());
    const times = state.history?.map((run) => run.finishedAt ?? 0) ?? [];
    assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]), 'oldest first');
    assert.strictEqual(busy(), before, 'a job was queued');
    await waitFor('the panel to show it', () => messagesOf(id, 'toWebview').find((m) => m.type === 'snapshot' && m.state.done?.outputSrc));
    const panels = api.jobs.panelCount();
    assert.strictEqual(await vscode.commands.executeCommand<string>('neuralStyle.openInPanel', vscode.Uri.file(result)), id, 'opened twice');
    assert.strictEqual(api.jobs.panelCount(), panels);
    // The result of the first job: its panel comes to the front.
    assert.strictEqual(await vscode.commands.executeCommand<string>('neuralStyle.openInPanel', file('chelsea.starry.png')), doneJob);
  });

  test('a folder of 3 images, one unreadable: it is left out when the batch is queued, the other 2 are made', async () => {
    const folder = path.join(ws, 'batch');
    fs.mkdirSync(folder, { recursive: true });
    for (const name of ['a.png', 'c.png']) fs.copyFileSync(path.join(ws, 'chelsea.png'), path.join(folder, name));
    fs.writeFileSync(path.join(folder, 'b.png'), 'not a picture');
    try {
      const ids = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeFolder', vscode.Uri.file(folder), file('starry.png'));
      assert.strictEqual(ids.length, 2, 'b.png is not queued');
      assert.deepStrictEqual(ids.map((id) => api.jobs.stateOf(id)?.job.contentName), ['a.png', 'c.png']);
      const ends = await Promise.all(ids.map(finishOf));
      assert.deepStrictEqual(ends.map((e) => e.outcome), ['done', 'done'], JSON.stringify(ends));
      assert.deepStrictEqual(ids.map((id) => api.jobs.stateOf(id)?.batch?.total), [2, 2]);
      assert.deepStrictEqual(fs.readdirSync(folder).sort(), ['a.png', 'a.starry.png', 'b.png', 'c.png', 'c.starry.png']);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  /** The controls the panel of `id` was last sent (from the settings, then what ran). */
  const controlsOf = (id: string) => (messagesOf(id, 'toWebview') as ToWebview[]).flatMap((m) => (m.type === 'snapshot' && m.state.controls ? [m.state.controls] : [])).pop();
  /**
   * Where a test starts, and the next job of its own to end: a job of an earlier test (one that timed out, say) may
   * still end after it.
   */
  const mark = () => ({ seen: finished.length, earlier: new Set(api.jobs.jobStates.map((s) => s.job.id)) });
  const nextFinish = ({ seen, earlier }: ReturnType<typeof mark>) =>
    waitFor('the next job to end', () => finished.slice(seen).find((f) => !earlier.has(f.id)));

  test('the panel\'s style strength → Run again: a second result beside the first, with the new weight in its PNG chunk, in the same panel', async () => {
    const a = finished.find((f) => f.id === doneJob);
    assert.ok(a?.output, 'the first test\'s job is done');
    const ran = controlsOf(doneJob);
    assert.ok(ran && ran.size === 32 && ran.iterations === 4, 'the panel\'s controls start from the settings');
    const panels = api.jobs.panelCount();
    const seen = mark();
    const tweaked: Controls = { ...ran, size: 48, styleWeight: 20000 };
    api.jobs.receiveFromPanel(doneJob, { type: 'runAgain', controls: tweaked });
    const b = await nextFinish(seen);
    assert.strictEqual(b.outcome, 'done', b.message);
    assert.notStrictEqual(b.output, a.output, 'a new name, not the first result');
    assert.strictEqual(path.dirname(b.output!), path.dirname(a.output));
    assert.ok(fs.existsSync(a.output), 'the first result is still there');
    const chunk = JSON.parse(readPngText(fs.readFileSync(b.output!))['neural-style']);
    assert.deepStrictEqual([chunk.styleWeight, chunk.size], [20000, 48]);
    assert.strictEqual(JSON.parse(readPngText(fs.readFileSync(a.output))['neural-style']).styleWeight, ran.styleWeight);
    assert.strictEqual(api.jobs.panelCount(), panels, 'the same panel shows the new run');
    assert.ok((messagesOf(b.id, 'toWebview') as ToWebview[]).some((m) => m.type === 'done'), 'the new run is shown in the panel');
    // The panel's history is the photo's: its two runs last, and every other result of chelsea.png other panels made.
    await api.jobs.historyFilled();
    const history = api.jobs.stateOf(b.id)?.history ?? [];
    const listed = history.map((r) => r.outputPath);
    assert.ok(listed.includes(a.output), listed.join());
    assert.strictEqual(listed.at(-1), b.output);
    assert.deepStrictEqual([...listed].sort(), photoResults('chelsea.png', [ws]).sort(), 'each result once, none gone');
    assert.strictEqual(history.at(-1)?.controls?.styleWeight, 20000);
    // Another open panel of the photo lists the new result too.
    assert.ok(api.jobs.stateOf(openedPanel)?.history?.some((r) => r.outputPath === b.output), 'the opened panel');
    // Outside values are checked by the engine's checks; nothing runs.
    api.jobs.receiveFromPanel(b.id, { type: 'runAgain', controls: { ...tweaked, size: 5 } });
    assert.strictEqual(api.jobs.stateOf(b.id)?.job.status, 'done');
  });

  test('cancel → Run again works, in the same panel', async () => {
    assert.strictEqual(finished.find((f) => f.id === cancelledJob)?.outcome, 'cancelled');
    const seen = mark();
    api.jobs.receiveFromPanel(cancelledJob, { type: 'runAgain', controls: { ...controlsOf(cancelledJob)!, size: 32, iterations: 4 } });
    const again = await nextFinish(seen);
    assert.strictEqual(again.outcome, 'done', again.message);
    assert.ok(fs.statSync(again.output!).size > 0);
    // Its run joins the photo's results (the batch's chelsea-copy.starry.png among them), as the newest.
    await api.jobs.historyFilled();
    const listed = api.jobs.stateOf(again.id)?.history?.map((r) => r.outputPath) ?? [];
    assert.strictEqual(listed.at(-1), again.output);
    assert.deepStrictEqual([...listed].sort(), photoResults('chelsea-copy.png', [ws]).sort());
  });

  test('Save as defaults writes the panel\'s values to the settings the user picks', async () => {
    const { id } = finished[finished.length - 1]; // the last test's panel
    const scaleDefault = config().inspect<number>('styleScale')!.defaultValue!;
    const controls: Controls = { ...api.jobs.stateOf(id)!.controls!, styleWeight: 4200, seed: 11,
      styleScale: scaleDefault };
    try {
      api.jobs.receiveFromPanel(id, { type: 'saveDefaults', controls });
      // The quick pick offers the user's settings first: accept it once it shows.
      await waitFor('the user settings to be written', () => {
        // The seed is written last.
        if (config().inspect('seed')?.globalValue === 11) return true;
        void vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return undefined;
      }, 15_000);
      assert.strictEqual(config().inspect('styleWeight')?.globalValue, 4200);
      assert.strictEqual(config().inspect('styleWeight')?.workspaceValue, undefined);
      assert.strictEqual(config().inspect('styleScale')?.globalValue, undefined, 'a value equal to the default is not written');
    } finally {
      for (const k of ['styleWeight', 'styleScale', 'init', 'seed', 'preserveColors', 'seamless', 'size', 'iterations']) {
        await config().update(k, undefined, vscode.ConfigurationTarget.Global);
      }
      await setSettings({ size: 32, iterations: 4 });
    }
  });

  test('a second style with a blend: Run again at 50 % writes a picture whose chunk names both styles and the weights; Stylize Again makes the blend again', async function () {
    this.timeout(120_000);
    await api.jobs.queue.idle();
    // One warm engine for the three jobs; the last one's ends with it.
    await setSettings({ iterations: 2, engineIdleMinutes: 1 });
    try {
      await vscode.commands.executeCommand('neuralStyle.useAsStyle', file('starry.png'));
      const [first] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('chelsea.png'));
      assert.strictEqual((await finishOf(first)).outcome, 'done');
      const { controls, styleChoices = [], job } = api.jobs.stateOf(first)!;
      const wave = styleChoices.findIndex((c) => path.basename(c.path) === 'hokusai_great_wave.jpg');
      assert.ok(wave >= 0, `the presets are offered as a second style: ${styleChoices.map((c) => c.label).join(', ')}`);
      assert.ok(!styleChoices.some((c) => c.path === job.stylePath), 'the first style is not offered again');
      // An index the panel never offered: refused, nothing runs.
      api.jobs.receiveFromPanel(first, { type: 'runAgain', controls, secondStyle: { choice: styleChoices.length, blend: 50 } });
      assert.strictEqual(api.jobs.stateOf(first)?.job.status, 'done');
      const seen = mark();
      api.jobs.receiveFromPanel(first, { type: 'runAgain', controls, secondStyle: { choice: wave, blend: 50 } });
      const blend = await nextFinish(seen);
      assert.strictEqual(blend.outcome, 'done', blend.message);
      assert.match(path.basename(blend.output!), /^chelsea\.starry\+hokusai_great_wave(-\d+)?\.png$/);
      const chunkOf = (f: string) => JSON.parse(readPngText(fs.readFileSync(f))['neural-style']);
      const chunk = chunkOf(blend.output!);
      assert.deepStrictEqual([chunk.styles, chunk.styleBlendWeights, chunk.size, chunk.iterations], [['starry.png', 'hokusai_great_wave.jpg'], [50, 50], 32, 2]);
      const state = api.jobs.stateOf(blend.id)!;
      // The panel's two runs are the newest of the photo's results it lists.
      assert.deepStrictEqual(state.history?.slice(-2).map((r) => r.secondStyle?.blend), [undefined, 50],
        'the history says which run blended');
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
      assert.ok(tabs.includes('chelsea.png · starry.png + The Great Wave off Kanagawa'), `the tab names both styles: ${tabs.join(', ')}`);
      // The picture's parameters find both styles by file name and blend them as before.
      await setSettings({ engineIdleMinutes: 0 });
      const again = await vscode.commands.executeCommand<string>('neuralStyle.stylizeAgain', vscode.Uri.file(blend.output!));
      const made = await finishOf(again);
      assert.strictEqual(made.outcome, 'done', made.message);
      assert.deepStrictEqual([chunkOf(made.output!).styles, chunkOf(made.output!).styleBlendWeights],
        [chunk.styles, [50, 50]]);
      assert.strictEqual(api.jobs.stateOf(again)?.job.secondStyle?.blend, 50);
      assert.deepStrictEqual(api.liveEnginePids(), []);
    } finally {
      await setSettings({ iterations: 4, engineIdleMinutes: 0 });
    }
  });

  test('regions: masks the panel sends are saved beside the photo; Run again paints in them, not blended; Stylize Again uses them again', async function () {
    this.timeout(150_000);
    await api.jobs.queue.idle();
    const photo = path.join(ws, 'brush', 'photo.png');
    fs.mkdirSync(path.dirname(photo), { recursive: true });
    fs.copyFileSync(path.join(ws, 'chelsea.png'), photo);
    const [width, height] = [fs.readFileSync(photo).readUInt32BE(16), fs.readFileSync(photo).readUInt32BE(20)];
    await setSettings({ iterations: 2 });
    try {
      await vscode.commands.executeCommand('neuralStyle.useAsStyle', file('starry.png'));
      const [first] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', vscode.Uri.file(photo));
      assert.strictEqual((await finishOf(first)).outcome, 'done');
      const { controls, styleChoices = [] } = api.jobs.stateOf(first)!;
      const url = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
      const half = (left: boolean) => url(greyPng(width, height, (x) => ((x < width / 2) === left ? 255 : 0)));
      // Masks of another size are refused, naming both sizes; nothing is written.
      api.jobs.receiveFromPanel(first, { type: 'saveRegions', width: 8, height: 8, masks: [url(greyPng(8, 8, () => 255))] });
      const refused = await waitFor('the refusal', () => (messagesOf(first, 'toWebview') as ToWebview[])
        .find((m): m is ToWebview<'regions'> => m.type === 'regions' && !!m.error));
      assert.match(refused.error!, new RegExp(`painted at 8×8, and the photo photo.png is ${width}×${height}`));
      assert.ok(!fs.existsSync(path.join(ws, 'brush', 'photo.region-1.png')));
      api.jobs.receiveFromPanel(first, { type: 'saveRegions', width, height, masks: [half(true), half(false)] });
      const regions = await waitFor('the saved regions', () => api.jobs.stateOf(first)?.regions);
      const masks = ['photo.region-1.png', 'photo.region-2.png'];
      assert.deepStrictEqual(regions.map((r) => r.path), masks.map((m) => path.join(ws, 'brush', m)));
      assert.ok(regions.every((r) => readPngText(fs.readFileSync(r.path))['neural-style-region']));
      const wave = styleChoices.findIndex((c) => path.basename(c.path) === 'hokusai_great_wave.jpg');
      const seen = mark();
      api.jobs.receiveFromPanel(first, { type: 'runAgain', controls, secondStyle: { choice: wave, blend: 30 } });
      const painted = await nextFinish(seen);
      assert.strictEqual(painted.outcome, 'done', painted.message);
      const chunkOf = (f: string) => JSON.parse(readPngText(fs.readFileSync(f))['neural-style']);
      const chunk = chunkOf(painted.output!);
      assert.deepStrictEqual([chunk.styles, chunk.masks, chunk.styleBlendWeights],
        [['starry.png', 'hokusai_great_wave.jpg'], masks, []]);
      assert.strictEqual(api.jobs.stateOf(painted.id)?.job.regions, true);
      const again = await vscode.commands.executeCommand<string>('neuralStyle.stylizeAgain', vscode.Uri.file(painted.output!));
      const made = await finishOf(again);
      assert.strictEqual(made.outcome, 'done', made.message);
      assert.deepStrictEqual(chunkOf(made.output!).masks, masks);
      assert.deepStrictEqual(api.jobs.stateOf(again)?.regions?.map((r) => path.basename(r.path)), masks);
    } finally {
      await setSettings({ iterations: 4 });
      fs.rmSync(path.dirname(photo), { recursive: true, force: true });
    }
  });

  test('the warm engine: the next job runs on the same process; time from Stylize to the first progress, cold and warm', async function () {
    this.timeout(90_000);
    await setSettings({ engineIdleMinutes: 1 });
    const firstProgress = async () => {
      const t0 = Date.now();
      const [id] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('chelsea.png'));
      await waitFor(`job ${id}'s first progress`, () => messagesOf(id, 'toWebview').find((m) => m.type === 'progress'));
      const ms = Date.now() - t0;
      assert.strictEqual((await finishOf(id)).outcome, 'done');
      return { ms, pids: api.liveEnginePids() };
    };
    const lines: string[] = [];
    const logged = api.jobs.onDidLog((line) => line.includes('first progress') && lines.push(line));
    const cold = await firstProgress();
    const warm = await firstProgress();
    logged.dispose();
    console.log(`      from Stylize to the first progress: cold ${cold.ms} ms, warm ${warm.ms} ms\n${lines.map((l) => `        ${l}`).join('\n')}`);
    assert.strictEqual(cold.pids.length, 1, 'the engine stays up after its job');
    assert.deepStrictEqual(warm.pids, cold.pids, 'the second job ran on the same engine process');
    assert.ok(warm.ms < cold.ms, `warm ${warm.ms} ms, cold ${cold.ms} ms`);
    // Without idle time the process goes when its next job ends.
    await setSettings({ engineIdleMinutes: 0 });
    const [id] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('chelsea.png'));
    assert.strictEqual((await finishOf(id)).outcome, 'done');
    assert.deepStrictEqual(api.liveEnginePids(), []);
  });

  test('a reload mid-batch: the running and queued jobs are queued again and the batch goes on counting', async function () {
    this.timeout(300_000); // four jobs and two engine starts, on a shared machine
    await api.jobs.queue.idle();
    await setSettings({ engineIdleMinutes: 1 });
    const photos = [file('tiny.bmp'), file('chelsea.png'), file('chelsea-copy.png')];
    const ids = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', photos[0], photos);
    assert.strictEqual((await finishOf(ids[0])).outcome, 'done');
    await waitFor('the second job to run', () => messagesOf(ids[1], 'toWebview').find((m) => m.type === 'progress'));
    const resumed = api.reload();
    assert.deepStrictEqual(resumed, ids.slice(1), 'the running job and the queued one, in order');
    // Read at once: a resumed job whose tab VS Code would restore may run before its panel opens, and the note
    // belongs to its queued state.
    const notes = resumed.map((id) => api.jobs.stateOf(id)?.note ?? '');
    const ends: Finish[] = [];
    api.jobs.onDidFinish((f) => ends.push(f));
    api.jobs.onDidFinish((f) => finished.push(f));
    const results = await Promise.all(resumed.map((id) => waitFor(`resumed job ${id} to end`, () => ends.find((f) => f.id === id))));
    assert.deepStrictEqual(results.map((r) => r.outcome), ['done', 'done'], JSON.stringify(results));
    assert.ok(results.every((r) => r.output && fs.existsSync(r.output)));
    assert.ok(notes.every((note) => note.includes('reload')), `the resumed jobs' panels say they were queued again `
      + `after the reload: ${JSON.stringify(notes)}`);
    // The note was of the queued state: once the job ran, the panel no longer shows it.
    assert.strictEqual(api.jobs.stateOf(ids[1])?.note, undefined);
    // The photo made before the reload still counts, and each keeps its place in the batch.
    const over = { total: 3, made: 3, failed: 0, cancelled: 0 };
    assert.deepStrictEqual(resumed.map((id) => api.jobs.stateOf(id)?.batch),
      [{ index: 2, ...over }, { index: 3, ...over }]);
    assert.strictEqual(api.reload().length, 0, 'a finished batch is not resumed again');
    api.jobs.onDidFinish((f) => finished.push(f));
    await setSettings({ engineIdleMinutes: 0 });
  });

  test('a reload mid-run resumes from the last finished scale, its checkpoint shown at once, in one tab', async function () {
    this.timeout(300_000);
    await api.jobs.queue.idle();
    await vscode.commands.executeCommand('neuralStyle.useAsStyle', file('starry.png'));
    // Two scales, 32 then 64 px: the draft's 3 steps, then 24 at 64 px, time enough to reload in; on wasm, so that no
    // GPU probe adds to the wait on a busy machine.
    await setSettings({ multiScale: true, draftSize: 32, size: 64, iterations: 3, fineIterations: 24, backend: 'wasm' });
    const lines: string[] = [];
    const logged = api.jobs.onDidLog((line) => lines.push(line));
    try {
      const [id] = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', file('chelsea-copy.png'));
      const line = await waitFor('the first scale\'s checkpoint', () => lines.find((l) => l.startsWith(`${id}: scale 1 of 2 finished at step 3`)));
      const checkpoint = /goes on from (.*)$/.exec(line)![1];
      assert.ok(fs.existsSync(checkpoint), checkpoint);
      const webviewTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputWebview);
      const title = webviewTabs().find((t) => t.label.startsWith('chelsea-copy.png'))!.label;
      const tabsOfJob = () => webviewTabs().filter((t) => t.label === title).length;
      // The tab VS Code restores after a reload, revived only once shown: a panel of the job's title no job owns yet.
      const restored = vscode.window.createWebviewPanel('neuralStyle.job', title, { viewColumn: vscode.ViewColumn.One, preserveFocus: true });
      assert.deepStrictEqual(api.reload(), [id]);
      const ends: Finish[] = [];
      api.jobs.onDidFinish((f) => ends.push(f));
      api.jobs.onDidFinish((f) => finished.push(f));
      assert.match(api.jobs.stateOf(id)?.preview ?? '', /^data:image\/png;base64,/, 'the checkpoint, shown at once');
      assert.match(api.jobs.stateOf(id)?.note ?? '', /after scale 1 of 2 \(step 3\)/);
      const chartSteps = () => api.jobs.stateOf(id)!.losses.map(([step]) => step);
      assert.deepStrictEqual(chartSteps(), [1, 2, 3], 'the chart up to the checkpoint, shown at once');
      // It runs while its tab waits to be shown (VS Code revives a restored tab only then), and opens no second one.
      await waitFor('the resumed job\'s first step', () => chartSteps().length > 3 || undefined, 240_000);
      assert.deepStrictEqual([tabsOfJob(), api.jobs.panelCount()], [1, 0], 'the job waits for its restored tab');
      api.jobs.revivePanel(restored, JSON.parse(JSON.stringify(api.jobs.stateOf(id))));
      assert.deepStrictEqual([tabsOfJob(), api.jobs.panelCount()], [1, 1], 'the restored tab is the job\'s panel');
      const end = await waitFor(`resumed job ${id} to end`, () => ends.find((f) => f.id === id), 240_000);
      assert.strictEqual(end.outcome, 'done', JSON.stringify(end));
      assert.deepStrictEqual(chartSteps(), Array.from({ length: 27 }, (_, i) => i + 1),
        'the chart: the first scale\'s steps from the checkpoint, then the resumed run\'s from step 4, not from 1');
      assert.ok(!fs.existsSync(checkpoint), 'its checkpoint went when it ended');
      assert.strictEqual(tabsOfJob(), 1);
      restored.dispose();
    } finally {
      logged.dispose();
      await setSettings({ multiScale: false, draftSize: undefined, size: 32, iterations: 4,
        fineIterations: undefined, backend: undefined });
    }
  });

  test('the queue view\'s commands: move a queued job up, cancel one, each job named by photo and style', async function () {
    this.timeout(180_000);
    await api.jobs.queue.idle();
    const photos = [file('chelsea.png'), file('chelsea-copy.png'), file('tiny.bmp')];
    const ids = await vscode.commands.executeCommand<string[]>('neuralStyle.stylizeWithLastStyle', photos[0], photos);
    assert.ok(await vscode.commands.executeCommand('neuralStyle.queue.moveUp', ids[2]));
    assert.deepStrictEqual(api.jobs.queue.queued.map((e) => e.id), [ids[2], ids[1]], 'the last queued is next');
    const stateOf = (id: string) => api.jobs.jobStates.find((s) => s.job.id === id)!;
    assert.strictEqual(stateOf(ids[2]).job.position, 1);
    assert.strictEqual(stateOf(ids[1]).job.position, 2);
    assert.strictEqual(await vscode.commands.executeCommand('neuralStyle.queue.cancel', ids[1]), true);
    // A queued job that is cancelled never runs, so it has no end of a run: its state says it.
    const ends = await Promise.all([ids[0], ids[2]].map(finishOf));
    assert.deepStrictEqual(ends.map((e) => e.outcome), ['done', 'done']);
    assert.ok(!messagesOf(ids[1], 'toWebview').some((m) => m.type === 'progress'), 'the cancelled job never ran');
    assert.deepStrictEqual([ids[0], ids[1], ids[2]].map((id) => stateOf(id).job.status), ['done', 'cancelled', 'done']);
    assert.strictEqual(`${stateOf(ids[2]).job.contentName} · ${stateOf(ids[2]).job.styleName}`, 'tiny.bmp · starry.png');
  });

  test('no engine process is left behind', async () => {
    await api.jobs.queue.idle();
    assert.deepStrictEqual(api.liveEnginePids(), []);
    for (const pid of enginePids) assert.ok(!alive(pid), `engine process ${pid} is still alive`);
  });
});
