/**
 * The brush's painting (webview/regionsBrush.ts), without a page: stamps are
 * hard-edged discs, a stroke leaves no gaps, the masks are one a style, and
 * a saved set of masks reads back as the painting it was.
 */
import * as assert from 'assert';
import { KEEP, RegionPainting } from '../../../extension/webview/regionsBrush';

const at = (p: RegionPainting, x: number, y: number) => p.labels[y * p.width + x];

describe('the regions brush\'s painting', () => {
  it('starts as the default (the first style everywhere), and a stamp is a disc of one label, clipped', () => {
    const p = new RegionPainting(10, 8);
    assert.ok(p.isDefault());
    const dirty = p.stamp(0, 0, 3, 1);
    assert.deepStrictEqual(dirty, { x0: 0, y0: 0, x1: 3, y1: 3 });
    assert.deepStrictEqual([at(p, 0, 0), at(p, 2, 0), at(p, 2, 2), at(p, 5, 5)], [1, 1, 0, 0]);
    assert.ok(new Set(p.labels).size === 2 && !p.isDefault(), 'only the two labels, no mix at the edge');
  });

  it('a stroke paints every pixel between its ends', () => {
    const p = new RegionPainting(40, 5);
    p.stroke(1, 2, 38, 2, 1, KEEP);
    for (let x = 1; x < 38; x++) assert.strictEqual(at(p, x, 2), KEEP, `x ${x}`);
  });

  it('gives one mask a style, white where it goes, black elsewhere (Keep in none)', () => {
    const p = new RegionPainting(4, 1);
    p.labels.set([0, 1, KEEP, 0]);
    assert.deepStrictEqual([...p.mask(0)], [255, 0, 0, 255]);
    assert.deepStrictEqual([...p.mask(1)], [0, 255, 0, 0]);
  });

  it('reads saved masks back as their painting; a style no longer offered goes back to the first', () => {
    const masks = [Uint8Array.from([255, 0, 0, 200]), Uint8Array.from([0, 255, 0, 0])];
    const p = RegionPainting.fromMasks(4, 1, masks);
    assert.deepStrictEqual([...p.labels], [0, 1, KEEP, 0]);
    p.keepStyles(1);
    assert.deepStrictEqual([...p.labels], [0, 0, KEEP, 0]);
    p.clear();
    assert.ok(p.isDefault());
  });
});
