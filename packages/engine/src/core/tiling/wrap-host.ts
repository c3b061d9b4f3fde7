import { HostImage, hostImage, Rect } from '../image/host-image';

/*
 * Crops of an image on a torus (seamless): a rectangle may start before row
 * or column 0 and end past the last; what lies outside is read from the
 * opposite edge, as if the image were repeated in every direction. A tiled
 * seamless scale cuts its tiles' halos this way, and adds their gradients
 * back the same way.
 */

const wrap = (i: number, n: number) => ((i % n) + n) % n;

/** A copy of `rect` of the image repeated in both directions. */
export function cropWrapped(image: HostImage, rect: Rect): HostImage {
  const { channels: c, width, height } = image;
  const out = hostImage(rect.height, rect.width, c);
  for (let y = 0; y < rect.height; y++) {
    const row = wrap(rect.top + y, height) * width;
    for (let x = 0; x < rect.width; x++) {
      const from = (row + wrap(rect.left + x, width)) * c;
      out.data.set(image.data.subarray(from, from + c), (y * rect.width + x) * c);
    }
  }
  return out;
}

/** The adjoint of cropWrapped: target[wrapped rect] += part, a value read twice getting both gradients. */
export function addIntoHostWrapped(target: HostImage, part: HostImage, top: number, left: number): void {
  const { channels: c, width, height } = target;
  if (part.channels !== c) throw new Error(`addIntoHostWrapped: ${part.channels} channels into ${c}`);
  for (let y = 0; y < part.height; y++) {
    const row = wrap(top + y, height) * width;
    for (let x = 0; x < part.width; x++) {
      const to = (row + wrap(left + x, width)) * c;
      const from = (y * part.width + x) * c;
      for (let k = 0; k < c; k++) target.data[to + k] += part.data[from + k];
    }
  }
}
