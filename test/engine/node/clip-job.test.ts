import * as fs from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import sharp from 'sharp';
import { CancelledError } from '../../../packages/engine/src/core/errors';
import { RgbImage } from '../../../packages/engine/src/core/pixels';
import { readCheckpoint } from '../../../packages/engine/src/node/checkpoint';
import { FileHooks, stylizeClipFiles } from '../../../packages/engine/src/node/engine';
import { decodeImageFile } from '../../../packages/engine/src/node/image';
import { checkJob } from '../../../packages/engine/src/node/job-check';
import { readPngText } from '../../../packages/engine/src/node/png-text';
import type { JobSpec } from '../../../packages/engine/src/protocol';
import { PARAMETERS_KEYWORD, parseResultParameters } from '../../../packages/engine/src/result-parameters';
import { CONTENT, STYLE, tempDir, testEngine } from '../helpers';

const OPTIONS = { size: 40, iterations: 6, fineIterations: 4, previewEvery: 0 };

/** A folder of `count` frames of a slow pan over the fixture photo, 40×30, frame_1.png … */
async function panFolder(count: number): Promise<string> {
  const photo = await decodeImageFile(CONTENT, { maxInputPixels: 1e8 });
  const dir = tempDir('ns-clip-in-');
  for (let t = 0; t < count; t++) {
    const raw = { width: photo.width, height: photo.height, channels: 3 as const };
    await sharp(Buffer.from(photo.data), { raw }).extract({ left: 4 + 2 * t, top: 8, width: 40, height: 30 }).png()
      .toFile(path.join(dir, `frame_${t + 1}.png`));
  }
  return dir;
}

/** Runs a clip job as the engine process does: checked first, then painted. */
async function paint(job: JobSpec, hooks: FileHooks = {}) {
  return stylizeClipFiles(await testEngine(), job, await checkJob(job), hooks);
}

/** The frames of a folder's frame_N.png files, their pixels exactly. */
async function framesIn(folder: string): Promise<RgbImage[]> {
  const names = fs.readdirSync(folder).filter((n) => /^frame_\d+\.png$/.test(n)).sort();
  return Promise.all(names.map((n) => readCheckpoint(path.join(folder, n))));
}

/** Paints until frame `stop` is written, then cancels: rejects with CancelledError. */
async function paintUntil(job: JobSpec, stop: number): Promise<unknown> {
  const abort = new AbortController();
  return paint(job, { signal: abort.signal, onFrameDone: ({ frame }) => { if (frame === stop) abort.abort(); } })
    .then(() => null, (e: unknown) => e);
}

describe('a clip from files: frames written as painted, an interrupted clip resumed', function () {
  it('a resumed clip equals an uninterrupted one frame for frame, and goes on after the last frame', async () => {
    const input = await panFolder(4);
    const out = tempDir('ns-clip-out-');
    const job = (output: string, resume = false): JobSpec => ({ content: input, styles: [STYLE], output,
      options: OPTIONS, clip: resume ? { resume } : {} });
    await paint(job(path.join(out, 'whole')));
    const whole = await framesIn(path.join(out, 'whole'));
    expect(whole.length).to.equal(4);

    expect(await paintUntil(job(path.join(out, 'resumed')), 2)).to.be.instanceOf(CancelledError);
    expect((await framesIn(path.join(out, 'resumed'))).length, 'frames kept').to.equal(2);
    const painted: number[] = [];
    const startOver: string[] = [];
    const done = await paint(job(path.join(out, 'resumed'), true), {
      onFrameDone: ({ frame }) => painted.push(frame), onStartOver: (why) => startOver.push(why) });
    expect(painted, 'frames painted by the resumed run').to.deep.equal([3, 4]);
    expect(startOver).to.deep.equal([]);
    expect(done.steps, 'the resumed run counts its own steps').to.equal(2 * OPTIONS.iterations);
    const resumed = await framesIn(path.join(out, 'resumed'));
    for (const [i, frame] of resumed.entries()) {
      expect(Buffer.compare(Buffer.from(frame.data), Buffer.from(whole[i].data)), `frame ${i + 1}`).to.equal(0);
    }
    const text = readPngText(fs.readFileSync(path.join(out, 'resumed', 'frame_00004.png')))[PARAMETERS_KEYWORD];
    expect(parseResultParameters(text).clip).to.deep.equal({ frame: 4, frames: 4, temporalWeight: 1000 });
  });

  it('an animation keeps its frames beside it until it is written; frames of another job are not gone on from', async () => {
    const input = await panFolder(3);
    const out = tempDir('ns-clip-gif-');
    const gif = path.join(out, 'clip.gif');
    const job = (resume: boolean, styles = [STYLE], temporalWeight?: number): JobSpec => ({ content: input, styles,
      output: gif, options: OPTIONS,
      clip: { ...resume ? { resume } : {}, ...temporalWeight ? { temporalWeight } : {} } });
    expect(await paintUntil(job(false), 1)).to.be.instanceOf(CancelledError);
    expect(fs.existsSync(gif), 'no animation yet').to.equal(false);
    expect(fs.readdirSync(`${gif}.frames`)).to.deep.equal(['frame_00001.png']);

    await expectRefusal(checkJob(job(false)), /clip\.gif\.frames holds the frames of an interrupted run of this clip\. Go on from them \(CLI: --resume\)/);
    await expectRefusal(paint(job(true, [CONTENT])), /Cannot go on from .*frame_00001\.png: it was painted from ns-clip-in-\w+ in the style of starry-64\.png/);
    await expectRefusal(paint(job(true, [STYLE], 10)), /frame_00001\.png: it is frame 1 of 3, painted with temporal weight 1000/);

    const painted: number[] = [];
    await paint(job(true), { onFrameDone: ({ frame }) => painted.push(frame) });
    expect(painted).to.deep.equal([2, 3]);
    const meta = await sharp(gif, { pages: -1 }).metadata();
    expect([meta.pages, meta.pageHeight, meta.width]).to.deep.equal([3, 30, 40]);
    expect(fs.existsSync(`${gif}.frames`), 'the frames folder is gone').to.equal(false);
    await expectRefusal(checkJob(job(false)), /clip\.gif already exists/);
  });
});

async function expectRefusal(run: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await run.then(() => null, (e: Error) => e);
  expect(error, 'refused').to.be.instanceOf(Error);
  expect(error!.message).to.match(message);
}
