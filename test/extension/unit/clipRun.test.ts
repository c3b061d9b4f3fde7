import * as assert from 'assert';
import { framesKeptOf, MAX_CLIP_RESTARTS, restartsClip } from '../../../extension/src/clipRun';

describe('a clip\'s run when its engine dies or it is cancelled', () => {
  const crashed = { outcome: 'crashed' as const, framesThisRun: 2, restarts: 0, cancelled: false };

  it('goes on after its last frame when its engine died after finishing a frame', () => {
    assert.strictEqual(restartsClip(crashed), true);
  });

  it('does not restart an engine that died before any frame of this run: it would die again', () => {
    assert.strictEqual(restartsClip({ ...crashed, framesThisRun: 0 }), false);
  });

  it('ends on anything but a crash, on a cancel, and after MAX_CLIP_RESTARTS restarts', () => {
    for (const outcome of ['done', 'cancelled', 'error'] as const) assert.strictEqual(restartsClip({ ...crashed, outcome }), false);
    assert.strictEqual(restartsClip({ ...crashed, cancelled: true }), false);
    assert.strictEqual(restartsClip({ ...crashed, restarts: MAX_CLIP_RESTARTS - 1 }), true);
    assert.strictEqual(restartsClip({ ...crashed, restarts: MAX_CLIP_RESTARTS }), false);
  });

  it('a cancelled clip keeps its frames: in its folder, or beside its animation', () => {
    assert.strictEqual(framesKeptOf('/ws/walk.starry.gif', false, 2), '/ws/walk.starry.gif.frames');
    assert.strictEqual(framesKeptOf('/ws/shot.starry', false, 1), '/ws/shot.starry');
    assert.strictEqual(framesKeptOf('/ws/walk.starry.gif', true, 0), '/ws/walk.starry.gif.frames', 'an earlier run\'s');
    assert.strictEqual(framesKeptOf('/ws/walk.starry.gif', false, 0), undefined, 'none was finished');
  });
});
