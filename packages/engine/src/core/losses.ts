import * as tf from '@tensorflow/tfjs';
import { GradientArena } from './ops/gradient-arena';
import { gram, gramDistance } from './ops/gram';

/*
 * The paper's losses (Gatys, Ecker, Bethge 2015), on features F of the image
 * being optimised, P of the content image and Grams A of the style image:
 *   L_content = 1/2 Σ (F − P)²
 *   E_l       = 1/(4 N_l² M_l²) Σ (G_l − A_l)²,   L_style = Σ_l w_l E_l
 * with N_l channels and M_l = height × width positions of layer l.
 *
 * Departure: we divide each Gram by its own M before comparing, so that
 * E_l = 1/(4 N_l²) Σ (G_l/M_l − A_l/M'_l)². When the style image has the
 * output's size (M' = M) this is exactly the paper's E_l; when it differs
 * (style scale, several styles) it compares the two on the same footing
 * instead of penalising the size difference. Option normalization 'paper'
 * restores the paper's form (the objective scales the target by M'/M); the
 * default also scales the content and TV sums to a 256×256 image (objective.ts).
 */

/** The Gram matrix divided by the number of positions M (the target form of the style loss). */
export function normalizedGram(features: tf.Tensor4D, arena?: GradientArena): tf.Tensor2D {
  const [, h, w] = features.shape;
  return tf.div(gram(features, arena), h * w);
}

export function contentLoss(features: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  return tf.mul(0.5, tf.sum(tf.squaredDifference(features, target)));
}

/** E_l for one layer, given the target's normalised Gram A/M'. */
export function styleLayerLoss(features: tf.Tensor4D, targetGram: tf.Tensor2D, arena?: GradientArena): tf.Scalar {
  const channels = features.shape[3];
  return tf.div(gramDistance(features, targetGram, arena), 4 * channels * channels);
}

/**
 * Total variation: the sum of squared differences between neighbouring pixels
 * (in the optimiser's 0..255 units). Not in the 2015 paper; added, as in
 * jcjohnson/neural-style, to suppress high-frequency noise. A tiled scale
 * computes the same sum by hand, a band of rows at a time
 * (tiling/total-variation.ts): the backend cannot hold its image whole, and
 * the tests hold the two equal.
 */
export function totalVariationLoss(image: tf.Tensor4D): tf.Scalar {
  const [, h, w, c] = image.shape;
  const down = tf.squaredDifference(
    tf.slice(image, [0, 1, 0, 0], [1, h - 1, w, c]), tf.slice(image, [0, 0, 0, 0], [1, h - 1, w, c]));
  const right = tf.squaredDifference(
    tf.slice(image, [0, 0, 1, 0], [1, h, w - 1, c]), tf.slice(image, [0, 0, 0, 0], [1, h, w - 1, c]));
  return tf.add(tf.sum(down), tf.sum(right));
}
