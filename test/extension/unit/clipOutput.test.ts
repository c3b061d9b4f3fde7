import * as assert from 'assert';
import {
  clipFramesFolder, clipStart, FIRST_FRAME, freeClipOutput, isAnimationPath,
} from '../../../extension/src/clipOutput';

const req = { content: '/ws/clips/walk.gif', style: 'starry', folder: '', pattern: '${name}.${style}' };
const none = () => false;

describe('a clip\'s output', () => {
  it('an animation goes beside it as <name>.<style> with its own extension', () => {
    assert.strictEqual(freeClipOutput(req, none), '/ws/clips/walk.starry.gif');
    assert.strictEqual(freeClipOutput({ ...req, content: '/ws/clips/Walk.WEBP' }, none), '/ws/clips/Walk.starry.webp');
  });

  it('a folder of frames goes beside it as a folder <folder>.<style>, its whole name kept', () => {
    assert.strictEqual(freeClipOutput({ ...req, content: '/ws/shot.v2' }, none), '/ws/shot.v2.starry');
  });

  it('follows the outputFolder and fileNamePattern settings as a still does', () => {
    const r = { ...req, folder: 'stylized', pattern: '${style}-${name}', workspaceFolder: '/ws' };
    assert.strictEqual(freeClipOutput(r, none), '/ws/stylized/starry-walk.gif');
  });

  it('never takes an existing output: -1, -2, …', () => {
    const taken = new Set(['/ws/clips/walk.starry.gif', '/ws/clips/walk.starry-1.gif']);
    assert.strictEqual(freeClipOutput(req, (f) => taken.has(f)), '/ws/clips/walk.starry-2.gif');
  });

  it('a name whose frames folder an interrupted run left is taken too: a new run paints no frames over them', () => {
    const taken = new Set(['/ws/clips/walk.starry.gif.frames']);
    assert.strictEqual(freeClipOutput(req, (f) => taken.has(f)), '/ws/clips/walk.starry-1.gif');
  });

  it('writes an animation\'s frames beside it, a folder\'s into the folder itself', () => {
    assert.strictEqual(clipFramesFolder('/ws/walk.starry.gif'), '/ws/walk.starry.gif.frames');
    assert.strictEqual(clipFramesFolder('/ws/shot.starry'), '/ws/shot.starry');
  });

  it('reads .gif, .webp, .png and videos in any case as animations, nothing else', () => {
    const names = ['a.gif', 'b.WebP', 'c.png', 'v.MOV', 'w.mp4', 'gif', 'd.gif.txt', 'e.jpg'];
    assert.deepStrictEqual(names.map(isAnimationPath), [true, true, true, true, true, false, false, false]);
  });

  it('a video is painted into an MP4 beside it, whatever its container; its frames folder beside that', () => {
    assert.strictEqual(freeClipOutput({ ...req, content: '/ws/clips/walk.MOV' }, none), '/ws/clips/walk.starry.mp4');
    assert.strictEqual(freeClipOutput({ ...req, content: '/ws/clips/walk.mp4' }, none), '/ws/clips/walk.starry.mp4');
    assert.strictEqual(clipFramesFolder('/ws/walk.starry.mp4'), '/ws/walk.starry.mp4.frames');
  });
});

describe('a clip\'s start: new, or going on after a reload or a crash', () => {
  const free = () => '/ws/clips/walk.starry-1.gif';

  it('a new clip starts from its first frame at a free output', () => {
    assert.deepStrictEqual(clipStart(undefined, free, () => true), { output: free(), resume: false });
  });

  it('goes on at its earlier output when the frames folder there has frames', () => {
    const frames = new Set([`/ws/clips/walk.starry.gif.frames/${FIRST_FRAME}`]);
    assert.deepStrictEqual(clipStart('/ws/clips/walk.starry.gif', free, (f) => frames.has(f)),
      { output: '/ws/clips/walk.starry.gif', resume: true });
    const folder = new Set([`/ws/shot.starry/${FIRST_FRAME}`]);
    assert.deepStrictEqual(clipStart('/ws/shot.starry', free, (f) => folder.has(f)),
      { output: '/ws/shot.starry', resume: true });
  });

  it('starts over at a free output when its earlier one has no frames (they were removed, or none was finished)', () => {
    assert.deepStrictEqual(clipStart('/ws/clips/walk.starry.gif', free, none), { output: free(), resume: false });
  });
});
