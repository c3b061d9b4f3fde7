import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { consistencyMask } from '../../../packages/engine/src/core/flow/consistency';
import { tvL1Flow } from '../../../packages/engine/src/core/flow/tv-l1';
import { warp } from '../../../packages/engine/src/core/flow/warp';
import { RgbImage } from '../../../packages/engine/src/core/pixels';
import { decodeImageFile } from '../../../packages/engine/src/node/image';
import { CONTENT, ROOT, testEngine } from '../helpers';

/*
 * Synthetic pairs with a known motion: a frame cut from a photo, and the next frame the same photo moved (shifted,
 * rotated and zoomed about the frame's centre), optionally with a patch of a painting moving its own way in front.
 */

const SIDE = 96;

/** A picture in grey (0..255), row-major. */
interface Grey { width: number; height: number; data: Float32Array }

const greyOf = (image: RgbImage): Grey => ({ width: image.width, height: image.height,
  data: Float32Array.from({ length: image.width * image.height },
    (_, p) => 0.299 * image.data[3 * p] + 0.587 * image.data[3 * p + 1] + 0.114 * image.data[3 * p + 2]) });

/** `image` at (x, y), bilinear (inside it). */
function sample(image: Grey, x: number, y: number): number {
  const [x0, y0] = [Math.floor(x), Math.floor(y)];
  const [ax, ay] = [x - x0, y - y0];
  const at = (xx: number, yy: number) => image.data[yy * image.width + xx];
  const row = (yy: number) => at(x0, yy) * (1 - ax) + at(x0 + 1, yy) * ax;
  return row(y0) * (1 - ay) + row(y0 + 1) * ay;
}

/** Where a point of the first frame is in the second: turned by `angle` and zoomed about the centre, then shifted. */
interface Motion { shift: [number, number]; angle: number; zoom: number }

const moved = ({ shift, angle, zoom }: Motion, x: number, y: number): [number, number] => {
  const c = (SIDE - 1) / 2;
  const [dx, dy] = [x - c, y - c];
  return [c + zoom * (Math.cos(angle) * dx - Math.sin(angle) * dy) + shift[0],
    c + zoom * (Math.sin(angle) * dx + Math.cos(angle) * dy) + shift[1]];
};

const unmoved = ({ shift, angle, zoom }: Motion, x: number, y: number): [number, number] => {
  const c = (SIDE - 1) / 2;
  const [dx, dy] = [(x - c - shift[0]) / zoom, (y - c - shift[1]) / zoom];
  return [c + Math.cos(angle) * dx + Math.sin(angle) * dy, c - Math.sin(angle) * dx + Math.cos(angle) * dy];
};

/** A square patch of `painting`: at `at` in the first frame, moved by `by` in the second. */
interface Patch { painting: Grey; at: [number, number]; side: number; by: [number, number] }

const inPatch = (patch: Patch, x: number, y: number, by: [number, number] = [0, 0]) =>
  x >= patch.at[0] + by[0] && x < patch.at[0] + by[0] + patch.side && y >= patch.at[1] + by[1]
    && y < patch.at[1] + by[1] + patch.side;

interface Pair {
  first: tf.Tensor2D;
  second: tf.Tensor2D;
  truth: Float32Array;
  occluded: Uint8Array;
  margin: Uint8Array;
}

/** Two frames of the photo (from its (60, 40)), the true flow of the first's pixels, and which of them are hidden. */
function pair(photo: Grey, motion: Motion, patch?: Patch): Pair {
  const origin = [60, 40];
  const frame = (place: (x: number, y: number) => [number, number], by?: [number, number]) =>
    Float32Array.from({ length: SIDE * SIDE }, (_, p) => {
      const [x, y] = [p % SIDE, Math.floor(p / SIDE)];
      if (patch && inPatch(patch, x, y, by)) {
        return sample(patch.painting, x - patch.at[0] - by![0] + 10, y - patch.at[1] - by![1] + 10);
      }
      const [px, py] = place(x, y);
      return sample(photo, px + origin[0], py + origin[1]);
    });
  const first = frame((x, y) => [x, y], [0, 0]);
  const second = frame((x, y) => unmoved(motion, x, y), patch?.by);
  const truth = new Float32Array(SIDE * SIDE * 2);
  const occluded = new Uint8Array(SIDE * SIDE);
  const margin = new Uint8Array(SIDE * SIDE);
  for (let p = 0; p < SIDE * SIDE; p++) {
    const [x, y] = [p % SIDE, Math.floor(p / SIDE)];
    const onPatch = patch !== undefined && inPatch(patch, x, y);
    const [tx, ty] = onPatch ? [x + patch!.by[0], y + patch!.by[1]] : moved(motion, x, y);
    [truth[2 * p], truth[2 * p + 1]] = [tx - x, ty - y];
    occluded[p] = !onPatch && patch !== undefined && inPatch(patch, tx, ty, patch.by) ? 1 : 0;
    // Near the frame's border (the motion takes it out, or its window is cut) and motion edges, flows are guesses.
    const nearEdge = Math.min(tx, ty, SIDE - 1 - tx, SIDE - 1 - ty, x, y, SIDE - 1 - x, SIDE - 1 - y) < 6;
    margin[p] = nearEdge ? 1 : 0;
  }
  const tensor = (values: Float32Array) => tf.tensor2d(values, [SIDE, SIDE]);
  return { first: tensor(first), second: tensor(second), truth, occluded, margin };
}

