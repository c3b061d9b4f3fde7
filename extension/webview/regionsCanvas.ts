/**
 * The regions' pixels in the page: the translucent overlay a painting is shown
 * as (one colour a label, the photo untinted where it stays), the PNG data
 * URLs of its masks, and a saved mask read back. Canvas 2D only.
 */
import { KEEP, type Dirty, RegionPainting } from './regionsBrush';

/** The overlay's colour of each label, RGBA: the first style blue, the second orange, Keep none (the photo as is). */
const COLOURS: Record<number, readonly [number, number, number, number]> = {
  0: [55, 148, 255, 90], 1: [255, 140, 0, 140], [KEEP]: [0, 0, 0, 0],
};

/** Draws `painting` on `canvas` (the photo's size), only the `dirty` rectangle when given. */
export class Overlay {
  private readonly image: ImageData;
  private readonly context: CanvasRenderingContext2D;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly painting: RegionPainting) {
    canvas.width = painting.width;
    canvas.height = painting.height;
    this.context = canvas.getContext('2d')!;
    this.image = this.context.createImageData(painting.width, painting.height);
    this.draw();
  }

  draw(dirty: Dirty = { x0: 0, y0: 0, x1: this.painting.width, y1: this.painting.height }): void {
    const { labels, width } = this.painting;
    const data = this.image.data;
    for (let y = dirty.y0; y < dirty.y1; y++) {
      for (let x = dirty.x0; x < dirty.x1; x++) {
        const p = y * width + x;
        data.set(COLOURS[labels[p]] ?? COLOURS[0], p * 4);
      }
    }
    const [w, h] = [dirty.x1 - dirty.x0, dirty.y1 - dirty.y0];
    if (w > 0 && h > 0) this.context.putImageData(this.image, 0, 0, dirty.x0, dirty.y0, w, h);
  }
}

/** A grey mask as an opaque PNG data URL (white where the style goes), the photo's size. */
export function maskDataUrl(mask: Uint8Array, width: number, height: number): string {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(width, height);
  for (let p = 0; p < mask.length; p++) image.data.set([mask[p], mask[p], mask[p], 255], p * 4);
  context.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}

/** A saved mask's grey values at `width` × `height`; throws when it cannot be read (another size, another origin). */
export async function readMask(src: string, width: number, height: number): Promise<Uint8Array> {
  const img = new Image();
  img.crossOrigin = 'anonymous';
  img.src = src;
  await img.decode();
  if (img.naturalWidth !== width || img.naturalHeight !== height) throw new Error(`${img.naturalWidth}×${img.naturalHeight}`);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(img, 0, 0);
  const rgba = context.getImageData(0, 0, width, height).data;
  return Uint8Array.from({ length: width * height }, (_, p) => rgba[p * 4]);
}
