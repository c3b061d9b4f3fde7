import { CancelledError, NeuralStyleError } from './errors';
import { RgbImage } from './image/host-image';
import { ImageSpace } from './image-space';
import { Evaluation, EvaluationHooks, Objective } from './objective';
import { createOptimizer } from './optim/optimizers';
import { Plan, ScalePlan } from './plan';
import { LossTerms, Progress } from './progress';
import { explainFailure, historyFor } from './memory-limits';

/*
 * One scale's optimisation: what the optimiser moves (pixels or a pyramid,
 * on the backend or in ordinary memory), the optimiser, and the loop with its
 * cancel, divergence and convergence checks, previews and progress reports.
 */

export interface LoopHooks {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

/**
 * Steps, elapsed time and the ETA over all scales of a run, from the measured
 * cost per pixel-iteration. A scale's first iteration is its warm-up: it also
 * compiles the GPU's shaders for the scale's shapes (seconds on a GPU
 * backend, nothing on wasm). So the rate comes from the iterations after it,
 * and each later scale's estimate adds a warm-up like the last one measured.
 */
export class RunClock {
  private readonly started = performance.now();
  private scaleStarted = this.started;
  /** When the current scale's first iteration ended, if it has. */
  private warmedAt: number | null = null;
  /** The last measured warm-up's cost over a plain iteration, and the last steady ms per pixel-iteration. */
  private warmupMs = 0;
  private steadyRate: number | null = null;
  private step = 0;

  constructor(private readonly plan: Plan, private readonly backend: string) {}

  get steps(): number { return this.step; }
  get elapsedMs(): number { return performance.now() - this.started; }

  startScale(): void {
    this.scaleStarted = performance.now();
    this.warmedAt = null;
  }

  /** The progress record of `iteration` (1-based) of `scale`, counting it as a step done. */
  tick(scale: ScalePlan, iteration: number, losses: LossTerms, preview?: RgbImage, tiles?: number): Progress {
    this.step += 1;
    const record = this.record(scale, iteration, iteration, losses);
    if (iteration === 1) this.warmedAt = performance.now();
    if (iteration === 2) this.warmupMs = Math.max(0, 2 * (this.warmedAt! - this.scaleStarted) - (performance.now() - this.scaleStarted));
    return { ...record, ...(tiles ? { tile: tiles, tiles } : {}), preview };
  }

  /** Within an iteration of a tiled scale: `done` of `total` tiles, the losses still the last iteration's. */
  partial(scale: ScalePlan, iteration: number, done: number, total: number, losses: LossTerms): Progress {
    return { ...this.record(scale, iteration, iteration - 1 + done / total, losses), tile: done, tiles: total };
  }

  /** ms per pixel-iteration: after the warm-up, from the iterations since; during it, the last scale's (or, the run's first, its own so far). */
  private rate(pixels: number, iterationsDone: number): number {
    const now = performance.now();
    if (this.warmedAt !== null && iterationsDone > 1) this.steadyRate = (now - this.warmedAt) / (pixels * (iterationsDone - 1));
    return this.steadyRate ?? (now - this.scaleStarted) / (pixels * iterationsDone);
  }

  private record(scale: ScalePlan, iteration: number, iterationsDone: number, losses: LossTerms): Progress {
    const { width, height } = scale;
    const msPerPixelIteration = this.rate(width * height, iterationsDone);
    const laterScales = this.plan.scales.slice(scale.index + 1);
    const later = laterScales.reduce((sum, s) => sum + s.width * s.height * s.iterations, 0);
    const remaining = later + width * height * (scale.iterations - iterationsDone);
    return {
      scale: scale.index + 1, scales: this.plan.scales.length, width, height, iteration, iterations: scale.iterations,
      step: this.step, totalSteps: this.plan.totalSteps, losses, elapsedMs: this.elapsedMs,
      etaMs: remaining * msPerPixelIteration + laterScales.length * this.warmupMs, backend: this.backend,
    };
  }
}

export interface ScaleRun<V, I> {
  plan: Plan;
  scale: ScalePlan;
  objective: Objective<I>;
  space: ImageSpace<V, I>;
  /** The starting image, inside the pixel range; the loop takes it over. */
  start: I;
  clock: RunClock;
  backend: string;
  /** A small RGB picture of an image of this scale, for progress reports. */
  preview: (image: I) => Promise<RgbImage>;
}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Stops a scale once the loss changed by less than `tolerance` of itself over the last 10 iterations (0: never). */
class Convergence {
  private readonly totals: number[] = [];
  constructor(private readonly tolerance: number) {}

