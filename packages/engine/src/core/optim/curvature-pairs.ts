import { VectorSpace } from './vector-space';

/*
 * Where L-BFGS keeps its curvature pairs (y_k, s_k): as vectors of its space,
 * on the backend, in memory, or in files (file-space.ts, a print's tiled
 * scale: at 4096×3072 a pair of pyramid vectors is 402 MB, and the five the
 * history keeps at least would be 2 GB of memory).
 */

/** The pairs as vectors of `space`. */
export class CurvaturePairs<V> {
  private readonly ys: V[] = [];
  private readonly ss: V[] = [];

  constructor(private readonly space: VectorSpace<V>) {}

  get length(): number { return this.ys.length; }

  /** Keeps y_k and s_k, taking both over. */
  add(y: V, s: V): void {
    this.ys.push(y);
    this.ss.push(s);
  }

  dropOldest(): void {
    this.space.dispose(this.ys.shift()!);
    this.space.dispose(this.ss.shift()!);
  }

  /** Pair i (0: the oldest), still the pairs'. */
  at(i: number): { y: V; s: V } {
    return { y: this.ys[i], s: this.ss[i] };
  }

  dispose(): void {
    for (const v of [...this.ys, ...this.ss]) this.space.dispose(v);
    this.ys.length = this.ss.length = 0;
  }
}
