import { CancelledError, NeuralStyleError } from './errors';
import { RgbImage } from './image/host-image';
import { RunClock } from './run-clock';
import { ImageSpace } from './image-space';
import { Evaluation, EvaluationHooks, Objective } from './objective';
import { createOptimizer } from './optim/optimizers';
import { Plan, ScalePlan } from './plan';
import { LossTerms, Progress } from './progress';

export { RunClock };
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
export async function optimizeScale<V, I>(run: ScaleRun<V, I>,
  hooks: LoopHooks): Promise<{ image: I; terms: LossTerms }> {
  const { plan, scale, objective, space } = run;
  const o = plan.options;
  const variable = space.variable(run.start);
  const history = historyFor(o.lbfgsHistory, space.vectors.size(variable.value), space.memory,
    run.backend, plan.limits);
  const optimizer = createOptimizer(space.vectors, o.optimizer, { ...o, lbfgsHistory: history },
    variable.projection(space.clip));
  const convergence = new Convergence(o.tolerance);
  let terms: LossTerms = { content: 0, style: 0, tv: 0, total: 0 };
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
        const shown = o.previewEvery > 0 && (i % o.previewEvery === 0 || last || first)
          ? await run.preview(variable.image) : undefined;
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

async function evaluate<I>(objective: Objective<I>, image: I, scale: ScalePlan, backend: string,
  hooks: EvaluationHooks): Promise<Evaluation<I>> {
  try {
    return await objective.evaluate(image, hooks);
  } catch (error) {
    throw explainFailure(error, scale.width, scale.height, backend);
  }
}
