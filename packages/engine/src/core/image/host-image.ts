/*
 * Images and feature maps in ordinary memory rather than a backend's: what a
 * tiled run keeps whole (the image, its gradient, the optimiser's state, the
 * activations between stages), and what the pixel utilities work on.
 */

/** An 8-bit RGB image, rows top to bottom, 3 bytes a pixel: what the core takes and gives. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Rows top to bottom, channels innermost (HWC), float32. */
export interface HostImage {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly data: Float32Array;
}

/** A rectangle of rows [top, top + height) and columns [left, left + width). */
export interface Rect { top: number; left: number; height: number; width: number }

export function hostImage(height: number, width: number, channels: number,
  data: Float32Array = new Float32Array(height * width * channels)): HostImage {
  if (data.length !== height * width * channels) throw new Error(`hostImage: ${data.length} values for ${height}x${width}x${channels}`);
  return { height, width, channels, data };
}

/** A copy of `rect` of `image`. */
export function cropHost(image: HostImage, rect: Rect): HostImage {
  const { channels, width } = image;
  checkInside(image, rect, 'cropHost');
  const out = new Float32Array(rect.height * rect.width * channels);
  const rowValues = rect.width * channels;
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.top + y) * width + rect.left) * channels;
    out.set(image.data.subarray(from, from + rowValues), y * rowValues);
  }
  return hostImage(rect.height, rect.width, channels, out);
}

/** target[rect] += part, where part is rect-sized. */
export function addIntoHost(target: HostImage, part: HostImage, top: number, left: number): void {
  const rect = { top, left, height: part.height, width: part.width };
  checkInside(target, rect, 'addIntoHost');
  if (part.channels !== target.channels) throw new Error(`addIntoHost: ${part.channels} channels into ${target.channels}`);
  const c = target.channels;
  const rowValues = part.width * c;
  for (let y = 0; y < part.height; y++) {
    const to = ((top + y) * target.width + left) * c;
    const from = y * rowValues;
    for (let i = 0; i < rowValues; i++) target.data[to + i] += part.data[from + i];
  }
}

/** target[rect] = part. */
export function writeIntoHost(target: HostImage, part: HostImage, top: number, left: number): void {
  checkInside(target, { top, left, height: part.height, width: part.width }, 'writeIntoHost');
  const rowValues = part.width * target.channels;
  for (let y = 0; y < part.height; y++) {
    target.data.set(part.data.subarray(y * rowValues, (y + 1) * rowValues),
      ((top + y) * target.width + left) * target.channels);
  }
}

function checkInside(image: HostImage, rect: Rect, caller: string): void {
  if (rect.top < 0 || rect.left < 0 || rect.height < 0 || rect.width < 0
    || rect.top + rect.height > image.height || rect.left + rect.width > image.width) {
    throw new Error(`${caller}: rect ${JSON.stringify(rect)} outside ${image.height}x${image.width}`);
  }
}
