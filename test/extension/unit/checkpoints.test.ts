/**
 * A running job's checkpoints through a reload, without VS Code: what the
 * saved queue keeps of them, which saved paths a resumed job may use, and
 * which files go when.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  type Checkpoint, checkpointProblem, checkpointView, removeCheckpointsOf, removeStaleCheckpoints,
} from '../../../extension/src/checkpoints';
import type { JobOrder } from '../../../extension/src/jobs';
import { withPngText } from '../../../packages/engine/src/node/png-text';
import { CHECKPOINT_TRACE_KEYWORD } from '../../../packages/engine/src/result-parameters';
import { orderOfSaved, resumedNote, savedJobsOf } from '../../../extension/src/resume';
import { parseSavedQueue } from '../../../extension/src/savedQueue';

describe('checkpoints of a running job, through a reload', () => {
  let dir: string;
  const write = (name: string) => {
    fs.writeFileSync(path.join(dir, name), 'png');
    return path.join(dir, name);
  };
  const checkpoint = (file: string, scale = 2): Checkpoint => ({ scale, scales: 4, steps: 36, file });

  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-checkpoints-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the running job is saved with its checkpoint and whether its panel was open, and queued again with both', () => {
    const request = { content: path.resolve('/photos/dune.png'), style: { path: path.resolve('/s/kelp.jpg'), id: 'kelp',
      label: 'Kelp' } };
    const saved = savedJobsOf<JobOrder & { checkpoint?: Checkpoint; record?: { livePanel?: unknown } }>({
      running: { id: 'ns9-4', state: 'running', job: { request, checkpoint: checkpoint(path.join(dir, 'ns9-4.scale-2.png')),
        record: { livePanel: {} } } },
      queued: [{ id: 'ns9-5', state: 'queued', job: { request, record: {} } }],
    });
    assert.deepStrictEqual(saved.map((s) => [s.checkpoint?.scale, s.panel]), [[2, true], [undefined, undefined]]);
    const again = parseSavedQueue(JSON.parse(JSON.stringify(saved)), (why) => assert.fail(why)).map(orderOfSaved);
    assert.deepStrictEqual(again.map((o) => [o.resume, o.restoredTab]),
      [[checkpoint(path.join(dir, 'ns9-4.scale-2.png')), true], [undefined, undefined]]);
    // The saved record is strict: a checkpoint without its steps is no checkpoint, and its job is dropped whole.
    const warnings: string[] = [];
    const { steps: _steps, ...partial } = checkpoint(path.join(dir, 'x.png'));
    parseSavedQueue([{ ...saved[0], checkpoint: partial }], (why) => warnings.push(why));
    assert.match(warnings[0], /saved job 1 was dropped: Missing field "checkpoint.steps"/);
  });

  it('a saved checkpoint is used only when it is that job\'s file in the folder, there, and before the last scale', () => {
    const own = write('ns9-4.scale-2.png');
    assert.strictEqual(checkpointProblem(checkpoint(own), 'ns9-4', dir), null);
    assert.match(checkpointProblem(checkpoint(own), 'ns9-4', undefined)!, /no storage folder/);
    const elsewhere = [path.join(dir, '..', 'ns9-4.scale-2.png'), path.join(dir, 'sub', 'ns9-4.scale-2.png'),
      path.join(dir, 'ns9-5.scale-2.png'), path.join(dir, 'ns9-4.scale-3.png'), 'ns9-4.scale-2.png', '/etc/passwd'];
    for (const file of elsewhere) {
      assert.match(checkpointProblem(checkpoint(file), 'ns9-4', dir)!, /is not job ns9-4's in/, file);
    }
    assert.match(checkpointProblem({ ...checkpoint(write('ns9-4.scale-4.png'), 4) }, 'ns9-4', dir)!,
      /scale 4 of 4 after 36 steps is not one to resume from/);
    fs.rmSync(own);
    assert.match(checkpointProblem(checkpoint(own), 'ns9-4', dir)!, /is gone/);
  });

  it('a job\'s newer checkpoint replaces its older; its end removes them; activation removes those no job names', () => {
    const [older, newer, other] = ['ns9-4.scale-1.png', 'ns9-4.scale-2.png', 'ns9-5.scale-1.png'].map(write);
    assert.deepStrictEqual(removeCheckpointsOf(dir, 'ns9-4', newer), ['ns9-4.scale-1.png']);
    assert.ok(!fs.existsSync(older) && fs.existsSync(newer) && fs.existsSync(other));
    assert.deepStrictEqual(removeCheckpointsOf(dir, 'ns9-4'), ['ns9-4.scale-2.png']);
    write('.neural-style.77.1-0.tmp');
    assert.deepStrictEqual(removeStaleCheckpoints(dir, [other]), ['.neural-style.77.1-0.tmp']);
    assert.deepStrictEqual(fs.readdirSync(dir), ['ns9-5.scale-1.png']);
    assert.deepStrictEqual(removeStaleCheckpoints(path.join(dir, 'none'), []), [], 'no folder yet: nothing to do');
  });

  it('the chart of a resumed job goes on from its checkpoint\'s loss trace, checked against its steps', () => {
    const png = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'chelsea-64.png'));
    const file = path.join(dir, 'ns9-4.scale-2.png');
    const withTrace = (trace: unknown) => fs.writeFileSync(file,
      withPngText(png, CHECKPOINT_TRACE_KEYWORD, JSON.stringify(trace)));
    withTrace([[1, 9, 8, 0, 17], [36, 5, 4, 0, 9]]);
    assert.deepStrictEqual(checkpointView(checkpoint(file))?.losses, [[1, 9, 8, 0, 17], [36, 5, 4, 0, 9]]);
    withTrace([[1, 9, 8, 0, 17], [37, 5, 4, 0, 9]]);
    assert.deepStrictEqual(checkpointView(checkpoint(file))?.losses, [], 'a step after the checkpoint\'s 36');
  });

  it('the resumed job\'s panel shows the checkpoint at once and says where the job goes on from', () => {
    const file = write('ns9-4.scale-2.png');
    assert.deepStrictEqual(checkpointView(checkpoint(file)),
      { src: `data:image/png;base64,${Buffer.from('png').toString('base64')}`, losses: [] });
    assert.strictEqual(checkpointView(checkpoint(path.join(dir, 'gone.png'))), undefined);
    assert.strictEqual(resumedNote(checkpoint(file)),
      'Interrupted by a window reload, and queued again: it goes on after scale 2 of 4 (step 36).');
    assert.strictEqual(resumedNote(), 'Interrupted by a window reload, and queued again.');
  });
});