  converged(total: number): boolean {
    this.totals.push(total);
    const n = this.totals.length;
    return this.tolerance > 0 && n > 10 && Math.abs(this.totals[n - 11] - total) < this.tolerance * Math.abs(total);
  }
}

/** Runs one scale's iterations; returns the last image evaluated (the caller owns it) and its loss terms. */
export async function optimizeScale<V, I>(run: ScaleRun<V, I>, hooks: LoopHooks): Promise<{ image: I; terms: LossTerms }> {
  const { plan, scale, objective, space } = run;
  const o = plan.options;
  const variable = space.variable(run.start);
  const history = historyFor(o.lbfgsHistory, space.vectors.size(variable.value), space.memory, run.backend, plan.limits);
  const values = space.vectors.size(variable.value);
  const optimizer = createOptimizer(space.vectors, o.optimizer, { ...o, lbfgsHistory: history },
    variable.projection(space.clip), (capacity) => space.pairs(values, capacity));
  const convergence = new Convergence(o.tolerance);
  let terms: LossTerms = { content: 0, style: 0, tv: 0, total: 0 };
  run.clock.startScale();
  try {
    for (let i = 1; i <= scale.iterations; i++) {
      await yieldToEventLoop();
      throwIfCancelled(hooks.signal);
      let tiles = 0;
      const evaluation = await evaluate(objective, variable.image, scale, run.backend, {
        signal: hooks.signal,
        onTile: (done, total) => {
          tiles = total;
          if (done < total) hooks.onProgress?.(run.clock.partial(scale, i, done, total, terms));
        },
      });
      terms = evaluation.terms;
      const grad = variable.gradient(evaluation.gradient);
      space.disposeImage(evaluation.gradient);
      try {
        if (!Number.isFinite(terms.total)) {
          throw new NeuralStyleError(`The loss became ${terms.total} at scale ${scale.index + 1}, iteration ${i}. Lower the weights or the learning rate.`, 'EDIVERGED');
        }
        const converged = convergence.converged(terms.total);
        const last = i === scale.iterations || converged;
        // Previews show the point whose losses are reported, and the last
        // point evaluated is the result: a final step would be unmeasured.
        // The run's first step has one too, so a panel never waits previewEvery steps on a placeholder.
        const first = i === 1 && scale.index === 0;
        const shown = o.previewEvery > 0 && (i % o.previewEvery === 0 || last || first) ? await run.preview(variable.image) : undefined;
        if (!last) variable.moveTo(await optimizer.next(variable.value, terms.total, grad));
        // Counted whether or not anyone listens (`?.()` would skip the tick): the result's steps come from it.
        const progress = run.clock.tick(scale, i, terms, shown, tiles);
        hooks.onProgress?.(progress);
        if (converged) break;
      } finally {
        space.vectors.dispose(grad);
      }
    }
    return { image: variable.release(), terms };
  } finally {
    optimizer.dispose();
    variable.dispose();
  }
}

async function evaluate<I>(objective: Objective<I>, image: I, scale: ScalePlan, backend: string, hooks: EvaluationHooks): Promise<Evaluation<I>> {
  try {
    return await objective.evaluate(image, hooks);
  } catch (error) {
    throw explainFailure(error, scale.width, scale.height, backend);
  }
}
