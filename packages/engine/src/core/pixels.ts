import * as tf from '@tensorflow/tfjs';
import { MEAN_BGR } from './vgg19';

/** An 8-bit RGB image, rows top to bottom, 3 bytes a pixel: what the core takes and gives. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Output dimensions: longest side `size`, aspect kept, at least 1 px. */
export function fitLongestSide(width: number, height: number, size: number): { width: number; height: number } {
  const scale = size / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** RGB bytes → [1, H, W, 3] float32 in VGG's convention (BGR, mean subtracted). */
export function toVggInput(image: RgbImage): tf.Tensor4D {
  return tf.tidy(() => {
    const rgb = tf.tensor4d(image.data, [1, image.height, image.width, 3], 'int32').toFloat();
    return tf.sub(tf.reverse(rgb, 3), tf.tensor1d([...MEAN_BGR])) as tf.Tensor4D;
  });
}

/** VGG-convention tensor → RGB bytes, clipped and rounded. */
export function fromVggInput(x: tf.Tensor4D): RgbImage {
  const [, height, width] = x.shape;
  const bytes = tf.tidy(() => tf.reverse(tf.add(x, tf.tensor1d([...MEAN_BGR])), 3).clipByValue(0, 255).round().toInt());
  const data = Uint8Array.from(bytes.dataSync());
  bytes.dispose();
  return { width, height, data };
}

/**
 * Resizes an NHWC image. Downscaling halves with 2x2 averages first, so that a
 * large reduction does not alias the way plain bilinear sampling does.
 */
export function resizeImage(x: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  return tf.tidy(() => {
    let y = x;
    while (y.shape[1] >= 2 * height && y.shape[2] >= 2 * width) y = tf.avgPool(y, 2, 2, 'valid');
    if (y.shape[1] === height && y.shape[2] === width) return y === x ? tf.clone(y) : y;
    return tf.image.resizeBilinear(y, [height, width], false, true);
  });
}

// YIQ: the luminance/chrominance split used for colour preservation.
const RGB_TO_YIQ = [[0.299, 0.596, 0.211], [0.587, -0.274, -0.523], [0.114, -0.322, 0.312]];
const YIQ_TO_RGB = [[1, 1, 1], [0.956, -0.272, -1.106], [0.621, -0.647, 1.703]];

/**
 * Luminance of `stylized`, chrominance of `content` (both VGG-convention, same
 * shape). Like jcjohnson's -original_colors 1, done once on the result.
 */
export function keepContentColors(stylized: tf.Tensor4D, content: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const mean = tf.tensor1d([...MEAN_BGR]);
    const toYiq = (x: tf.Tensor4D) => {
      const rgb = tf.reshape(tf.reverse(tf.add(x, mean), 3), [-1, 3]) as tf.Tensor2D;
      return tf.matMul(rgb, tf.tensor2d(RGB_TO_YIQ));
    };
    const y = tf.slice(toYiq(stylized), [0, 0], [-1, 1]);
    const iq = tf.slice(toYiq(content), [0, 1], [-1, 2]);
    const rgb = tf.matMul(tf.concat([y, iq], 1), tf.tensor2d(YIQ_TO_RGB));
    return tf.sub(tf.reverse(tf.reshape(rgb, stylized.shape), 3), mean) as tf.Tensor4D;
  });
}
