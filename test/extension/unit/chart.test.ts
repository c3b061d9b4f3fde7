import * as assert from 'assert';
import { LossRow, lossSummary, normalised } from '../../../extension/webview/chart';

// A run as the engine reports it: content rises from 0 (the start is the photo), style and the total fall, TV off.
const rows: LossRow[] = [[1, 0, 800, 0, 1200], [2, 2, 400, 0, 700], [3, 4, 100, 0, 300]];

describe('the loss chart', () => {
  it('scales each term to its own peak and leaves out a term that is off', () => {
    const series = normalised(rows);
    assert.deepStrictEqual(series.map((s) => s.name), ['total', 'content', 'style']);
    assert.deepStrictEqual(series.find((s) => s.name === 'style')!.points, [[1, 1], [2, 0.5], [3, 0.125]]);
    assert.deepStrictEqual(series.find((s) => s.name === 'content')!.points, [[2, 0.5], [3, 1]], 'a zero has no place on a log axis');
    assert.ok(series.every((s) => s.points.every(([, v]) => v > 0 && v <= 1)));
  });

  it('says in a sentence what the chart shows', () => {
    assert.strictEqual(lossSummary(rows), 'Step 1 to 3: the total fell to 25% of its start; style fell to 13% of its start.');
    assert.strictEqual(lossSummary([[1, 1, 8, 0, 9], [4, 3, 2, 0, 5]]), 'Step 1 to 4: the total fell to 56% of its start; style fell to 25% of its start; content rose to 300% of its start.');
    assert.match(lossSummary([]), /No loss yet/);
  });
});
