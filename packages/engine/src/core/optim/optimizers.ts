import { LBFGS_FIRST_STEP, LBFGS_RETREAT_ABOVE, LBFGS_RETREAT_FACTOR } from '../tuning';
import { CurvaturePairs } from './curvature-pairs';
import { Projection, VectorSpace } from './vector-space';

/**
 * An optimiser over the image. The loop evaluates the loss and its gradient
 * at `x`, then asks for the next `x`; the optimiser owns its state and frees
 * it on dispose. `x` and `grad` stay the caller's.
 */
export interface Optimizer<V> {
  next(x: V, loss: number, grad: V): Promise<V>;
  dispose(): void;
}

/** Adam (Kingma & Ba), torch's defaults β = (0.9, 0.999), ε = 1e-8. */
export class Adam<V> implements Optimizer<V> {
  private m: V | null = null;
  private v: V | null = null;
  private t = 0;

  constructor(private readonly space: VectorSpace<V>, private readonly learningRate: number,
    private readonly project: Projection<V>,
    private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly epsilon = 1e-8) {}

  async next(x: V, _loss: number, grad: V): Promise<V> {
    const { space, beta1, beta2 } = this;
    this.t += 1;
    const m = this.m ? space.combine(beta1, this.m, 1 - beta1, grad) : space.scale(1 - beta1, grad);
    const v = space.decayedSquare(this.v, grad, beta2);
    this.release();
    this.m = m;
    this.v = v;
    const stepSize = this.learningRate / (1 - beta1 ** this.t);
    const candidate = space.adamUpdate(x, m, v, stepSize, Math.sqrt(1 - beta2 ** this.t), this.epsilon);
    const next = this.project(candidate);
    space.dispose(candidate);
    return next;
  }

  private release(): void {
    if (this.m) this.space.dispose(this.m);
    if (this.v) this.space.dispose(this.v);
    this.m = this.v = null;
  }

  dispose(): void {
    this.release();
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
export class Lbfgs<V> implements Optimizer<V> {
  private readonly rho: number[] = [];
  private hDiag = 1;
  private prevGrad: V | null = null;
  private lastStep: V | null = null; // the step taken by the previous iteration
  private iteration = 0;
  private previousLoss: number | null = null; // the loss at x − lastStep
  /** Steps taken back so far (for tests and traces). */
  retreats = 0;

  /** y_k = g_{k+1} − g_k and s_k = x_{k+1} − x_k, at most `history` of them, where the space keeps its vectors. */
  private readonly pairs: CurvaturePairs<V>;

  constructor(private readonly space: VectorSpace<V>, private readonly history: number,
    private readonly project: Projection<V>, private readonly stepScale = 1) {
    this.pairs = new CurvaturePairs(space);
  }

  async next(x: V, loss: number, grad: V): Promise<V> {
    if (this.lastStep && this.previousLoss !== null
      && loss > LBFGS_RETREAT_ABOVE * this.previousLoss) return this.retreat(x);
    const { space } = this;
    this.iteration += 1;
    this.previousLoss = loss;
    if (this.prevGrad && this.lastStep) await this.remember(grad);
    const direction = await this.direction(grad);
    const t = this.iteration === 1 ? (LBFGS_FIRST_STEP / await space.maxAbs(grad)) * this.stepScale : this.stepScale;
    this.replacePrevGrad(space.clone(grad));
    const next = this.projected(space.combine(1, x, t, direction));
    space.dispose(direction);
    this.replaceLastStep(space.combine(1, next, -1, x));
    return next;
  }

  /** Back to x − lastStep, then a shorter step the same way; history and gradient stay those of that point. */
  private retreat(x: V): V {
    const { space } = this;
    this.retreats += 1;
    const step = this.lastStep!;
    const base = space.combine(1, x, -1, step);
    const next = this.projected(space.combine(1, base, LBFGS_RETREAT_FACTOR, step));
    this.replaceLastStep(space.combine(1, next, -1, base));
    space.dispose(base);
    return next;
  }

  private projected(candidate: V): V {
    const next = this.project(candidate);
    this.space.dispose(candidate);
    return next;
  }

  private async remember(grad: V): Promise<void> {
    const { space } = this;
    const y = space.combine(1, grad, -1, this.prevGrad!);
    const s = this.lastStep!;
    let ys: number;
    let yy: number;
    try {
      [ys, yy] = [await space.dot(y, s), await space.dot(y, y)];
    } catch (error) {
      space.dispose(y);
      throw error;
    }
    if (ys > 1e-10) {
      if (this.pairs.length === this.history) {
        this.pairs.dropOldest();
        this.rho.shift();
      }
      this.pairs.add(y, s);
      this.lastStep = null; // the pairs' now; next() replaces it before it is read again
      this.rho.push(1 / ys);
      this.hDiag = ys / yy;
    } else {
      space.dispose(y);
    }
  }

  /** The two-loop recursion: d = −H g. */
  private async direction(grad: V): Promise<V> {
    const { space } = this;
    const { pairs } = this;
    if (pairs.length === 0) return space.scale(-1, grad);
    const alpha: number[] = new Array(pairs.length);
    let v = space.scale(-1, grad); // q in the first loop, r in the second; updated in place where the space can
    try {
      for (let i = pairs.length - 1; i >= 0; i--) {
        const { y, s } = pairs.at(i);
        alpha[i] = await space.dot(s, v) * this.rho[i];
        v = space.update(1, v, -alpha[i], y);
      }
      v = space.update(this.hDiag, v, 0, v);
      for (let i = 0; i < pairs.length; i++) {
        const { y, s } = pairs.at(i);
        const beta = await space.dot(y, v) * this.rho[i];
        v = space.update(1, v, alpha[i] - beta, s);
      }
      return v;
    } catch (error) {
      space.dispose(v); // a read back failed (a lost GPU): free what is ours
      throw error;
    }
  }

  private replacePrevGrad(grad: V): void {
    if (this.prevGrad) this.space.dispose(this.prevGrad);
    this.prevGrad = grad;
  }

  private replaceLastStep(step: V): void {
    if (this.lastStep) this.space.dispose(this.lastStep);
    this.lastStep = step;
  }

  dispose(): void {
    this.pairs.dispose();
    this.rho.length = 0;
    if (this.prevGrad) this.space.dispose(this.prevGrad);
    if (this.lastStep) this.space.dispose(this.lastStep);
    this.prevGrad = this.lastStep = null;
    this.previousLoss = null;
  }
}

export function createOptimizer<V>(space: VectorSpace<V>, kind: 'lbfgs' | 'adam', options: { learningRate: number; lbfgsHistory: number },
  project: Projection<V>): Optimizer<V> {
  if (kind === 'adam') return new Adam(space, options.learningRate, project);
  return new Lbfgs(space, options.lbfgsHistory, project);
}
