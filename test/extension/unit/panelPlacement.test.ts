/** Where panels and results open (panelPlacement.ts): one group for the panels, a result in its panel's group. */
import * as assert from 'assert';
import { panelColumn, resultColumn } from '../../../extension/src/panelPlacement';

const JOB = 'neuralStyle.job';

describe('where panels and results open', () => {
  it('the first panel opens beside; the next ones join the group that shows one', () => {
    assert.strictEqual(panelColumn([{ column: 1 }, { column: 1, viewType: 'markdown.preview' }], JOB), undefined);
    const tabs = [{ column: 1 }, { column: 3, viewType: `mainThreadWebview-${JOB}` }, { column: 2, viewType: JOB }];
    assert.strictEqual(panelColumn(tabs, JOB), 3);
  });

  it('a result opens in its panel\'s group, else in the panels\' group, else the first', () => {
    const tabs = [{ column: 1 }, { column: 2, viewType: JOB }];
    assert.strictEqual(resultColumn(4, tabs, JOB), 4);
    assert.strictEqual(resultColumn(undefined, tabs, JOB), 2);
    assert.strictEqual(resultColumn(undefined, [{ column: 1 }], JOB), 1);
  });
});
