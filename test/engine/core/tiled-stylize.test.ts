import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { CancelledError, Progress } from '../../../packages/engine/src/index';
import { fixtureImages, recordedRun, testEngine } from '../helpers';

describe('stylize tile by tile (64 px, 16 px tiles)', function () {
  const base = { size: 64, iterations: 3, multiScale: false, previewEvery: 0, seed: 3 };

  const recorded = recordedRun(base);

  before(async () => {
    await Promise.all([testEngine(), fixtureImages()]);
  });

  /** Progress reports of whole iterations (`seen`) apart from those in mid-iteration (`partial`, one per tile). */
  async function run(options: object, hooks = {}) {
    const { result, seen } = await recorded(options, hooks);
    return { result, seen: seen.filter((p) => p.tile === p.tiles), partial: seen.filter((p) => p.tile !== p.tiles) };
  }

  for (const optimizer of ['lbfgs', 'adam'] as const) {
    it(`${optimizer}: the same iterations as the whole image, within float error`, async () => {
      const whole = await run({ optimizer, learningRate: 4 });
      const tiled = await run({ optimizer, learningRate: 4, tileSize: 16 });
      expect(tiled.seen).to.have.length(whole.seen.length);
      tiled.seen.forEach((p, i) => {
        const want = whole.seen[i].losses.total;
        expect(Math.abs(p.losses.total - want), `iteration ${i + 1}: ${p.losses.total} vs ${want}`).to.be.at.most(1e-3 * want);
      });
      const differing = tiled.result.image.data.filter((v, i) => Math.abs(v - whole.result.image.data[i]) > 2).length;
      expect(differing / tiled.result.image.data.length, 'pixels that differ by more than 2 levels').to.be.below(0.01);
    });
  }

  it('reports each tile within an iteration, and the tile counts at its end', async () => {
    const { seen, partial } = await run({ iterations: 2, tileSize: 16 });
    expect(seen).to.have.length(2);
    const tiles = seen[0].tiles!;
    expect(tiles).to.be.above(8);
    expect(partial.length).to.equal(2 * (tiles - 1));
    expect(partial.slice(0, tiles - 1).map((p) => p.tile)).to.deep.equal(Array.from({ length: tiles - 1 },
      (_, i) => i + 1));
    partial.forEach((p) => expect(p.step).to.equal(p.iteration - 1));
    expect(partial[0].etaMs).to.be.above(0);
  });

  it('a cancel in the middle of a tiled iteration stops within a tile and frees every tensor', async () => {
    await run({ iterations: 1, tileSize: 16 }); // layers keep their prepared transforms from their first use on
    const before = tf.memory().numTensors;
    const abort = new AbortController();
    let tilesAfterCancel = 0;
    const error = await run({ iterations: 3, tileSize: 16 }, {
      signal: abort.signal,
      onProgress: (p: Progress) => {
        if (abort.signal.aborted) tilesAfterCancel += 1;
        if (p.iteration === 2 && p.tile === 5) abort.abort();
      },
    }).then(() => null, (e) => e);
    expect(error).to.be.instanceOf(CancelledError);
    expect(tilesAfterCancel).to.equal(0);
    expect(tf.memory().numTensors).to.equal(before);
  });
});
