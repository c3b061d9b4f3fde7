import { ScratchFile, ScratchFiles } from '../scratch-file';
import { HostImage, hostImage, Rect } from './host-image';

/*
 * An image or feature map a tiled sweep keeps whole between tiles (a stage's
 * output, its gradient, the content target), read and written a tile's
 * rectangle at a time: in memory, or in a scratch file where the program
 * gives files. At 4096×3072 those maps are 1.7 GB; a tile's rectangle is a
 * few megabytes. Rectangles may wrap around the edges (a seamless image is a
 * torus): the part outside is the opposite edge's.
 */
export interface StoredImage {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** A copy of `rect`; with `wrapping`, the rect may pass the edges (else it must lie inside). */
  crop(rect: Rect, wrapping?: boolean): HostImage;
  /** this[rect of part at top, left] = part; the rectangle lies inside. */
  write(part: HostImage, top: number, left: number): void;
  /** this[rect of part at top, left] += part; with `wrapping`, the rect may pass the edges. */
  add(part: HostImage, top: number, left: number, wrapping?: boolean): void;
  /** Frees a file's; a second call does nothing. */
  dispose(): void;
}

/** Makes a StoredImage of height × width × channels zeros. */
export type ImageStore = (height: number, width: number, channels: number) => StoredImage;

/** Where values live (an array, a scratch file): `read`/`write` move `into.length` values at value `offset`. */
export interface Values {
  read(offset: number, into: Float32Array): void;
  write(offset: number, from: Float32Array): void;
}

/** A Float32Array seen as Values. */
export function arrayValues(data: Float32Array): Values {
  return {
    read: (offset, into) => into.set(data.subarray(offset, offset + into.length)),
    write: (offset, from) => data.set(from, offset),
  };
}

/** Values a band of rows holds at most (one row at least): megabytes, small beside any image at a print's size. */
const BAND_VALUES = 1 << 20;

/** Rows [top, top + count) of an image of `height` rows of `rowValues` values each, a band at a time. */
export function rowBands(height: number, rowValues: number,
  bandValues = BAND_VALUES): { top: number; count: number }[] {
  const rows = Math.max(1, Math.floor(bandValues / rowValues));
  const bands = [];
  for (let top = 0; top < height; top += rows) bands.push({ top, count: Math.min(rows, height - top) });
  return bands;
}

/** Rows [top, top + count) of `image`, all its columns (a copy). */
export function cropRows(image: StoredImage, top: number, count: number, wrapping = false): HostImage {
  return image.crop({ top, left: 0, height: count, width: image.width }, wrapping);
}

/** The whole of `image` in memory (a copy). */
export function wholeOf(image: StoredImage): HostImage {
  return cropRows(image, 0, image.height);
}

/** A new image of `store`'s holding f(band) for each band of rows of `image`; f keeps each value's place. */
export function mapBands(image: StoredImage, store: ImageStore, f: (band: HostImage) => HostImage): StoredImage {
  const out = store(image.height, image.width, image.channels);
  try {
    for (const { top, count } of rowBands(image.height, image.width * image.channels)) {
      out.write(f(cropRows(image, top, count)), top, 0);
    }
    return out;
  } catch (error) {
    out.dispose();
    throw error;
  }
}

/** A copy of `image` in `store`. */
export function storeImage(image: HostImage, store: ImageStore): StoredImage {
  return mapBands(storedInMemory(image), store, (band) => band);
}

const wrap = (i: number, n: number) => ((i % n) + n) % n;

/** Columns [left, left + width) as runs inside [0, n): { from (in the image), at (in the rect), length }. */
function columnRuns(left: number, width: number, n: number): { from: number; at: number; length: number }[] {
  const runs = [];
  for (let at = 0; at < width;) {
    const from = wrap(left + at, n);
    const length = Math.min(n - from, width - at);
    runs.push({ from, at, length });
    at += length;
  }
  return runs;
}

class RowStoredImage implements StoredImage {
  constructor(readonly height: number, readonly width: number, readonly channels: number,
    private readonly values: Values, readonly dispose: () => void = () => {}) {}

  crop(rect: Rect, wrapping = false): HostImage {
    if (!wrapping) this.checkInside(rect, 'crop');
    const c = this.channels;
    const out = hostImage(rect.height, rect.width, c);
    this.eachRun(rect, (offset, at, length) =>
      this.values.read(offset, out.data.subarray(at * c, (at + length) * c)));
    return out;
  }

  write(part: HostImage, top: number, left: number): void {
    const rect = { top, left, height: part.height, width: part.width };
    this.checkInside(rect, 'write');
    this.checkChannels(part);
    const c = this.channels;
    this.eachRun(rect, (offset, at, length) =>
      this.values.write(offset, part.data.subarray(at * c, (at + length) * c)));
  }

  add(part: HostImage, top: number, left: number, wrapping = false): void {
    const rect = { top, left, height: part.height, width: part.width };
    if (!wrapping) this.checkInside(rect, 'add');
    this.checkChannels(part);
    const c = this.channels;
    let buffer = new Float32Array(0);
    this.eachRun(rect, (offset, at, length) => {
      if (buffer.length < length * c) buffer = new Float32Array(length * c);
      const run = buffer.subarray(0, length * c);
      this.values.read(offset, run);
      const from = part.data.subarray(at * c, (at + length) * c);
      for (let i = 0; i < run.length; i++) run[i] += from[i];
      this.values.write(offset, run);
    });
  }

  private checkInside(rect: Rect, caller: string): void {
    if (rect.top < 0 || rect.left < 0 || rect.height < 0 || rect.width < 0
      || rect.top + rect.height > this.height || rect.left + rect.width > this.width) {
      throw new Error(`StoredImage.${caller}: rect ${JSON.stringify(rect)} outside ${this.height}x${this.width}`);
    }
  }

  private checkChannels(part: HostImage): void {
    if (part.channels !== this.channels) throw new Error(`StoredImage: ${part.channels} channels into ${this.channels}`);
  }

  /** Calls `visit` for each contiguous run of `rect`: its value offset here, and its pixel index in the rect. */
  private eachRun(rect: Rect, visit: (offset: number, at: number, length: number) => void): void {
    const runs = columnRuns(rect.left, rect.width, this.width);
    for (let y = 0; y < rect.height; y++) {
      const row = wrap(rect.top + y, this.height) * this.width;
      for (const run of runs) visit((row + run.from) * this.channels, y * rect.width + run.at, run.length);
    }
  }
}

/** A HostImage seen as a StoredImage (no copy: it reads and writes the image's own values). */
export function storedInMemory(image: HostImage): StoredImage {
  return new RowStoredImage(image.height, image.width, image.channels, arrayValues(image.data));
}

export const MEMORY_STORE: ImageStore = (height, width, channels) =>
  storedInMemory(hostImage(height, width, channels));

/** Stored images in scratch files, one each. */
export function fileStore(files: ScratchFiles): ImageStore {
  return (height, width, channels) => {
    const file: ScratchFile = files(height * width * channels);
    return new RowStoredImage(height, width, channels, file, () => file.close());
  };
}
