import * as assert from 'assert';
import type { FromCompute, ToCompute } from '../../../extension/shared/protocol';
import { AdapterMemory } from '../../../extension/src/adapterMemory';
import { JobRecord } from '../../../extension/src/jobRecord';
import type { JobPanel } from '../../../extension/src/panel';

const adapter = { name: 'Test GPU', fallback: false, maxTextureSize: 8192 };

/** A record whose panel answers every probe with `adapter` (or, closed, answers nothing), counting the probes. */
function recordWithPanel(closed = false): { record: JobRecord; probes: () => number } {
  const record = new JobRecord({ job: { id: 'j', contentName: 'c.png', styleName: 's', contentSrc: '', styleSrc: '', contentPath: '/c.png', stylePath: '/s.png', outputPath: '', status: 'queued' }, losses: [] });
  let probes = 0;
  const panel = {
    isDisposed: closed,
    post: () => undefined,
    postCompute: (m: ToCompute) => {
      if (m.type !== 'probe') return;
      probes++;
      const answer: FromCompute = { type: 'adapters', webgpu: adapter, webglProblem: 'no WebGL2 here' };
      setImmediate(() => record.computeListeners.forEach((l) => l(answer)));
    },
    onDidDispose: () => ({ dispose: () => undefined }),
  };
  record.panel = panel as unknown as JobPanel;
  return { record, probes: () => probes };
}

describe('the window\'s GPUs (AdapterMemory)', () => {
  it('probes once, in the first job\'s panel; later jobs get the same answer without a probe', async () => {
    const memory = new AdapterMemory();
    const first = recordWithPanel();
    const second = recordWithPanel();
    const a = await memory.probe(first.record, () => assert.fail('the panel is open'));
    const b = await memory.probe(second.record, () => assert.fail('the panel is open'));
    assert.deepStrictEqual(a, { webgpu: adapter, webglProblem: 'no WebGL2 here' });
    assert.deepStrictEqual(b, a);
    assert.deepStrictEqual([first.probes(), second.probes()], [1, 0]);
  });

  it('a lost GPU makes the next job probe again', async () => {
    const memory = new AdapterMemory();
    const job = recordWithPanel();
    await memory.probe(job.record, () => undefined);
    memory.forget();
    await memory.probe(job.record, () => undefined);
    assert.strictEqual(job.probes(), 2);
  });

  it('a panel that closed says nothing of the GPUs: not remembered; a closed panel is opened for the probe', async () => {
    const memory = new AdapterMemory();
    const closed = recordWithPanel(true);
    let opened = 0;
    const answer = await memory.probe(closed.record, () => opened++);
    assert.strictEqual(opened, 1);
    assert.strictEqual(answer.webgpuProblem, 'the panel was closed');
    const open = recordWithPanel();
    assert.deepStrictEqual(await memory.probe(open.record, () => undefined), { webgpu: adapter, webglProblem: 'no WebGL2 here' });
    assert.strictEqual(open.probes(), 1);
  });
});
