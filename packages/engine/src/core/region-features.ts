import * as tf from '@tensorflow/tfjs';
import { cropHost, Rect } from './image/host-image';
import { LayerRegion } from './regions';

/**
 * The features of a region's part `at` (the whole layer when absent), masked and scaled by √(M/a): their Gram over
 * M positions is then G_rl. Null where the region holds nothing at this layer.
 */
export function maskedFeatures(features: tf.Tensor4D, region: LayerRegion, at?: Rect): tf.Tensor4D | null {
  if (region.area === 0) return null;
  const [, h, w] = features.shape;
  const part = at ? cropHost(region.mask, at) : region.mask;
  if (part.height !== h || part.width !== w) throw new Error('maskedFeatures: the mask and the features differ');
  const scale = Math.sqrt(1 / region.share);
  return tf.tidy(() => tf.mul(features, tf.mul(tf.tensor4d(part.data, [1, h, w, 1]), scale)) as tf.Tensor4D);
}
