import * as tf from '@tensorflow/tfjs';
import { CancelledError, NeuralStyleError } from './errors';
import { ImageVariable } from './image-variable';
import { Evaluation, Objective } from './objective';
import { createOptimizer, Projection } from './optimizers';
import { Plan, ScalePlan } from './plan';
import { RgbImage } from './pixels';
import { LossTerms, Progress } from './progress';
import { PyramidParameterization } from './pyramid';
import { explainFailure, historyFor } from './wasm-memory';

/*
 * One scale's optimisation: what the optimiser moves (pixels or a pyramid),
 * the optimiser, and the loop with its cancel, divergence and convergence
 * checks, previews and progress reports.
 */

export interface LoopHooks {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

/** Steps, elapsed time and the ETA over all scales of a run, from the measured cost per pixel-iteration. */
export class RunClock {
  private readonly started = performance.now();
  private scaleStarted = this.started;
  private step = 0;

  constructor(private readonly plan: Plan, private readonly backend: string) {}

  get steps(): number { return this.step; }
  get elapsedMs(): number { return performance.now() - this.started; }

  startScale(): void { this.scaleStarted = performance.now(); }

  /** The progress record of `iteration` (1-based) of `scale`, counting it as a step done. */
  tick(scale: ScalePlan, iteration: number, losses: LossTerms, preview?: RgbImage): Progress {
    this.step += 1;
    const { width, height } = scale;
    const msPerPixelIteration = (performance.now() - this.scaleStarted) / (width * height * iteration);
    const later = this.plan.scales.slice(scale.index + 1).reduce((sum, s) => sum + s.width * s.height * s.iterations, 0);
    const remaining = later + width * height * (scale.iterations - iteration);
    return {
      scale: scale.index + 1, scales: this.plan.scales.length, width, height, iteration, iterations: scale.iterations,
      step: this.step, totalSteps: this.plan.totalSteps, losses, elapsedMs: this.elapsedMs,
      etaMs: remaining * msPerPixelIteration, backend: this.backend, preview,
    };
  }
}

export interface ScaleRun {
  plan: Plan;
  scale: ScalePlan;
  objective: Objective;
  /** The starting image, inside the pixel range; the loop takes it over. */
  start: tf.Tensor4D;
  /** Onto the valid pixel range. */
  clip: Projection;
  clock: RunClock;
  backend: string;
  /** A small RGB picture of an image of this scale, for progress reports. */
  preview: (image: tf.Tensor4D) => RgbImage;
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
export async function optimizeScale(run: ScaleRun, hooks: LoopHooks): Promise<{ image: tf.Tensor4D; terms: LossTerms }> {
  const { plan, scale, objective } = run;
  const o = plan.options;
  // Adam adapts its step per coordinate, which undoes what the pyramid is for: pixels.
  const pyramid = o.parameterization === 'pyramid' && o.optimizer === 'lbfgs' ? new PyramidParameterization(scale.height, scale.width) : null;
  const image = new ImageVariable(run.start, pyramid);
  const history = historyFor(o.lbfgsHistory, image.value.size, run.backend);
  const optimizer = createOptimizer(o.optimizer, { ...o, lbfgsHistory: history }, image.projection(run.clip));
  const convergence = new Convergence(o.tolerance);
  let terms: LossTerms = { content: 0, style: 0, tv: 0, total: 0 };
  run.clock.startScale();
  try {
    for (let i = 1; i <= scale.iterations; i++) {
      await yieldToEventLoop();
      throwIfCancelled(hooks.signal);
      const evaluation = await evaluate(objective, image.image, scale, run.backend);
      terms = evaluation.terms;
      const grad = image.gradient(evaluation.gradient);
      evaluation.gradient.dispose();
      try {
        if (!Number.isFinite(terms.total)) {
          throw new NeuralStyleError(`The loss became ${terms.total} at scale ${scale.index + 1}, iteration ${i}. Lower the weights or the learning rate.`, 'EDIVERGED');
        }
        const converged = convergence.converged(terms.total);
        const last = i === scale.iterations || converged;
        // Previews show the point whose losses are reported, and the last
        // point evaluated is the result: a final step would be unmeasured.
        const shown = o.previewEvery > 0 && (i % o.previewEvery === 0 || last) ? run.preview(image.image) : undefined;
        if (!last) image.moveTo(optimizer.next(image.value, terms.total, grad));
        hooks.onProgress?.(run.clock.tick(scale, i, terms, shown));
        if (converged) break;
      } finally {
        grad.dispose();
      }
    }
    return { image: image.release(), terms };
  } finally {
    optimizer.dispose();
    image.dispose();
  }
}

async function evaluate(objective: Objective, image: tf.Tensor4D, scale: ScalePlan, backend: string): Promise<Evaluation> {
  try {
    return await objective.evaluate(image);
  } catch (error) {
    throw explainFailure(error, scale.width, scale.height, backend);
  }
}
