import * as tf from '@tensorflow/tfjs';
import { Projection } from './optimizers';
import { PyramidParameterization } from './pyramid';

/**
 * What the optimiser moves at one scale: the image's pixels, or the levels of
 * a pyramid over them (see pyramid.ts). Either way it keeps the image of its
 * current value at hand, and owns both tensors.
 */
export class ImageVariable {
  private current: tf.Tensor;
  private currentImage: tf.Tensor4D;
  private released = false;

  /** Takes ownership of `start`. */
  constructor(start: tf.Tensor4D, private readonly pyramid: PyramidParameterization | null) {
    this.currentImage = start;
    this.current = pyramid ? pyramid.fromImage(start) : start;
  }

  get value(): tf.Tensor { return this.current; }
  get image(): tf.Tensor4D { return this.currentImage; }

  /** The differentiable map from the value to the image (null: they are the same). */
  get toImage(): ((v: tf.Tensor) => tf.Tensor4D) | null {
    const pyramid = this.pyramid;
    return pyramid ? (v) => pyramid.toImage(v) : null;
  }

  /** A projection of the value that keeps its image inside what `projectImage` allows. */
  projection(projectImage: Projection): Projection {
    const pyramid = this.pyramid;
    return pyramid ? (candidate) => pyramid.project(candidate, projectImage) : projectImage;
  }

  /** Moves to `next` (taking ownership), freeing the old value and image. */
  moveTo(next: tf.Tensor): void {
    if (this.pyramid) {
      this.current.dispose();
      this.currentImage.dispose();
      this.current = next;
      this.currentImage = this.pyramid.toImage(next);
    } else {
      this.current.dispose();
      this.current = next;
      this.currentImage = next as tf.Tensor4D;
    }
  }

  /** Hands the image over to the caller and frees the rest; dispose() then does nothing. */
  release(): tf.Tensor4D {
    if (this.pyramid) this.current.dispose();
    this.released = true;
    return this.currentImage;
  }

  dispose(): void {
    if (this.released) return;
    this.current.dispose();
    this.currentImage.dispose();
  }
}
