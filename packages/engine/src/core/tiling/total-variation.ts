import { HostImage } from '../image/host-image';

/**
 * The total-variation term (see losses.ts) of an image in ordinary memory:
 * Σ (x[i+1, j] − x[i, j])² + Σ (x[i, j+1] − x[i, j])² over every channel, and
 * `weight` × its gradient added into `gradient`. Local, so a tiled run
 * computes it on the whole image at once; by hand rather than with losses.ts's
 * tensors, which would put the whole image on the backend that tiling keeps
 * it off (tiled-objective.test.ts holds the two equal). `circular` (seamless):
 * the last row's lower neighbour is the first row, and the same for columns,
 * as in seamless.ts's circularTotalVariation.
 */
export function addTotalVariation(image: HostImage, gradient: Float32Array, weight: number, circular = false): number {
  const { height, width, channels: c, data } = image;
  const row = width * c;
  let value = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < c; k++) {
        const i = y * row + x * c + k;
        // The neighbour below and the one to the right, wrapping around on a torus (else none at the edge).
        const below = y + 1 < height ? i + row : circular ? x * c + k : -1;
        const right = x + 1 < width ? i + c : circular ? y * row + k : -1;
        for (const j of [below, right]) {
          if (j < 0) continue;
          const d = data[j] - data[i];
          value += d * d;
          gradient[j] += 2 * weight * d;
          gradient[i] -= 2 * weight * d;
        }
      }
    }
  }
  return value;
}
