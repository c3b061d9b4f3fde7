import * as tf from '@tensorflow/tfjs';
import { HostImage, hostImage } from './image/host-image';
import { cropRows, rowBands, StoredImage } from './image/stored-image';

/*
 * The temporal loss of a clip's frame (Ruder, Dosovitskiy and Brox 2016,
 * "Artistic style transfer for videos", the short-term loss): the previous
 * frame's result, warped by the optical flow to this frame (flow/), is a
 * target wherever the flow holds (its consistency mask c):
 * Σ_p c_p Σ_k (x_pk − ω_pk)². Its weight is per pixel at REFERENCE_SIDE², as
 * TV's is, so one temporalWeight holds at every size; the paper divides by
 * D = hw·3 instead, a constant factor away.
 */

/** A frame's temporal target at a scale's size: the warped previous result, its weights c (0..1), the weight. */
export interface TemporalTarget { image: HostImage; weights: HostImage; weight: number }

/** The temporal term's weight at a scale of height × width: `weight` per pixel of a 256 px square, as TV's. */
export function temporalTermWeight(weight: number, height: number, width: number, referenceSide: number): number {
  return (weight * referenceSide * referenceSide) / (height * width);
}

/** Σ c (x − ω)² of a whole image on the backend (`weights` [1, h, w, 1] broadcast over the channels). */
export function temporalLoss(image: tf.Tensor4D, target: tf.Tensor4D, weights: tf.Tensor4D): tf.Scalar {
  return tf.sum(tf.mul(weights, tf.squaredDifference(image, target)));
}

/**
 * Σ c (x − ω)² of a tiled scale's image, and `weight` × its gradient, 2 c (x − ω), added into `gradient`; a band of
 * rows at a time, as addTotalVariation goes.
 */
export function addTemporalLoss(image: StoredImage, gradient: StoredImage, target: TemporalTarget,
  weight: number): number {
  const { height, width, channels } = image;
  let value = 0;
  for (const { top, count } of rowBands(height, width * channels)) {
    const x = cropRows(image, top, count).data;
    const change = new Float32Array(x.length);
    for (let p = 0; p < count * width; p++) {
      const c = target.weights.data[top * width + p];
      if (c === 0) continue;
      for (let k = 0; k < channels; k++) {
        const i = p * channels + k;
        const d = x[i] - target.image.data[top * width * channels + i];
        value += c * d * d;
        change[i] = 2 * weight * c * d;
      }
    }
    gradient.add(hostImage(count, width, channels, change), top, 0);
  }
  return value;
}
