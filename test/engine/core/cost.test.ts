import { expect } from 'chai';
import {
  defaultSpeed, estimateRun, forwardMacs, iterationMs, MachineSpeed, planWork, RunWork, scaleMs,
} from '../../../packages/engine/src/core/cost';
import { layersUpTo } from '../../../packages/engine/src/core/geometry';
import { planStylization } from '../../../packages/engine/src/core/plan';
import { RunClock } from '../../../packages/engine/src/core/run-clock';
import { fitSpeed } from '../../../packages/engine/src/core/speed-fit';
import { vggStages } from '../../../packages/engine/src/core/tiling/stages';
import { tilesPerEvaluation } from '../../../packages/engine/src/core/tiling/sweep';
import { tileShapes } from '../../../packages/engine/src/core/tiling/tile-shapes';
import { validateOptions } from '../../../packages/engine/src/core/validate';
import { StylizeOptions } from '../../../packages/engine/src/core/options';

const PHOTO = { width: 800, height: 533 };
const planOf = (options: Partial<StylizeOptions>, photo = PHOTO, backend = 'wasm') =>
  planStylization(validateOptions(options), photo, [{ width: 300, height: 300 }], backend);

describe('the cost model: a run\'s work before it starts', () => {
  it('counts a layer\'s multiply-adds from its shape: conv1_1 is 3 → 64 channels, 3×3, at every pixel', () => {
    expect(forwardMacs(10, 7, ['conv1_1'])).to.equal(10 * 7 * 3 * 64 * 9);
    // conv1_2 reads conv1_1's 64 channels; the pool after it quarters conv2_1's positions.
    expect(forwardMacs(10, 8, ['conv1_1', 'conv1_2', 'conv2_1']))
      .to.equal(80 * 3 * 64 * 9 + 80 * 64 * 64 * 9 + 20 * 64 * 128 * 9);
  });

  it('a whole scale twice as wide does four times the work; the draft and the fine scale say so', () => {
    const { scales } = planWork(planOf({ size: 600, draftSize: 300, iterations: 7, fineIterations: 3 }));
    expect(scales).to.have.length(2);
    expect(scales[1].iteration / scales[0].iteration).to.be.closeTo(4, 0.1);
    expect(scales.map((s) => s.iterations)).to.deep.equal([7, 3]);
    expect(scales.map((s) => s.ops)).to.deep.equal([1, 1]);
  });

  it('a tiled scale costs more than the whole one (halos, one more forward sweep), and reports the sweeps\' tiles', () => {
    const whole = planWork(planOf({ size: 620, multiScale: false }, PHOTO, 'tensorflow'));
    const tiled = planWork(planOf({ size: 620, multiScale: false, tileSize: 200 }, PHOTO, 'tensorflow'));
    const [w, t] = [whole.scales[0], tiled.scales[0]];
    expect(w.tiles).to.equal(0);
    expect(t.iteration / w.iteration).to.be.within(4 / 3, 2);
    expect(t.ops).to.be.above(2);
    const plan = planOf({ size: 620, multiScale: false, tileSize: 200 }, PHOTO, 'tensorflow');
    const sweep = { stages: vggStages('conv5_1'), tileShape: tileShapes(200) } as unknown as Parameters<typeof tilesPerEvaluation>[0];
    expect(t.tiles).to.equal(tilesPerEvaluation(sweep, plan.scales[0].height, plan.scales[0].width));
  });

  it('an estimate: each scale\'s warm-up and iterations at the speed given, else the backend\'s guess', () => {
    const plan = planOf({ size: 640, draftSize: 320, iterations: 9, fineIterations: 2 });
    const speed: MachineSpeed = { msPerWork: 3, msPerIteration: 150, warmupIterations: 0.5 };
    const work = planWork(plan);
    const e = estimateRun(plan, 'wasm', speed);
    expect(e.estimateMs).to.be.closeTo(scaleMs(work.scales[0], speed) + scaleMs(work.scales[1], speed), 1e-6);
    expect(e.estimateMs).to.be.closeTo((9.5 * iterationMs(work.scales[0], speed)) + 2.5
      * iterationMs(work.scales[1], speed), 1e-6);
    expect(e.measured).to.equal(true);
    const guess = estimateRun(plan, 'webgl');
    expect([guess.measured, guess.speed]).to.deep.equal([false, defaultSpeed('webgl')]);
  });

  it('says when the output is larger than the photo', () => {
    const small = { width: 480, height: 320 };
    expect(estimateRun(planOf({ size: 700 }, small), 'wasm').upscaled).to.equal(true);
    expect(estimateRun(planOf({ size: 480 }, small), 'wasm').upscaled).to.equal(false);
    expect(estimateRun(planOf({ size: 300 }, small), 'wasm').content).to.deep.equal(small);
  });
});

