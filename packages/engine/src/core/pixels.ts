import * as tf from '@tensorflow/tfjs';
import { HostImage, hostImage } from './image/host-image';
import { readValues } from './optim/tensor-space';

export type { RgbImage } from './image/host-image';

/** Output dimensions: longest side `size`, aspect kept, at least 1 px. */
export function fitLongestSide(width: number, height: number, size: number): { width: number; height: number } {
  const scale = size / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** An image in ordinary memory as a [1, H, W, C] tensor on the current backend. */
export function toTensor(image: HostImage): tf.Tensor4D {
  return tf.tensor4d(image.data as Float32Array<ArrayBuffer>, [1, image.height, image.width, image.channels]);
}

/** A [1, H, W, C] tensor's values in ordinary memory (read back asynchronously, as a GPU backend needs). */
export async function fromTensor(x: tf.Tensor4D): Promise<HostImage> {
  const [, height, width, channels] = x.shape;
  return hostImage(height, width, channels, await readValues(x));
}
