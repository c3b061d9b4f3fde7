import { VectorSpace } from './vector-space';

/*
 * Vectors as Float32Arrays in ordinary memory: for images too large for a
 * backend to hold whole. Sums accumulate in float64.
 */
export const HOST_SPACE: VectorSpace<Float32Array> = {
  size: (a) => a.length,
  dot: async (a, b) => {
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
    return sum;
  },
  maxAbs: async (a) => {
    let max = 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]));
    return max;
  },
  combine: (a, x, b, y) => {
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = a * x[i] + b * y[i];
    return out;
  },
  scale: (a, x) => {
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = a * x[i];
    return out;
  },
  update: (a, x, b, y) => {
    for (let i = 0; i < x.length; i++) x[i] = a * x[i] + b * y[i];
    return x;
  },
  clone: (x) => x.slice(),
  decayedSquare: (previous, x, beta) => {
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = (previous ? beta * previous[i] : 0) + (1 - beta) * x[i] * x[i];
    return out;
  },
  adamUpdate: (x, m, v, step, c, epsilon) => {
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] - step * (m[i] / (Math.sqrt(v[i]) / c + epsilon));
    return out;
  },
  dispose: () => {},
};
