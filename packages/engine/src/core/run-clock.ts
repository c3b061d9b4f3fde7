import { defaultSpeed, iterationMs, MachineSpeed, planWork, RunWork, scaleMs } from './cost';
import { RgbImage } from './image/host-image';
import { Plan, ScalePlan } from './plan';
import { LossTerms, Progress } from './progress';
import { fitSpeed, SpeedSample } from './speed-fit';

/**
 * Steps, elapsed time, how far a run is and its ETA, from each part's cost
 * (cost.ts): a 1024 px iteration costs what it costs, not what a 512 px one
 * did, and its tiles count as they end. The speed starts as `prior` (what
 * earlier runs on this machine measured, else the backend's guess) and is
 * fitted to this run's own steady iterations as they come. A scale's first
 * iteration is its warm-up (GPU shaders compile, wasm runs a shape for the
 * first time): the steady time comes from the iterations after it, and what
 * it adds is measured in iterations of its scale.
 */
export class RunClock {
  private readonly started = performance.now();
  private readonly work: RunWork;
  private readonly base: MachineSpeed;
  private began = this.started;
  /** When the current scale's first iteration ended, if it has, and its steady ms per iteration since. */
  private warmedAt: number | null = null;
  private steady: SpeedSample | null = null;
  private readonly samples: SpeedSample[] = [];
  private readonly warmups: number[] = [];
  private step = 0;
  private shown = 0;
  /** What the scales an earlier run finished would take at the prior speed: time done before this run began. */
  private readonly doneMs: number;

  /** `resumed`: the run takes over after that many scales and steps of an earlier one (its checkpoint). */
  constructor(private readonly plan: Plan, private readonly backend: string, prior?: MachineSpeed,
    resumed?: { scales: number; steps: number }) {
    this.work = planWork(plan);
    this.base = prior ?? defaultSpeed(backend);
    this.step = resumed?.steps ?? 0;
    this.doneMs = this.work.scales.slice(0, resumed?.scales ?? 0).reduce((sum, s) => sum + scaleMs(s, this.base), 0);
  }

  get steps(): number { return this.step; }
  get elapsedMs(): number { return performance.now() - this.started; }

  /** The speed this run measured, for the next runs' estimates; none before a scale ran two iterations. */
  get speed(): MachineSpeed | undefined {
    return this.samples.length || this.steady ? this.fitted() : undefined;
  }

  /** The next scale begins: its objective (its targets) is built from now on. */
  beginScale(): void {
    if (this.steady) this.samples.push(this.steady);
    this.steady = null;
    this.warmedAt = null;
    this.began = performance.now();
  }

  /** The progress record of `iteration` (1-based) of `scale`, counting it as a step done. */
  tick(scale: ScalePlan, iteration: number, losses: LossTerms, preview?: RgbImage, tiles?: number): Progress {
    this.step += 1;
    this.measure(scale, iteration);
    return { ...this.record(scale, iteration, iteration, losses), ...(tiles ? { tile: tiles, tiles } : {}), preview };
  }

  /** Within an iteration of a tiled scale: `done` of `total` tiles, the losses still the last iteration's. */
  partial(scale: ScalePlan, iteration: number, done: number, total: number, losses: LossTerms): Progress {
    return { ...this.record(scale, iteration, iteration - 1 + done / total, losses), tile: done, tiles: total };
  }

  private measure(scale: ScalePlan, iteration: number): void {
    const now = performance.now();
    const work = this.work.scales[scale.index];
    if (iteration === 1) {
      this.warmedAt = now;
      // The first iteration, warm-up and all, is the freshest news of the machine's load: half a sample till the next.
      this.steady = { scale: work, ms: (now - this.began) / (1 + this.fitted().warmupIterations), count: 0.5 };
    }
    if (iteration < 2 || this.warmedAt === null) return;
    const ms = (now - this.warmedAt) / (iteration - 1);
    this.steady = { scale: work, ms, count: iteration - 1 };
    if (iteration === 2) this.warmups.push(Math.max(0, (this.warmedAt - this.began - ms) / ms));
  }

  private fitted(): MachineSpeed {
    const speed = fitSpeed(this.steady ? [...this.samples, this.steady] : this.samples, this.base);
    const warmups = this.warmups;
    const warmupIterations = warmups.length
      ? warmups.reduce((a, b) => a + b, 0) / warmups.length : speed.warmupIterations;
    return { ...speed, warmupIterations };
  }

  /** ms left: the current scale's at its own measured pace (else the fitted one's), then the later scales'. */
  private etaMs(scale: ScalePlan, iterationsDone: number): number {
    const speed = this.fitted();
    const work = this.work.scales[scale.index];
    const perIteration = this.steady?.ms ?? iterationMs(work, speed);
    let current = (scale.iterations - iterationsDone) * perIteration;
    if (this.warmedAt === null) {
      // In the warm-up: what is left of it by the time it should take, never less than its tiles say.
      const firstMs = (speed.warmupIterations + 1) * perIteration;
      const first = Math.max(firstMs - (performance.now() - this.began), (1 - iterationsDone) * perIteration);
      current = first + (scale.iterations - 1) * perIteration;
    }
    const later = this.work.scales.slice(scale.index + 1).reduce((sum, s) => sum + scaleMs(s, speed), 0);
    return Math.max(0, current) + later;
  }

  private record(scale: ScalePlan, iteration: number, iterationsDone: number, losses: LossTerms): Progress {
    const { width, height } = scale;
    const elapsedMs = this.elapsedMs;
    const last = scale.index === this.plan.scales.length - 1 && iterationsDone >= scale.iterations;
    const etaMs = last ? 0 : this.etaMs(scale, iterationsDone);
    // Time done over time in all, never going back: the share of the wait that is over (a resumed run's earlier
    // scales counted done).
    const done = elapsedMs + this.doneMs;
    this.shown = Math.max(this.shown, last ? 1 : done / (done + etaMs));
    return {
      scale: scale.index + 1, scales: this.plan.scales.length, width, height, iteration, iterations: scale.iterations,
      step: this.step, totalSteps: this.plan.totalSteps, losses, elapsedMs, etaMs, backend: this.backend,
      fraction: this.shown,
    };
  }
}
