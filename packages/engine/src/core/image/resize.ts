import { HostImage, hostImage } from './host-image';
import { cropRows, rowBands, StoredImage, wholeOf } from './stored-image';

/*
 * Resizing in ordinary memory, the way the tensor path did it with tfjs:
 * halve with 2x2 averages while the image is at least twice the target
 * (a large reduction then does not alias, as plain bilinear sampling does),
 * then bilinear with half-pixel centres.
 */

/** 2x2 average pooling, 'valid' (an odd last row or column is dropped). */
export function halve(image: HostImage): HostImage {
  const { channels: c, width } = image;
  const h = Math.floor(image.height / 2);
  const w = Math.floor(width / 2);
  const out = new Float32Array(h * w * c);
  const src = image.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const a = ((2 * y) * width + 2 * x) * c;
      const b = a + width * c;
      for (let k = 0; k < c; k++) {
        out[(y * w + x) * c + k] = (src[a + k] + src[a + c + k] + src[b + k] + src[b + c + k]) / 4;
      }
    }
  }
  return hostImage(h, w, c, out);
}

/**
 * Source index and weight along one axis, as tf.image.resizeBilinear(…, alignCorners false, halfPixelCenters true)
 * computes them.
 */
function axisSamples(from: number, to: number): { lower: Int32Array; upper: Int32Array; frac: Float64Array } {
  const ratio = from / to;
  const lower = new Int32Array(to);
  const upper = new Int32Array(to);
  const frac = new Float64Array(to);
  for (let i = 0; i < to; i++) {
    const at = ratio * (i + 0.5) - 0.5;
    lower[i] = Math.max(0, Math.floor(at));
    upper[i] = Math.min(from - 1, Math.ceil(at));
    frac[i] = at - Math.floor(at);
  }
  return { lower, upper, frac };
}

/** Bilinear resampling with half-pixel centres. */
export function resizeBilinear(image: HostImage, height: number, width: number): HostImage {
  const { channels: c, width: inWidth } = image;
  const rows = axisSamples(image.height, height);
  const cols = axisSamples(inWidth, width);
  const out = new Float32Array(height * width * c);
  const src = image.data;
  for (let y = 0; y < height; y++) {
    const top = rows.lower[y] * inWidth;
    const bottom = rows.upper[y] * inWidth;
    const fy = rows.frac[y];
    for (let x = 0; x < width; x++) {
      const left = cols.lower[x];
      const right = cols.upper[x];
      const fx = cols.frac[x];
      for (let k = 0; k < c; k++) {
        const tl = src[(top + left) * c + k];
        const t = tl + (src[(top + right) * c + k] - tl) * fx;
        const bl = src[(bottom + left) * c + k];
        const b = bl + (src[(bottom + right) * c + k] - bl) * fx;
        out[(y * width + x) * c + k] = t + (b - t) * fy;
      }
    }
  }
  return hostImage(height, width, c, out);
}

/** `image` resized to height × width (halving first while it is at least twice as large). */
export function resizeHost(image: HostImage, height: number, width: number): HostImage {
  let y = image;
  while (y.height >= 2 * height && y.width >= 2 * width) y = halve(y);
  if (y.height === height && y.width === width) return y === image
    ? hostImage(height, width, y.channels, y.data.slice()) : y;
  return resizeBilinear(y, height, width);
}

/**
 * A stored image resized as resizeHost resizes it, without holding it whole where it is at least twice the size: its
 * first halving goes a band of rows at a time (a tiled scale's preview).
 */
export function shrinkStored(image: StoredImage, height: number, width: number, bandValues?: number): HostImage {
  if (image.height < 2 * height || image.width < 2 * width) return resizeHost(wholeOf(image), height, width);
  const half = hostImage(Math.floor(image.height / 2), Math.floor(image.width / 2), image.channels);
  for (const { top, count } of rowBands(half.height, 2 * image.width * image.channels, bandValues)) {
    half.data.set(halve(cropRows(image, 2 * top, 2 * count)).data, top * half.width * half.channels);
  }
  return resizeHost(half, height, width);
}

/**
 * The start of a finer scale: the coarser result upsampled, plus the
 * content's detail that upsampling cannot bring back (content −
 * up(down(content))). A plain upsample is blurred, which the finer scale's
 * style (conv1_1 Grams) and content terms both punish. `content` is consumed:
 * the detail is made in its values, so that no more than two arrays of the
 * image's size exist at once (at a print's size, the scale's peak).
 */
export function upscaleWithContentDetail(coarse: HostImage, content: HostImage): HostImage {
  keepDetail(content, coarse.height, coarse.width);
  const up = resizeHost(coarse, content.height, content.width);
  const out = up.data;
  for (let i = 0; i < out.length; i++) out[i] += content.data[i];
  return up;
}

/** content − up(down(content)), in content's values: the blurred copy goes when this returns. */
function keepDetail(content: HostImage, coarseHeight: number, coarseWidth: number): void {
  const blurred = resizeHost(resizeHost(content, coarseHeight, coarseWidth), content.height, content.width).data;
  const detail = content.data;
  for (let i = 0; i < detail.length; i++) detail[i] -= blurred[i];
}
