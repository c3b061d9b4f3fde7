import * as assert from 'assert';
import { clipFrameOf, MAX_STRIP_FRAMES, withFrame } from '../../../extension/shared/frameStrip';
import { type PanelState, parsePanelState, parseToWebview } from '../../../extension/shared/protocol';
import { applyMessage } from '../../../extension/shared/state';

const thumb = (frame: number, frames = 5) => ({ frame, frames, src: `data:image/png;base64,${frame}` });

describe('a clip\'s strip of finished frames', () => {
  it('keeps the frames in order, one thumbnail a frame', () => {
    let strip = withFrame(undefined, thumb(2));
    strip = withFrame(strip, thumb(1));
    strip = withFrame(strip, thumb(3));
    strip = withFrame(strip, { ...thumb(2), src: 'data:image/png;base64,again' });
    assert.deepStrictEqual(strip.map((t) => t.frame), [1, 2, 3]);
    assert.strictEqual(strip[1].src, 'data:image/png;base64,again', 'a frame painted again replaces its thumbnail');
  });

  it('keeps the newest MAX_STRIP_FRAMES of a long clip', () => {
    let strip = withFrame(undefined, thumb(1, 200));
    for (let f = 2; f <= 100; f++) strip = withFrame(strip, thumb(f, 200));
    assert.strictEqual(strip.length, MAX_STRIP_FRAMES);
    assert.strictEqual(strip[strip.length - 1].frame, 100);
    assert.strictEqual(strip[0].frame, 100 - MAX_STRIP_FRAMES + 1);
  });

  it('a frame of another clip (another frame count) starts a new strip', () => {
    assert.deepStrictEqual(withFrame([thumb(1), thumb(2)], thumb(1, 3)).map((t) => t.frames), [3]);
  });

  it('reads "frame k of n" from a clip\'s progress only', () => {
    assert.deepStrictEqual(clipFrameOf({ frame: 2, frames: 3 }), { frame: 2, frames: 3 });
    assert.strictEqual(clipFrameOf({}), undefined);
    assert.strictEqual(clipFrameOf(undefined), undefined);
  });
});

describe('the panel\'s frame message', () => {
  const state: PanelState = {
    job: { id: 'j', contentName: 'walk.gif', styleName: 'starry', contentSrc: '', styleSrc: '', contentPath: '/w.gif',
      stylePath: '/s.png', outputPath: '', status: 'running', clip: true },
    losses: [],
  };

  it('is validated: the fields the strip needs, nothing else', () => {
    assert.deepStrictEqual(parseToWebview({ type: 'frame', ...thumb(1) }), { type: 'frame', ...thumb(1) });
    assert.throws(() => parseToWebview({ type: 'frame', frame: 1, frames: 5 }), /src/);
    assert.throws(() => parseToWebview({ type: 'frame', ...thumb(1), file: '/etc/passwd' }), /file/);
    assert.throws(() => parseToWebview({ type: 'frame', ...thumb(1), frame: '1' }), /frame/);
  });

  it('adds its thumbnail to the panel\'s state, which a restored panel keeps', () => {
    const after = [1, 2, 3].reduce((s, f) => applyMessage(s, { type: 'frame', ...thumb(f, 3) }), state);
    assert.deepStrictEqual(after.frames?.map((t) => t.frame), [1, 2, 3]);
    assert.deepStrictEqual(parsePanelState(JSON.parse(JSON.stringify(after)))?.frames, after.frames);
  });
});
