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

/*
 * RGB ↔ BGR is swapped in the JS loops that copy the pixels anyway:
 * tf.reverse over the innermost axis is a scalar loop on wasm, and a preview
 * is made every previewEvery iterations.
 */

/** RGB bytes → [1, H, W, 3] float32 in VGG's convention (BGR, mean subtracted). */
export function toVggInput(image: RgbImage): tf.Tensor4D {
  const { width, height, data } = image;
  const bgr = new Float32Array(width * height * 3);
  for (let i = 0; i < bgr.length; i += 3) {
    bgr[i] = data[i + 2] - MEAN_BGR[0];
    bgr[i + 1] = data[i + 1] - MEAN_BGR[1];
    bgr[i + 2] = data[i] - MEAN_BGR[2];
  }
  return tf.tensor4d(bgr, [1, height, width, 3]);
}

/** VGG-convention tensor → RGB bytes, clipped and rounded. */
export function fromVggInput(x: tf.Tensor4D): RgbImage {
  const [, height, width] = x.shape;
  const rounded = tf.tidy(() => tf.add(x, tf.tensor1d([...MEAN_BGR])).clipByValue(0, 255).round());
  const bgr = rounded.dataSync();
  rounded.dispose();
  const data = new Uint8Array(bgr.length);
  for (let i = 0; i < bgr.length; i += 3) {
    data[i] = bgr[i + 2];
    data[i + 1] = bgr[i + 1];
    data[i + 2] = bgr[i];
  }
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
    // The channels stay BGR: the matrices' RGB rows (and columns) are reversed instead (see toVggInput).
    const bgrToYiq = tf.tensor2d([...RGB_TO_YIQ].reverse());
    const yiqToBgr = tf.tensor2d(YIQ_TO_RGB.map((row) => [...row].reverse()));
    const toYiq = (x: tf.Tensor4D) => tf.matMul(tf.reshape(tf.add(x, mean), [-1, 3]) as tf.Tensor2D, bgrToYiq);
    const y = tf.slice(toYiq(stylized), [0, 0], [-1, 1]);
    const iq = tf.slice(toYiq(content), [0, 1], [-1, 2]);
    const bgr = tf.matMul(tf.concat([y, iq], 1), yiqToBgr);
    return tf.sub(tf.reshape(bgr, stylized.shape), mean) as tf.Tensor4D;
  });
}
