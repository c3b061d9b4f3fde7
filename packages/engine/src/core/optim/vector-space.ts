/*
 * The operations the optimisers need on their vectors, so that the same
 * L-BFGS and Adam run on backend tensors (a whole image) and on arrays in
 * ordinary memory (a tiled image that a backend cannot hold whole).
 * Every operation returns a new vector; the caller disposes it. The scalars
 * come back as promises: a GPU backend reads its results back asynchronously
 * (tfjs's synchronous readback is slow there, and wrong on some adapters).
 */
export interface VectorSpace<V> {
  /** How many values `a` holds. */
  size(a: V): number;
  dot(a: V, b: V): Promise<number>;
  maxAbs(a: V): Promise<number>;
  /** a·x + b·y. */
  combine(a: number, x: V, b: number, y: V): V;
  scale(a: number, x: V): V;
  /**
   * a·x + b·y, in x's storage where the space can: x is consumed. The two-loop
   * recursion's steps, which would otherwise leave a garbage vector each (at
   * 4096 px, 201 MB that the collector frees when it gets to it).
   */
  update(a: number, x: V, b: number, y: V): V;
  clone(x: V): V;
  /** β·previous + (1 − β)·x², or (1 − β)·x² without a previous (Adam's second moment). */
  decayedSquare(previous: V | null, x: V, beta: number): V;
  /** x − step · m / (√v / c + ε) (Adam's update). */
  adamUpdate(x: V, m: V, v: V, step: number, c: number, epsilon: number): V;
  dispose(x: V): void;
}

/**
 * Maps a candidate onto the feasible set (images in the valid pixel range); returns a new vector, the candidate stays
 * the caller's.
 */
export type Projection<V> = (x: V) => V;
