import * as tf from '@tensorflow/tfjs';
import { LBFGS_FIRST_STEP, LBFGS_RETREAT_ABOVE, LBFGS_RETREAT_FACTOR } from './tuning';

/** Maps a candidate onto the feasible set (images in the valid pixel range); returns a new tensor. */
export type Projection = (x: tf.Tensor) => tf.Tensor;

/**
 * An optimiser over the image pixels. The stylize loop evaluates the loss and
 * its gradient at `x`, then asks for the next `x`; the optimiser owns its state
 * tensors and frees them on dispose. `x` passed in is not disposed by it.
 */
export interface PixelOptimizer {
  next(x: tf.Tensor, loss: number, grad: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/** Adam (Kingma & Ba), torch's defaults β = (0.9, 0.999), ε = 1e-8. */
export class Adam implements PixelOptimizer {
  private m: tf.Tensor | null = null;
  private v: tf.Tensor | null = null;
  private t = 0;

  constructor(private readonly learningRate: number, private readonly project: Projection = tf.clone,
    private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly epsilon = 1e-8) {}

  next(x: tf.Tensor, _loss: number, grad: tf.Tensor): tf.Tensor {
    this.t += 1;
    const { beta1, beta2 } = this;
    const m = tf.tidy(() => (this.m ? tf.add(tf.mul(this.m, beta1), tf.mul(grad, 1 - beta1)) : tf.mul(grad, 1 - beta1)));
    const v = tf.tidy(() => (this.v ? tf.add(tf.mul(this.v, beta2), tf.mul(tf.square(grad), 1 - beta2)) : tf.mul(tf.square(grad), 1 - beta2)));
    this.m?.dispose();
    this.v?.dispose();
    this.m = m;
    this.v = v;
    const stepSize = this.learningRate / (1 - beta1 ** this.t);
    const biasCorrection2 = Math.sqrt(1 - beta2 ** this.t);
    return tf.tidy(() => this.project(tf.sub(x, tf.mul(tf.div(m, tf.add(tf.div(tf.sqrt(v), biasCorrection2), this.epsilon)), stepSize))));
  }

  dispose(): void {
    this.m?.dispose();
    this.v?.dispose();
    this.m = this.v = null;
  }
}

/**
 * L-BFGS with a fixed step, a port of torch.optim.LBFGS without line search
 * (itself a port of jcjohnson/neural-style's optim.lbfgs), so that our
 * iterations and PyTorch's reference are the same algorithm, but for three
 * departures (docs/PERFORMANCE.md has the figures):
 * - each new point is projected onto the valid pixel range and the step
 *   remembered is the one actually taken (x_{k+1} − x_k), so the curvature
 *   pairs stay true secants and what is optimised is what is saved;
 * - a safeguard instead of a line search: when the loss more than
 *   multiplies by LBFGS_RETREAT_ABOVE, the step is taken back and a fraction
 *   of it tried (on the pyramid the first steps can overshoot by orders of
 *   magnitude at small sizes);
 * - the first step (no curvature known yet) moves the coordinate with the
 *   largest gradient by LBFGS_FIRST_STEP; torch's min(1, 1/|g|₁) moves ~1e-9
 *   here, a wasted evaluation. Later steps are `stepScale` (1 = the classic step).
 */
export class Lbfgs implements PixelOptimizer {
  private readonly dirs: tf.Tensor[] = []; // y_k = g_{k+1} − g_k
  private readonly steps: tf.Tensor[] = []; // s_k = t d_k
  private readonly rho: number[] = [];
  private hDiag = 1;
  private prevGrad: tf.Tensor | null = null;
  private lastStep: tf.Tensor | null = null; // t d of the previous iteration
  private iteration = 0;
  private previousLoss: number | null = null; // the loss at x − lastStep
  /** Steps taken back so far (for tests and traces). */
  retreats = 0;

  constructor(private readonly history: number, private readonly project: Projection = tf.clone, private readonly stepScale = 1) {}

  next(x: tf.Tensor, loss: number, grad: tf.Tensor): tf.Tensor {
    if (this.lastStep && this.previousLoss !== null && loss > LBFGS_RETREAT_ABOVE * this.previousLoss) return this.retreat(x);
    this.iteration += 1;
    this.previousLoss = loss;
    if (this.prevGrad && this.lastStep) this.remember(grad);
    const direction = this.direction(grad);
    const t = this.iteration === 1 ? (LBFGS_FIRST_STEP / readScalar(() => tf.max(tf.abs(grad)))) * this.stepScale : this.stepScale;
    this.prevGrad?.dispose();
    this.prevGrad = tf.clone(grad);
    const next = tf.tidy(() => this.project(tf.add(x, tf.mul(direction, t))));
    direction.dispose();
    this.lastStep?.dispose();
    this.lastStep = tf.sub(next, x);
    return next;
  }

  /** Back to x − lastStep, then a shorter step the same way; history and gradient stay those of that point. */
  private retreat(x: tf.Tensor): tf.Tensor {
    this.retreats += 1;
    const step = this.lastStep!;
    const next = tf.tidy(() => this.project(tf.add(tf.sub(x, step), tf.mul(step, LBFGS_RETREAT_FACTOR))));
    this.lastStep = tf.tidy(() => tf.sub(next, tf.sub(x, step)));
    step.dispose();
    return next;
  }

  private remember(grad: tf.Tensor): void {
    const y = tf.sub(grad, this.prevGrad!);
    const s = this.lastStep!;
    const ys = dot(y, s);
    if (ys > 1e-10) {
      if (this.dirs.length === this.history) {
        this.dirs.shift()!.dispose();
        this.steps.shift()!.dispose();
        this.rho.shift();
      }
      this.dirs.push(y);
      this.steps.push(tf.clone(s));
      this.rho.push(1 / ys);
      this.hDiag = ys / dot(y, y);
    } else {
      y.dispose();
    }
  }

  /** The two-loop recursion: d = −H g. */
  private direction(grad: tf.Tensor): tf.Tensor {
    if (this.dirs.length === 0) return tf.neg(grad);
    const alpha: number[] = new Array(this.dirs.length);
    let q = tf.neg(grad);
    for (let i = this.dirs.length - 1; i >= 0; i--) {
      alpha[i] = dot(this.steps[i], q) * this.rho[i];
      q = replace(q, tf.tidy(() => tf.sub(q, tf.mul(this.dirs[i], alpha[i]))));
    }
    let r = replace(q, tf.mul(q, this.hDiag));
    for (let i = 0; i < this.dirs.length; i++) {
      const beta = dot(this.dirs[i], r) * this.rho[i];
      r = replace(r, tf.tidy(() => tf.add(r, tf.mul(this.steps[i], alpha[i] - beta))));
    }
    return r;
  }

  dispose(): void {
    for (const t of [...this.dirs, ...this.steps]) t.dispose();
    this.dirs.length = this.steps.length = this.rho.length = 0;
    this.prevGrad?.dispose();
    this.lastStep?.dispose();
    this.prevGrad = this.lastStep = null;
    this.previousLoss = null;
  }
}

/** Runs a scalar computation and returns its value, freeing the tensor. */
function readScalar(compute: () => tf.Tensor): number {
  const t = tf.tidy(compute);
  const value = t.dataSync()[0];
  t.dispose();
  return value;
}

function dot(a: tf.Tensor, b: tf.Tensor): number {
  return readScalar(() => tf.sum(tf.mul(a, b)));
}

function replace(old: tf.Tensor, fresh: tf.Tensor): tf.Tensor {
  old.dispose();
  return fresh;
}

export function createOptimizer(kind: 'lbfgs' | 'adam', options: { learningRate: number; lbfgsHistory: number },
  project: Projection = tf.clone): PixelOptimizer {
  return kind === 'adam' ? new Adam(options.learningRate, project) : new Lbfgs(options.lbfgsHistory, project);
}
