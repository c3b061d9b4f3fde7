import * as tf from '@tensorflow/tfjs';
import { HostImage, hostImage } from './image/host-image';
import { readValues } from './optim/tensor-space';

export type { RgbImage } from './image/host-image';

// In a module of its own, without tfjs, so that a plan (and its estimate) is made where tfjs never loads.
export { fitLongestSide } from './size';

/** An image in ordinary memory as a [1, H, W, C] tensor on the current backend. */
export function toTensor(image: HostImage): tf.Tensor4D {
  return tf.tensor4d(image.data as Float32Array<ArrayBuffer>, [1, image.height, image.width, image.channels]);
}

/** A [1, H, W, C] tensor's values in ordinary memory (read back asynchronously, as a GPU backend needs). */
export async function fromTensor(x: tf.Tensor4D): Promise<HostImage> {
  const [, height, width, channels] = x.shape;
  return hostImage(height, width, channels, await readValues(x));
}
