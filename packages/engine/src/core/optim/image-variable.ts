import * as tf from '@tensorflow/tfjs';
import { Parameterization } from './parameterization';
import { PyramidBasis } from './pyramid';
import { Projection } from './vector-space';

/**
 * What the optimiser moves at one scale: the image's pixels, or the levels of
 * a pyramid over them (see pyramid.ts). Either way it keeps the image of its
 * current value at hand, and owns both tensors. The loss is differentiated
 * with respect to that image; gradient() turns the result into the gradient
 * with respect to the value.
 */
export class ImageVariable implements Parameterization<tf.Tensor, tf.Tensor4D> {
  private current: tf.Tensor;
  private currentImage: tf.Tensor4D;
  /** The image of the last projected candidate: the optimiser's next value is always one. */
  private projectedImage: tf.Tensor4D | null = null;
  private released = false;

  /** Takes ownership of `start`. */
  constructor(start: tf.Tensor4D, private readonly pyramid: PyramidBasis | null) {
    this.currentImage = start;
    this.current = pyramid ? pyramid.fromImage(start) : start;
  }

  get value(): tf.Tensor { return this.current; }
  get image(): tf.Tensor4D { return this.currentImage; }

  /** d/d(value), given d/d(image). */
  gradient(imageGradient: tf.Tensor4D): tf.Tensor {
    return this.pyramid ? this.pyramid.gradient(imageGradient) : tf.clone(imageGradient);
  }

  /** A projection of the value that keeps its image inside what `projectImage` allows. */
  projection(projectImage: Projection<tf.Tensor4D>): Projection<tf.Tensor> {
    const pyramid = this.pyramid;
    if (!pyramid) return projectImage as Projection<tf.Tensor>;
    return (candidate) => {
      const { z, image } = pyramid.project(candidate, projectImage as Projection<tf.Tensor>);
      this.projectedImage?.dispose();
      this.projectedImage = tf.keep(image); // the optimiser's tidy would free it
      return z;
    };
  }

  /** Moves to `next` (taking ownership), freeing the old value and image. */
  moveTo(next: tf.Tensor): void {
    this.current.dispose();
    this.currentImage.dispose();
    this.current = next;
    if (this.pyramid) {
      this.currentImage = this.projectedImage ?? this.pyramid.toImage(next);
      this.projectedImage = null;
    } else {
      this.currentImage = next as tf.Tensor4D;
    }
  }

  /** Hands the image over to the caller and frees the rest; dispose() then does nothing. */
  release(): tf.Tensor4D {
    if (this.pyramid) this.current.dispose();
    this.projectedImage?.dispose();
    this.released = true;
    return this.currentImage;
  }

  dispose(): void {
    if (this.released) return;
    this.current.dispose();
    this.currentImage.dispose();
    this.projectedImage?.dispose();
  }
}