/** The mean endpoint error of `flow` against the truth over the pixels `counted` says. */
function endpointError(flow: Float32Array, truth: Float32Array, counted: (p: number) => boolean): number {
  let [sum, n] = [0, 0];
  for (let p = 0; p < truth.length / 2; p++) {
    if (!counted(p)) continue;
    sum += Math.hypot(flow[2 * p] - truth[2 * p], flow[2 * p + 1] - truth[2 * p + 1]);
    n++;
  }
  return sum / n;
}

describe('optical flow (TV-L1) and its consistency mask, for the temporal loss', function () {
  let photo: Grey;
  let painting: Grey;

  before(async () => {
    await testEngine();
    photo = greyOf(await decodeImageFile(CONTENT, { longestSide: 240, maxInputPixels: 1e8 }));
    painting = greyOf(await decodeImageFile(path.join(ROOT, 'media', 'styles', 'kandinsky_composition_vii.jpg'),
      { longestSide: 120, maxInputPixels: 1e8 }));
  });

  const motions: Array<[string, Motion]> = [
    ['shifted (2.6, −1.8) px', { shift: [2.6, -1.8], angle: 0, zoom: 1 }],
    ['turned 3° about the centre', { shift: [0, 0], angle: (3 * Math.PI) / 180, zoom: 1 }],
    ['zoomed 1.05×', { shift: [0, 0], angle: 0, zoom: 1.05 }],
  ];
  for (const [name, motion] of motions) {
    it(`finds a photo's motion within 0.5 px on average: ${name}`, () => {
      const before = tf.memory().numTensors;
      const { first, second, truth, margin } = pair(photo, motion);
      const flow = tvL1Flow(first, second);
      const found = flow.dataSync() as Float32Array;
      tf.dispose([first, second, flow]);
      expect(tf.memory().numTensors, 'tensors left').to.equal(before);
      const error = endpointError(found, truth, (p) => !margin[p]);
      expect(error, `mean endpoint error, px`).to.be.below(0.5);
    });
  }

  it('shifted, turned and zoomed at once with a patch moving its own way: within 0.5 px where seen in both; '
    + 'the mask finds the hidden part, and the flow back undoes the flow', () => {
    const motion: Motion = { shift: [1.5, 1.2], angle: (2 * Math.PI) / 180, zoom: 1.03 };
    const patch: Patch = { painting, at: [26, 34], side: 26, by: [8, 3] };
    const { first, second, truth, occluded, margin } = pair(photo, motion, patch);
    const flow = tvL1Flow(first, second);
    const back = tvL1Flow(second, first);
    const mask = consistencyMask(flow, back);
    // Where the flow points, the flow back should point home: their sum, the second read where the first points.
    const roundTrip = tf.tidy(() => tf.add(flow, warp(back, flow)));
    const read = (t: tf.Tensor) => t.dataSync() as Float32Array;
    const [found, kept, trip] = [read(flow), read(mask), read(roundTrip)];
    tf.dispose([first, second, flow, back, mask, roundTrip]);
    const seen = (p: number) => !occluded[p] && !margin[p];
    const error = endpointError(found, truth, seen);
    expect(error, 'mean endpoint error where seen in both, px').to.be.below(0.5);
    const hidden = [...occluded.keys()].filter((p) => occluded[p] && !margin[p]);
    const visible = [...occluded.keys()].filter(seen);
    const share = (pixels: number[], value: number) => pixels.filter((p) => kept[p] === value).length / pixels.length;
    expect(hidden.length, 'hidden pixels in the pair').to.be.above(50);
    expect(share(hidden, 0), 'hidden pixels the mask marks unreliable').to.be.above(0.8);
    expect(share(visible, 1), 'visible pixels the mask keeps').to.be.above(0.8);
    const tripError = endpointError(trip, new Float32Array(trip.length), (p) => seen(p) && kept[p] === 1);
    expect(tripError, 'flow there and back, mean length where kept, px').to.be.below(0.3);
  });
});
