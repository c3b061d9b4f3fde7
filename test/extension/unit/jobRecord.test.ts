import * as assert from 'assert';
import { recordWithPanels } from './fakeJobPanel';

const nothing = () => undefined;

describe('a job\'s record (its panel state and its panel)', () => {
  it('keeps every message in its state, and passes it on only while its panel is open', () => {
    const { record, panels } = recordWithPanels(nothing);
    record.post({ type: 'status', status: 'queued', position: 2 });
    panels.close();
    record.post({ type: 'status', status: 'cancelled' });
    assert.strictEqual(record.state.job.status, 'cancelled');
    assert.deepStrictEqual(panels.posted, [{ type: 'status', status: 'queued', position: 2 }]);
  });

  it('show brings an open panel to the front and opens a closed one; open leaves an open one be', () => {
    const { record, panels } = recordWithPanels(nothing);
    record.show();
    record.open();
    assert.deepStrictEqual([panels.revealed, panels.opened], [1, 0]);
    panels.close();
    record.show();
    assert.deepStrictEqual([panels.revealed, panels.opened], [1, 1]);
    assert.ok(record.livePanel, 'the new panel is the record\'s');
  });

  it('a run\'s channel reaches the panel open now, and hears that it closed', async () => {
    const { record, panels } = recordWithPanels(nothing, { open: false });
    let closed = 0;
    record.channel.onClosed(() => closed++);
    await Promise.resolve();
    assert.strictEqual(closed, 1, 'no panel: closed at once');
    record.open();
    record.channel.onClosed(() => closed++);
    record.channel.post({ type: 'stopCompute' });
    assert.deepStrictEqual(panels.posted, [{ type: 'stopCompute' }]);
    panels.close();
    assert.strictEqual(closed, 2);
  });
});
