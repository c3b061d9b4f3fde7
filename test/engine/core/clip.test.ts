import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { stylizeClip } from '../../../packages/engine/src/core/clip';
import { stylize } from '../../../packages/engine/src/index';
import { RgbImage } from '../../../packages/engine/src/core/pixels';
import type { Progress } from '../../../packages/engine/src/core/progress';
import { decodeImageFile } from '../../../packages/engine/src/node/image';
import { CONTENT, STYLE, testEngine } from '../helpers';

/** Frames of a slow pan: `count` crops of `photo`, each `step` px to the right of the last (the picture moves left). */
function pan(photo: RgbImage, count: number, step: number, width: number, height: number): RgbImage[] {
  return Array.from({ length: count }, (_, t) => {
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      const from = ((y + 20) * photo.width + 40 + t * step) * 3;
      data.set(photo.data.subarray(from, from + width * 3), y * width * 3);
    }
    return { width, height, data };
  });
}

/**
 * Flicker: the mean difference (0..255 levels) between each result and the one before it moved by the true motion
 * (`step` px left), over the pixels both frames show.
 */
function flicker(results: RgbImage[], step: number): number {
  let [sum, n] = [0, 0];
  for (let t = 1; t < results.length; t++) {
    const [now, before] = [results[t], results[t - 1]];
    for (let y = 0; y < now.height; y++) {
      for (let x = 0; x + step < now.width; x++) {
        for (let k = 0; k < 3; k++, n++) {
          sum += Math.abs(now.data[(y * now.width + x) * 3 + k] - before.data[(y * now.width + x + step) * 3 + k]);
        }
      }
    }
  }
  return sum / n;
}

describe('a clip without flicker: the temporal loss on the flow (Ruder et al. 2016)', function () {
  it('flickers at least 3× less than its frames painted alone, as painted, and frees its tensors', async () => {
    const engine = await testEngine();
    const photo = await decodeImageFile(CONTENT, { longestSide: 200, maxInputPixels: 1e8 });
    const style = await decodeImageFile(STYLE, { longestSide: 64, maxInputPixels: 1e8 });
    const step = 3;
    const frames = pan(photo, 5, step, 64, 48);
    const options = { size: 64, iterations: 30, previewEvery: 0 };
    const alone: RgbImage[] = [];
    const aloneStyle: number[] = [];
    for (const frame of frames) {
      const result = await stylize(engine.vgg, { content: frame, styles: [style], options });
      alone.push(result.image);
      aloneStyle.push(result.losses.style);
    }
    const before = tf.memory().numTensors;
    const clip: RgbImage[] = [];
    const started: number[] = [];
    const reports: Progress[] = [];
    const summaries = await stylizeClip(engine.vgg, { frames, styles: [style], options },
      { onFrameStart: (i) => started.push(i), onFrame: (_, result) => { clip.push(result.image); },
        onProgress: (p) => reports.push(p) });
    expect(tf.memory().numTensors, 'tensors left').to.equal(before);
    expect(started).to.deep.equal([0, 1, 2, 3, 4]);
    // The reports are the clip's: its frame, its fraction rising to 1, its ETA (the frames after this one in it).
    expect([...new Set(reports.map((p) => `${p.frame}/${p.frames}`))]).to.deep.equal(['1/5', '2/5', '3/5', '4/5', '5/5']);
    expect(reports.every((p, i) => i === 0 || p.fraction >= reports[i - 1].fraction), 'the fraction rises').to.equal(true);
    expect(reports[reports.length - 1].fraction).to.be.closeTo(1, 1e-9);
    const firstOfLast = reports.find((p) => p.frame === 5)!;
    expect(firstOfLast.fraction, 'four frames of five done').to.be.within(0.6, 0.85);
    const lastOfFirst = reports.filter((p) => p.frame === 1).pop()!;
    expect(lastOfFirst.etaMs, 'after frame 1: four more frames to go').to.be.above(0);
    expect(reports[reports.length - 1].etaMs).to.equal(0);
    const [painted, temporal] = [flicker(alone, step), flicker(clip, step)];
    expect(temporal * 3, `flicker: frames alone ${painted.toFixed(2)}, as a clip ${temporal.toFixed(2)}`)
      .to.be.below(painted);
    // Held to the last frame, still painted: each frame's style loss near what a frame painted alone reaches.
    const aloneMean = aloneStyle.reduce((a, b) => a + b, 0) / aloneStyle.length;
    for (const [i, { losses }] of summaries.entries()) {
      expect(losses.style, `frame ${i + 1}'s style loss against ${aloneMean.toFixed(0)} alone`).to.be.below(1.5 * aloneMean);
    }
  });

  it('refuses frames of two sizes, no frames, or a temporal target that is not the output\'s, before any work', async () => {
    const engine = await testEngine();
    const style = await decodeImageFile(STYLE, { longestSide: 32, maxInputPixels: 1e8 });
    const frame = (width: number, height: number) => ({ width, height, data: new Uint8Array(width * height * 3) });
    const refused = (run: Promise<unknown>) => run.then(() => '', (e: Error) => e.message);
    expect(await refused(stylizeClip(engine.vgg, { frames: [frame(32, 24), frame(32, 20)], styles: [style] })))
      .to.equal('Frame 2 is 32×20; every frame of a clip must be the first\'s size, 32×24.');
    expect(await refused(stylizeClip(engine.vgg, { frames: [], styles: [style] })))
      .to.equal('A clip needs at least one frame.');
    const temporal = { image: frame(16, 12), weights: new Float32Array(16 * 12), weight: 1 };
    expect(await refused(stylize(engine.vgg, { content: frame(32, 24), styles: [style], temporal,
      options: { size: 32 } }))).to.equal('The temporal target is 16×12; it must be the output\'s size, 32×24.');
    const weights = new Float32Array(32 * 24).fill(2);
    expect(await refused(stylize(engine.vgg, { content: frame(32, 24), styles: [style],
      temporal: { image: frame(32, 24), weights, weight: 1 }, options: { size: 32 } })))
      .to.match(/^The temporal weights must be one value from 0 to 1 a pixel/);
  });
});
