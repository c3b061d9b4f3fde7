import * as assert from 'assert';
import { AdapterMemory } from '../../../extension/src/adapterMemory';
import { answersProbe, recordWithPanels } from './fakeJobPanel';

const adapter = { name: 'Test GPU', fallback: false, maxTextureSize: 8192 };
const probed = { webgpu: adapter, webglProblem: 'no WebGL2 here' };
const probesOf = (posted: Array<{ type: string }>) => posted.filter((m) => m.type === 'probe').length;

describe('the window\'s GPUs (AdapterMemory)', () => {
  it('probes once, in the first job\'s panel; later jobs get the same answer without a probe', async () => {
    const memory = new AdapterMemory();
    const first = recordWithPanels(answersProbe(probed));
    const second = recordWithPanels(answersProbe(probed));
    const a = await memory.probe(first.record);
    const b = await memory.probe(second.record);
    assert.deepStrictEqual(a, probed);
    assert.deepStrictEqual(b, a);
    assert.deepStrictEqual([probesOf(first.panels.posted), probesOf(second.panels.posted)], [1, 0]);
    assert.deepStrictEqual([first.panels.opened, second.panels.opened], [0, 0], 'the panels were open');
  });

  it('a lost GPU makes the next job probe again', async () => {
    const memory = new AdapterMemory();
    const job = recordWithPanels(answersProbe(probed));
    await memory.probe(job.record);
    memory.forget();
    await memory.probe(job.record);
    assert.strictEqual(probesOf(job.panels.posted), 2);
  });

  it('a closed panel is opened for the probe', async () => {
    const memory = new AdapterMemory();
    const closed = recordWithPanels(answersProbe(probed), { open: false });
    assert.deepStrictEqual(await memory.probe(closed.record), probed);
    assert.strictEqual(closed.panels.opened, 1);
  });

  it('a panel that could not open says nothing of the GPUs: not remembered', async () => {
    const memory = new AdapterMemory();
    const closed = recordWithPanels(answersProbe(probed), { open: false, opens: false });
    const answer = await memory.probe(closed.record);
    assert.strictEqual(closed.panels.opened, 1);
    assert.strictEqual(answer.webgpuProblem, 'the panel was closed');
    const open = recordWithPanels(answersProbe(probed));
    assert.deepStrictEqual(await memory.probe(open.record), probed);
    assert.strictEqual(probesOf(open.panels.posted), 1);
  });
});
