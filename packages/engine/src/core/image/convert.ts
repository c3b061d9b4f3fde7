import { HostImage, hostImage, RgbImage } from './host-image';

/** Caffe/Keras VGG convention: BGR order, 0..255, this mean subtracted, no std. */
export const MEAN_BGR = [103.939, 116.779, 123.68] as const;

/*
 * RGB ↔ BGR is swapped in the loops that copy the pixels anyway: tf.reverse
 * over the innermost axis is a scalar loop on wasm.
 */

/** RGB bytes → the network's input convention, in ordinary memory. */
export function toVggImage(image: RgbImage): HostImage {
  const { width, height, data } = image;
  const bgr = new Float32Array(width * height * 3);
  for (let i = 0; i < bgr.length; i += 3) {
    bgr[i] = data[i + 2] - MEAN_BGR[0];
    bgr[i + 1] = data[i + 1] - MEAN_BGR[1];
    bgr[i + 2] = data[i] - MEAN_BGR[2];
  }
  return hostImage(height, width, 3, bgr);
}

/** Round half to even, as tf.round does: the same bytes as the tensor path had. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The network's convention → RGB bytes, clipped and rounded. */
export function toRgbImage(image: HostImage): RgbImage {
  const { width, height, data } = image;
  const out = new Uint8Array(width * height * 3);
  // In float32, as the tensor path added the mean.
  const [b, g, r] = MEAN_BGR.map(Math.fround);
  const byte = (v: number) => roundHalfEven(Math.min(255, Math.max(0, Math.fround(v))));
  for (let i = 0; i < out.length; i += 3) {
    out[i] = byte(data[i + 2] + r);
    out[i + 1] = byte(data[i + 1] + g);
    out[i + 2] = byte(data[i] + b);
  }
  return { width, height, data: out };
}
