import { expect } from 'chai';
import { fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FromEngine, parseFromEngine, ToEngine } from '../../../packages/engine/src/protocol';
import {
  CHECKPOINT_TRACE_KEYWORD, checkpointName, checkpointTrace, checkResumeFile, readCheckpoint,
} from '../../../packages/engine/src/node/checkpoint';
import { readPngText, withPngText } from '../../../packages/engine/src/node/png-text';
import { parseResultParameters, PARAMETERS_KEYWORD } from '../../../packages/engine/src/result-parameters';

const readResultParameters = (file: string) =>
  parseResultParameters(readPngText(fs.readFileSync(file))[PARAMETERS_KEYWORD]);
import { CONTENT, STYLE, tempDir } from '../helpers';

const WORKER = require.resolve('@neural-style/engine/worker');

/** Runs one job in a fresh engine process; resolves with every message it sent, up to the job's end. */
function runJob(start: ToEngine<'start'>): Promise<FromEngine[]> {
  const child = fork(WORKER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const messages: FromEngine[] = [];
  return new Promise((resolve) => {
    child.on('message', (raw) => {
      const message = parseFromEngine(raw);
      messages.push(message);
      if (message.type === 'ready') child.send(start);
      if (['done', 'error', 'cancelled'].includes(message.type) || message.type === 'refused') {
        child.kill();
        resolve(messages);
      }
    });
  });
}

const of = <T extends FromEngine['type']>(messages: FromEngine[], type: T) =>
  messages.filter((m): m is Extract<FromEngine, { type: T }> => m.type === type);

describe('engine process: checkpoints and resume', () => {
  // Two scales, 40 then 80 px (the draft 2 steps, the finer 3).
  const options = { size: 80, draftSize: 40, multiScale: true, iterations: 2, fineIterations: 3, previewEvery: 0 };

  it('writes each finished scale but the last into the host\'s folder, and a job resumed from it starts at the next',
    async () => {
      const dir = tempDir();
      const checkpoints = path.join(dir, 'checkpoints');
      const job = { content: CONTENT, styles: [STYLE], options, checkpoints };
      const first = await runJob({ type: 'start', id: 'ns-a/1', job: { ...job, output: path.join(dir, 'a.png') } });
      const written = of(first, 'checkpoint');
      expect(written.map(({ id, scale, scales, steps }) => [id, scale, scales, steps])).to.deep.equal([['ns-a/1', 1, 2, 2]]);
      expect(written[0].file).to.equal(path.join(checkpoints, 'ns-a_1.scale-1.png'));
      const image = await readCheckpoint(written[0].file);
      expect([image.width, image.height]).to.deep.equal([40, 27]);
      expect(fs.readdirSync(checkpoints), 'no temp file is left').to.deep.equal(['ns-a_1.scale-1.png']);

      // The trace so far goes with it: the resumed run's chart and picture go on from it.
      const stepsOf = (trace: number[][] | undefined) => trace?.map(([step]) => step);
      expect(stepsOf(checkpointTrace(fs.readFileSync(written[0].file), 2))).to.deep.equal([1, 2]);

      const resume = { fromScale: 2, image: written[0].file, steps: 2 };
      const again = await runJob({ type: 'start', id: 'ns-a/1', job: { ...job, output: path.join(dir, 'b.png'), resume } });
      expect(of(again, 'progress').map((p) => [p.scale, p.step])).to.deep.equal([[2, 3], [2, 4], [2, 5]]);
      expect(of(again, 'done')[0]).to.include({ steps: 5 });
      const whole = readResultParameters(path.join(dir, 'a.png')).losses;
      const resumed = readResultParameters(path.join(dir, 'b.png')).losses;
      expect(stepsOf(resumed)).to.deep.equal(stepsOf(whole)).and.to.deep.equal([1, 2, 3, 4, 5]);
      expect(resumed!.slice(0, 2), 'the steps before the checkpoint are the first run\'s').to.deep.equal(whole!.slice(0, 2));
    });

  it('a checkpoint\'s trace is checked: one that is not a trace of its steps is refused, saying why', async () => {
    const png = fs.readFileSync(STYLE);
    expect(checkpointTrace(png, 2), 'a checkpoint written without one').to.deep.equal([]);
    const withTrace = (text: string) => withPngText(png, CHECKPOINT_TRACE_KEYWORD, text);
    expect(checkpointTrace(withTrace('[[1,5,4,0,9],[2,4,3,0,7]]'), 2)).to.have.length(2);
    expect(() => checkpointTrace(withTrace('[[1,5,4,0,9],[3,4,3,0,7]]'), 2)).to.throw(/loss trace is not usable/);
    expect(() => checkpointTrace(withTrace('[[1,-5,4,0,9]]'), 2)).to.throw(/point 1/);
    expect(() => checkpointTrace(withTrace('{'), 2)).to.throw(/loss trace is not usable/);
  });

  it('a checkpoint of another size starts over, and says why in a warning', async () => {
    const dir = tempDir();
    const file = path.join(dir, checkpointName('j', 1));
    fs.copyFileSync(STYLE, file); // 64 px, not the draft's 40
    const resume = { fromScale: 2, image: file, steps: 2 };
    const job = { content: CONTENT, styles: [STYLE], options, checkpoints: dir, output: path.join(dir, 'c.png'), resume };
    const messages = await runJob({ type: 'start', id: 'j', job });
    const warned = of(messages, 'log').find((m) => m.level === 'warn' && /could not resume/.test(m.message));
    expect(warned?.message).to.match(/the checkpoint is 64×\d+ px, but scale 1 of this run is 40×27 px; starting over/);
    expect(of(messages, 'progress')[0]).to.include({ scale: 1, step: 1 });
    expect(of(messages, 'done')).to.have.length(1);
  });

  it('refuses a resume image outside the checkpoints folder, or not a PNG', () => {
    const dir = path.resolve('/tmp/ns-checkpoints');
    expect(() => checkResumeFile(path.join(dir, 'j.scale-1.png'), dir)).to.not.throw();
    for (const bad of [path.join(dir, '..', 'j.scale-1.png'), path.join(dir, 'sub', 'j.png'), path.join(dir, 'j.jpg'),
      'j.scale-1.png']) {
      expect(() => checkResumeFile(bad, dir), bad).to.throw(/is not a PNG in the job's checkpoints folder/);
    }
    expect(() => checkResumeFile(path.join(dir, 'j.scale-1.png'), undefined)).to.throw(/checkpoints folder ""/);
  });
});
