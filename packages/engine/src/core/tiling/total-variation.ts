import { HostImage } from '../image/host-image';

/**
 * The total-variation term (see losses.ts) of an image in ordinary memory:
 * Σ (x[i+1, j] − x[i, j])² + Σ (x[i, j+1] − x[i, j])² over every channel, and
 * `weight` × its gradient added into `gradient`. Local, so a tiled run
 * computes it on the whole image at once; by hand rather than with losses.ts's
 * tensors, which would put the whole image on the backend that tiling keeps
 * it off (tiled-objective.test.ts holds the two equal).
 */
export function addTotalVariation(image: HostImage, gradient: Float32Array, weight: number): number {
  const { height, width, channels: c, data } = image;
  const row = width * c;
  let value = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < c; k++) {
        const i = y * row + x * c + k;
        if (y + 1 < height) {
          const d = data[i + row] - data[i];
          value += d * d;
          gradient[i + row] += 2 * weight * d;
          gradient[i] -= 2 * weight * d;
        }
        if (x + 1 < width) {
          const d = data[i + c] - data[i];
          value += d * d;
          gradient[i + c] += 2 * weight * d;
          gradient[i] -= 2 * weight * d;
        }
      }
    }
  }
  return value;
}
