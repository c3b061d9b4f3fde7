/**
 * Stylize as Animation… in a real extension host: a 3-frame GIF (40 × 32 px,
 * written with sharp here) painted in a few iterations a frame by the real
 * engine process, into a 3-frame GIF beside it, its panel told of each frame.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import * as vscode from 'vscode';
import type { NeuralStyleApi } from '../../../extension/src/extension';
import type { FromWebview, ToWebview } from '../../../extension/shared/protocol';
import { greyPng, waitFor } from './helpers';

// Loaded at run time from the checkout (the bundle must not hold a native module): the test's pictures only.
type Sharp = typeof import('sharp');
const sharp = (): Sharp => createRequire(__filename)('sharp') as Sharp;

const ws = process.env.NS_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const config = () => vscode.workspace.getConfiguration('neuralStyle');
const SETTINGS = {
  size: 32, iterations: 3, multiScale: false, previewEvery: 0, openWhenDone: true, engineIdleMinutes: 0,
};

/** A GIF of `frames` frames, each a lighter grey, 40 × 32 px. */
async function writeGif(file: string, frames: number): Promise<void> {
  const pages = await Promise.all(Array.from({ length: frames }, (_, i) =>
    sharp()(greyPng(40, 32, (x, y) => (x * 3 + y * 2 + i * 60) % 256)).removeAlpha().raw().toBuffer()));
  await sharp()(Buffer.concat(pages), { raw: { width: 40, height: 32 * frames, channels: 3, pageHeight: 32 } })
    .gif({ delay: Array(frames).fill(100), loop: 0 }).toFile(file);
}

suite('Stylize as Animation', () => {
  let api: NeuralStyleApi;
  const traffic: Array<{ jobId: string; message: ToWebview | FromWebview }> = [];
  const finished: Array<{ id: string; outcome: string; output?: string; message?: string }> = [];

  suiteSetup(async () => {
    api = await vscode.extensions.getExtension<NeuralStyleApi>('neural-style.neural-style')!.activate();
    api.panelTraffic((t) => { if (t.direction === 'toWebview') traffic.push(t); });
    api.jobs.onDidFinish((f) => finished.push(f));
    for (const [k, v] of Object.entries(SETTINGS)) await config().update(k, v, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    for (const k of Object.keys(SETTINGS)) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
  });

  test('a 3-frame GIF becomes walk.starry.gif of 3 frames; its panel gets each frame for its strip', async () => {
    const gif = path.join(ws, 'walk.gif');
    await writeGif(gif, 3);
    const style = vscode.Uri.file(path.join(ws, 'starry.png'));
    const id = await vscode.commands.executeCommand<string>('neuralStyle.stylizeAnimation', vscode.Uri.file(gif), style);
    assert.ok(id, 'a job was queued');
    const end = await waitFor(`clip ${id} to end`, () => finished.find((f) => f.id === id), 120_000);
    assert.strictEqual(end.outcome, 'done', end.message);
    const output = path.join(ws, 'walk.starry.gif');
    assert.strictEqual(end.output, output);
    const meta = await sharp()(output).metadata();
    assert.deepStrictEqual([meta.format, meta.pages], ['gif', 3]);
    assert.ok(!fs.existsSync(`${output}.frames`), 'the frames folder goes once the animation is written');

    const sent = traffic.filter((t) => t.jobId === id).map((t) => t.message);
    const frames = sent.flatMap((m) => (m.type === 'frame' ? [[m.frame, m.frames]] : []));
    assert.deepStrictEqual(frames, [[1, 3], [2, 3], [3, 3]]);
    assert.deepStrictEqual(api.jobs.stateOf(id)?.frames?.map((t) => t.frame), [1, 2, 3], 'the panel\'s strip');
    const progress = sent.flatMap((m) => (m.type === 'progress' ? [m.progress] : []));
    assert.deepStrictEqual([...new Set(progress.map((p) => `${p.frame} of ${p.frames}`))], ['1 of 3', '2 of 3', '3 of 3']);
    // Opened as a still's result is (VS Code's image preview plays it).
    await waitFor('the animation to open', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => (t.input as { uri?: vscode.Uri } | undefined)?.uri?.fsPath === output), 20_000);
  });

  test('a GIF of one frame is refused by the engine\'s check, in its words, and nothing is written', async () => {
    const gif = path.join(ws, 'still.gif');
    await writeGif(gif, 1);
    const style = vscode.Uri.file(path.join(ws, 'starry.png'));
    const id = await vscode.commands.executeCommand<string>('neuralStyle.stylizeAnimation', vscode.Uri.file(gif), style);
    const end = await waitFor(`clip ${id} to end`, () => finished.find((f) => f.id === id), 60_000);
    assert.strictEqual(end.outcome, 'error');
    assert.match(end.message ?? '', /still\.gif is not a clip: give a folder of frames, an animated GIF, WebP or PNG, or a video/);
    assert.deepStrictEqual(fs.readdirSync(ws).filter((f) => f.startsWith('still.')), ['still.gif']);
  });
});
