import { hostImage } from '../image/host-image';
import { cropRows, rowBands, StoredImage } from '../image/stored-image';

/*
 * The total-variation term (see losses.ts) of a tiled scale's image:
 * Σ (x[i+1, j] − x[i, j])² + Σ (x[i, j+1] − x[i, j])² over every channel, and
 * `weight` × its gradient added into `gradient`. Local, so it goes a band of
 * rows at a time (each with the row below it); by hand rather than with
 * losses.ts's tensors, which would put the whole image on the backend that
 * tiling keeps it off (total-variation.test.ts, tiled-objective.test.ts hold
 * the two equal). `circular` (seamless): the last row's lower neighbour is
 * the first row, and the same for columns, as in seamless.ts's
 * circularTotalVariation.
 */
export function addTotalVariation(image: StoredImage, gradient: StoredImage, weight: number, circular = false,
  bandValues?: number): number {
  const { height, width, channels: c } = image;
  const row = width * c;
  let value = 0;
  for (const { top, count } of rowBands(height, row, bandValues)) {
    // The band's rows and the one below its last: the first row on a torus, none past the last row otherwise.
    const rows = count + (top + count < height || circular ? 1 : 0);
    const data = cropRows(image, top, rows, circular).data;
    const change = hostImage(rows, width, c).data;
    // One pair (i, its neighbour j): no array per value, this runs over every value of a print.
    const pair = (i: number, j: number) => {
      const d = data[j] - data[i];
      value += d * d;
      change[j] += 2 * weight * d;
      change[i] -= 2 * weight * d;
    };
    for (let y = 0; y < count; y++) {
      for (let x = 0; x < width; x++) {
        for (let k = 0; k < c; k++) {
          const i = y * row + x * c + k;
          if (y + 1 < rows) pair(i, i + row);
          if (x + 1 < width) pair(i, i + c);
          else if (circular) pair(i, y * row + k);
        }
      }
    }
    gradient.add(hostImage(rows, width, c, change), top, 0, circular);
  }
  return value;
}
