import { expect } from 'chai';
import {
  planStylization, Progress, resumeProblem, ScaleCheckpoint, stylize, StylizeHooks, validateOptions,
} from '../../../packages/engine/src/index';
import type { ResumePoint } from '../../../packages/engine/src/core/resume';
import { fixtureImages, testEngine } from '../helpers';

describe('resume at a scale (checkpoints)', function () {
  // Three scales of 32, 64 and 128 px (the 64 px photo enlarged): 3 + 2 + 2 steps.
  const options = { size: 128, draftSize: 32, multiScale: true, iterations: 3, fineIterations: 2, previewEvery: 0 };

  async function run(resume?: ResumePoint, hooks: StylizeHooks = {}) {
    const [engine, { content, style }] = await Promise.all([testEngine(), fixtureImages()]);
    const seen: Progress[] = [];
    const checkpoints: ScaleCheckpoint[] = [];
    const result = await stylize(engine.vgg, { content, styles: [style], options, ...(resume ? { resume } : {}) }, {
      onProgress: (p) => seen.push(p), onScaleDone: (c) => { checkpoints.push(c); }, ...hooks,
    });
    return { result, seen, checkpoints };
  }

  it('checks a resume point against the plan: its scale, its image\'s size, its steps', () => {
    const plan = planStylization(validateOptions(options), { width: 90, height: 60 }, [{ width: 50, height: 50 }],
      'cpu');
    expect(plan.scales.map((s) => s.width)).to.deep.equal([32, 64, 128]);
    const image = (width: number, height: number) => ({ width, height, data: new Uint8Array(width * height * 3) });
    expect(resumeProblem(plan, { fromScale: 3, image: image(64, 43), steps: 5 })).to.equal(null);
    expect(resumeProblem(plan, { fromScale: 1, image: image(64, 43), steps: 5 })).to.match(/scale 1 is not one/);
    expect(resumeProblem(plan, { fromScale: 4, image: image(128, 85), steps: 7 })).to.match(/has 3 scales/);
    expect(resumeProblem(plan, { fromScale: 2, image: image(64, 43), steps: 3 }))
      .to.match(/64×43 px, but scale 1 of this run is 32×21 px/);
    expect(resumeProblem(plan, { fromScale: 3, image: image(64, 43), steps: 6 })).to.match(/at most 5/);
  });

  it('hands out each scale but the last, and a run given one starts at the next scale, its steps going on', async () => {
    const full = await run();
    expect(full.checkpoints.map(({ scale, scales, steps, image }) => [scale, scales, steps, image.width]))
      .to.deep.equal([[1, 3, 3, 32], [2, 3, 5, 64]]);
    const [, second] = full.checkpoints;
    const resumed = await run({ fromScale: 3, image: second.image, steps: second.steps });
    expect(resumed.seen.map((p) => [p.scale, p.step, p.totalSteps])).to.deep.equal([[3, 6, 7], [3, 7, 7]]);
    expect(resumed.checkpoints, 'the last scale is the result, not a checkpoint').to.deep.equal([]);
    expect(resumed.result.steps).to.equal(full.result.steps);
    expect([resumed.result.image.width, resumed.result.image.height]).to.deep.equal([128, 86]);
    // The earlier scales count as done: the bar goes on from where it was, not from 0.
    const before = full.seen.find((p) => p.step === 6)!;
    expect(resumed.seen[0].fraction).to.be.above(before.fraction / 2);
    expect(full.seen[0].fraction).to.be.below(resumed.seen[0].fraction);
  });

  it('a resume point that does not fit the plan starts over and says why', async () => {
    const full = await run();
    const whys: string[] = [];
    const [first] = full.checkpoints;
    const over = await run({ fromScale: 3, image: first.image, steps: first.steps },
      { onStartOver: (w) => whys.push(w) });
    expect(whys).to.have.length(1);
    expect(whys[0]).to.match(/32×22 px, but scale 2 of this run is 64×43 px/);
    expect(over.seen[0].scale).to.equal(1);
    expect(over.seen[0].step).to.equal(1);
  });
});
