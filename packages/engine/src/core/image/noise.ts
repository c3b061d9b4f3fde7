import { HostImage, hostImage } from './host-image';

/**
 * Uniform noise in [-128, 128) of the given size from `seed` (mulberry32):
 * the same seed gives the same start on every backend.
 */
export function uniformNoise(height: number, width: number, channels: number, seed: number): HostImage {
  const out = new Float32Array(height * width * channels);
  let state = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 256 - 128;
  }
  return hostImage(height, width, channels, out);
}
