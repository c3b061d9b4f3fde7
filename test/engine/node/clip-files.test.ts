import * as fs from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import sharp from 'sharp';
import { frameFiles, isClip, readClip, writeAnimation } from '../../../packages/engine/src/node/clip-files';
import { apngHeader } from '../../../packages/engine/src/node/apng';
import { findFfmpeg, requireFfmpeg } from '../../../packages/engine/src/node/ffmpeg';
import { RgbImage } from '../../../packages/engine/src/core/pixels';
import { tempDir } from '../helpers';

/** A frame of one colour with a square whose place says which frame it is. */
function frame(width: number, height: number, index: number): RgbImage {
  const data = new Uint8Array(width * height * 3).fill(40);
  for (let y = 4; y < 12; y++) {
    for (let x = 4 + 4 * index; x < 12 + 4 * index; x++) data.set([250, 200, 30], (y * width + x) * 3);
  }
  return { width, height, data };
}

/** The column of a frame's square: where its first bright pixel is on row 8. */
const squareAt = (image: RgbImage) => {
  for (let x = 0; x < image.width; x++) if (image.data[(8 * image.width + x) * 3] > 150) return x;
  return -1;
};

describe('clip files: a folder of frames, an animated GIF or WebP, in and out', () => {
  it('writes an animation with its delays and loop, and reads the same frames, delays and loop back', async () => {
    const dir = tempDir();
    const frames = [0, 1, 2, 3].map((i) => frame(48, 32, i));
    const timing = { delays: [100, 250, 80, 400], loop: 3 };
    for (const name of ['clip.gif', 'clip.webp']) {
      const file = path.join(dir, name);
      expect(await writeAnimation(frames, file, timing)).to.equal(file);
      const meta = await sharp(file, { pages: -1 }).metadata();
      expect([meta.pages, meta.pageHeight, meta.delay, meta.loop], name).to.deep.equal([4, 32, timing.delays, 3]);
      expect(await isClip(file), name).to.equal(true);
      const read = await readClip(file, { longestSide: 48, maxInputPixels: 1e8 });
      expect(read.timing, name).to.deep.equal(timing);
      expect(read.frames.map(squareAt), name).to.deep.equal([4, 8, 12, 16]);
      expect(read.frames.every((f) => f.width === 48 && f.height === 32), name).to.equal(true);
    }
    await expectRejection(writeAnimation(frames, path.join(dir, 'clip.gif'), timing), /already exists|exists/);
    await expectRejection(writeAnimation(frames, path.join(dir, 'clip.tif'), timing),
      /an animation is written as \.gif, \.webp, \.png or \.mp4/);
    // An animated PNG, which libvips reads as its first frame: through UPNG, lossless.
    const apng = path.join(dir, 'clip.png');
    await writeAnimation(frames, apng, timing);
    expect(apngHeader(apng)).to.deep.equal({ frames: 4, loop: 3 });
    expect(await isClip(apng)).to.equal(true);
    const read = await readClip(apng, { longestSide: 48, maxInputPixels: 1e8 });
    expect(read.timing).to.deep.equal(timing);
    expect(read.frames.map((f, i) => Buffer.compare(Buffer.from(f.data), Buffer.from(frames[i].data))), 'lossless')
      .to.deep.equal([0, 0, 0, 0]);
    await expectRejection(readClip(apng, { longestSide: 48, maxInputPixels: 1000 }), /clip\.png is too large|exceeds/);
    const still = path.join(dir, 'still.png');
    await sharp(Buffer.from(frames[0].data), { raw: { width: 48, height: 32, channels: 3 } }).png().toFile(still);
    expect([apngHeader(still), await isClip(still)]).to.deep.equal([null, false]);
  });

  it('reads a folder of frames in natural order, resized; refuses frames of another size and an empty folder', async () => {
    const dir = tempDir();
    const names = ['frame_10.png', 'frame_2.png', 'frame_1.png', 'notes.txt', '.hidden.png'];
    for (const [i, name] of names.entries()) {
      const index = [2, 1, 0][i] ?? 0;
      const f = frame(48, 32, index);
      const raw = { width: 48, height: 32, channels: 3 as const };
      await sharp(Buffer.from(f.data), { raw }).png().toFile(path.join(dir, name));
    }
    expect(frameFiles(dir).map((f) => path.basename(f))).to.deep.equal(['frame_1.png', 'frame_2.png', 'frame_10.png']);
    expect(await isClip(dir)).to.equal(true);
    const { frames, timing } = await readClip(dir, { longestSide: 48, maxInputPixels: 1e8 });
    expect(timing).to.equal(null);
    expect(frames.map(squareAt)).to.deep.equal([4, 8, 12]);
    const small = await readClip(dir, { longestSide: 24, maxInputPixels: 1e8 });
    expect(small.frames.map((f) => [f.width, f.height])).to.deep.equal([[24, 16], [24, 16], [24, 16]]);
    await sharp({ create: { width: 40, height: 40, channels: 3, background: '#000' } }).png()
      .toFile(path.join(dir, 'frame_11.png'));
    await expectRejection(readClip(dir, { longestSide: 24, maxInputPixels: 1e8 }),
      /frame_11\.png is 24×24 at this size, the first frame 24×16: every frame of a clip must have the first's size/);
    const empty = tempDir();
    await expectRejection(readClip(empty, { longestSide: 24, maxInputPixels: 1e8 }), /has no frames/);
    const still = path.join(empty, 'still.png');
    fs.copyFileSync(path.join(dir, 'frame_1.png'), still);
    expect(await isClip(still)).to.equal(false);
    await expectRejection(readClip(still, { longestSide: 24, maxInputPixels: 1e8 }), /is a still picture/);
  });

  it('MP4 in and out through an ffmpeg on the PATH: the frames, their rate; without one, a clear refusal', async function () {
    const dir = tempDir();
    const file = path.join(dir, 'clip.mp4');
    expect(() => requireFfmpeg('Writing clip.mp4', dir)).to.throw(/Writing clip\.mp4 needs ffmpeg \(with ffprobe\) on the PATH, and none was found\. Install ffmpeg/);
    expect(await isClip(dir), 'a folder').to.equal(true);
    if (!findFfmpeg()) {
      console.log('      (skipped the MP4 round trip: no ffmpeg on the PATH; .ci/run installs it)');
      return;
    }
    const frames = [0, 1, 2, 3, 4].map((i) => frame(48, 32, i));
    await writeAnimation(frames, file, { delays: [80, 80, 80, 80, 80], loop: 0 });
    expect(await isClip(file)).to.equal(true);
    const read = await readClip(file, { longestSide: 48, maxInputPixels: 1e8 });
    expect(read.frames.length).to.equal(5);
    expect(read.timing).to.deep.equal({ delays: [80, 80, 80, 80, 80], loop: 0, fps: 12.5 });
    expect(read.frames.map(squareAt), 'each frame is its own, in order').to.deep.equal([4, 8, 12, 16, 20]);
    // H.264 is lossy: the pixels are near, not equal.
    const levels = (f: RgbImage, i: number) => f.data.reduce((s, v, k) => s + Math.abs(v - frames[i].data[k]), 0);
    const error = read.frames.reduce((sum, f, i) => sum + levels(f, i), 0) / (5 * 48 * 32 * 3);
    expect(error, 'mean level error').to.be.below(6);
    const half = await readClip(file, { longestSide: 24, maxInputPixels: 1e8 });
    expect(half.frames.map((f) => [f.width, f.height])[0]).to.deep.equal([24, 16]);
    await expectRejection(readClip(file, { longestSide: 48, maxInputPixels: 1000 }), /clip\.mp4 is too large/);
    await expectRejection(writeAnimation(frames, file, { delays: [80], loop: 0 }), /already exists/);
  });
});

async function expectRejection(run: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await run.then(() => null, (e: Error) => e);
  expect(error, 'refused').to.be.instanceOf(Error);
  expect(error!.message).to.match(message);
}
