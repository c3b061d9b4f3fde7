import { Projection } from './vector-space';

/**
 * What the optimiser moves at one scale (a value V: the image's pixels, or
 * the levels of a pyramid over them) and the image I it stands for, which the
 * objective evaluates. The loss is differentiated with respect to the image;
 * gradient() turns that into the gradient with respect to the value. Owns
 * both from construction to release().
 */
export interface Parameterization<V, I> {
  readonly value: V;
  readonly image: I;
  /** d/d(value), given d/d(image); the result is the caller's. */
  gradient(imageGradient: I): V;
  /** A projection of the value that keeps its image inside what `clip` allows. */
  projection(clip: Projection<I>): Projection<V>;
  /** Moves to `next` (taking it over), freeing the old value and image. */
  moveTo(next: V): void;
  /** Hands the image over to the caller and frees the rest; dispose() then does nothing. */
  release(): I;
  dispose(): void;
}