describe('fitting a machine\'s speed to the iterations it ran', () => {
  const truth: MachineSpeed = { msPerWork: 7, msPerIteration: 260, warmupIterations: 0.4 };
  const work = planWork(planOf({ size: 1000, draftSize: 250, iterations: 5, fineIterations: 5 }, PHOTO, 'tensorflow'));

  it('two scales of different shapes give both costs back', () => {
    const samples = work.scales.slice(0, 2).map((scale) => ({ scale, ms: iterationMs(scale, truth), count: 4 }));
    const fitted = fitSpeed(samples, defaultSpeed('wasm'));
    expect(fitted.msPerWork).to.be.closeTo(truth.msPerWork, 1e-6);
    expect(fitted.msPerIteration).to.be.closeTo(truth.msPerIteration, 1e-6);
  });

  it('one scale scales the earlier speed to it, keeping its split; so does a fit that goes negative', () => {
    const base: MachineSpeed = { msPerWork: 2, msPerIteration: 100, warmupIterations: 1 };
    const scale = work.scales[1];
    const fitted = fitSpeed([{ scale, ms: 3 * iterationMs(scale, base), count: 3 }], base);
    expect(fitted.msPerWork).to.be.closeTo(6, 1e-9);
    expect(fitted.msPerIteration).to.be.closeTo(300, 1e-9);
    // The larger scale faster than the smaller: noise, not a negative cost per GMAC.
    const noisy = fitSpeed([{ scale: work.scales[0], ms: 900, count: 2 }, { scale, ms: 800, count: 2 }], base);
    expect(noisy.msPerWork).to.be.above(0);
    expect(noisy.msPerIteration / noisy.msPerWork).to.be.closeTo(50, 1e-9);
  });
});

/** A run's progress, simulated on a clock the test moves: each iteration takes what `truth` says it takes. */
function simulate(work: RunWork, plan: ReturnType<typeof planOf>, truth: MachineSpeed, prior?: MachineSpeed) {
  const saved = performance.now;
  let now = 1000;
  performance.now = () => now;
  try {
    const clock = new RunClock(plan, 'wasm', prior);
    const losses = { content: 1, style: 1, tv: 1, total: 3 };
    const reports: Array<{ at: number; etaMs: number; fraction: number }> = [];
    for (const scale of plan.scales) {
      clock.beginScale();
      const ms = iterationMs(work.scales[scale.index], truth);
      now += truth.warmupIterations * ms;
      for (let i = 1; i <= scale.iterations; i++) {
        for (let tile = 1; tile < 4; tile++) {
          now += ms / 4;
          reports.push({ at: now - 1000, ...clock.partial(scale, i, tile, 4, losses) });
        }
        now += ms / 4;
        reports.push({ at: now - 1000, ...clock.tick(scale, i, losses) });
      }
    }
    return { reports, totalMs: now - 1000, speed: clock.speed };
  } finally {
    performance.now = saved;
  }
}

describe('the ETA and the share done of a run, as its clock reports them', () => {
  const plan = planOf({ size: 720, draftSize: 360, iterations: 12, fineIterations: 6 });
  const work = planWork(plan);
  // A loaded machine's wasm: its dispatches cost what ~20 GMAC do (measured between 6 and 23 with bench/eta.mjs).
  const truth: MachineSpeed = { msPerWork: 9, msPerIteration: 190, warmupIterations: 1.3 };
  // An earlier run on a less loaded machine: each cost 0.6 times as much.
  const earlier = { msPerWork: 5.4, msPerIteration: 114, warmupIterations: 0.8 };

  for (const [name, prior] of [['a guess', undefined], ['an earlier run\'s speed', earlier]] as const) {
    it(`is within 25 % of the time left from 10 % of the run on, starting from ${name}`, () => {
      const { reports, totalMs } = simulate(work, plan, truth, prior);
      for (const r of reports.filter((p) => p.at >= 0.1 * totalMs && p.at < totalMs)) {
        const left = totalMs - r.at;
        expect(Math.abs(r.etaMs - left) / left, `at ${Math.round(r.at)} of ${totalMs} ms: ETA ${r.etaMs}`).to.be.below(0.25);
      }
    });
  }

  it('counts time, not steps: once the draft\'s 12 steps of 18 are done, the share is the draft\'s share of the time', () => {
    const { reports, totalMs } = simulate(work, plan, truth, truth);
    const draftEnd = reports[12 * 4 - 1];
    expect(draftEnd.fraction).to.be.closeTo(draftEnd.at / totalMs, 0.05);
    expect(draftEnd.fraction).to.be.below(12 / 18 - 0.2);
    const fractions = reports.map((r) => r.fraction);
    expect(fractions).to.deep.equal([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).to.equal(1);
  });

  it('measures the machine\'s speed for the next run\'s estimate', () => {
    const { speed, totalMs } = simulate(work, plan, truth);
    expect(speed!.msPerWork).to.be.closeTo(truth.msPerWork, 0.01);
    expect(speed!.msPerIteration).to.be.closeTo(truth.msPerIteration, 1);
    expect(speed!.warmupIterations).to.be.closeTo(truth.warmupIterations, 0.01);
    expect(estimateRun(plan, 'wasm', speed).estimateMs).to.be.closeTo(totalMs, totalMs * 0.01);
  });
});

describe('layersUpTo, as the cost model reads the network', () => {
  it('runs VGG19 to the deepest layer in use', () => {
    expect(layersUpTo('conv2_1')).to.deep.equal(['conv1_1', 'conv1_2', 'conv2_1']);
  });
});
