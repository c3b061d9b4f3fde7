import * as tf from '@tensorflow/tfjs';
import { centralGradient, divergence, edgePadded, forwardGradient } from './differences';
import { warp } from './warp';

/*
 * Optical flow by TV-L1 (Zach, Pock and Bischof 2007, in the form of
 * Sánchez, Meinhardt-Llopis and Facciolo, IPOL 2013, "TV-L1 Optical Flow
 * Estimation"): the flow u minimising ∫ |∇u| + λ |I1(x + u) − I0(x)|, the
 * data term linearised around the flow of each warp, solved by alternating
 * a pointwise thresholding step and Chambolle's projection for the total
 * variation, coarse to fine over a pyramid. Every step is an elementwise or
 * stencil tfjs op, so it runs on whichever backend the engine has.
 * Departures from the IPOL code: a fixed number of iterations a warp (the
 * run's time is known and a clip reproduces) rather than a tolerance, and
 * the pyramid's levels made by tfjs's bilinear resize after the blur.
 */

export interface FlowOptions {
  /** λ: the data term's weight against the flow's total variation (grey levels 0..255). */
  lambda: number;
  /** θ: the coupling of the thresholded flow and the smooth one. */
  theta: number;
  /** τ: the dual step (≤ 0.25 converges). */
  tau: number;
  /** Warps a pyramid level: the data term linearised again around the flow so far. */
  warps: number;
  /** Iterations a warp. */
  iterations: number;
  /** The coarsest level's shorter side is at least this, in pixels. */
  minSide: number;
  /** The pre-smoothing's σ in pixels at the finest level (each level is blurred before it is halved). */
  sigma: number;
}

export const DEFAULT_FLOW_OPTIONS: Readonly<FlowOptions> = {
  lambda: 0.15, theta: 0.3, tau: 0.25, warps: 5, iterations: 40, minSide: 16, sigma: 0.8,
};

/**
 * The flow from `from` to `to`, grey images [h, w] of 0..255: for each pixel of `from`, where it is in `to`, as
 * [h, w, 2] (dx, dy) in pixels. The caller owns the result.
 */
export function tvL1Flow(from: tf.Tensor2D, to: tf.Tensor2D, options: Partial<FlowOptions> = {}): tf.Tensor3D {
  const o = { ...DEFAULT_FLOW_OPTIONS, ...options };
  const pyramid = tf.tidy(() => pyramidOf(from, to, o));
  try {
    let flow: tf.Tensor3D | null = null;
    for (const level of [...pyramid].reverse()) {
      const [height, width] = level.from.shape;
      const start: tf.Tensor3D = flow ? upsampledFlow(flow, [height, width]) : tf.zeros([height, width, 2]);
      flow?.dispose();
      flow = solveLevel(level.from, level.to, start, o);
      start.dispose();
    }
    return flow!;
  } finally {
    tf.dispose(pyramid.flatMap((level) => [level.from, level.to]));
  }
}

// Type aliases, not interfaces: tf.tidy returns what it can walk (an index signature).
type Level = { from: tf.Tensor2D; to: tf.Tensor2D };

/** The images blurred, then halved until the shorter side would pass minSide: the finest level first. */
function pyramidOf(from: tf.Tensor2D, to: tf.Tensor2D, o: FlowOptions): Level[] {
  const levels: Level[] = [{ from: blurred(from, o.sigma), to: blurred(to, o.sigma) }];
  for (;;) {
    const { from: f, to: t } = levels[levels.length - 1];
    const [height, width] = f.shape;
    const size: [number, number] = [Math.round(height / 2), Math.round(width / 2)];
    if (Math.min(...size) < o.minSide) return levels;
    // Halving needs the finer level without the frequencies it cannot hold: σ ≈ 0.6 a pixel of the coarser grid.
    const half = (image: tf.Tensor2D) => tf.squeeze(
      tf.image.resizeBilinear(tf.expandDims(blurred(image, 1.2), 2) as tf.Tensor3D, size), [2]) as tf.Tensor2D;
    levels.push({ from: half(f), to: half(t) });
  }
}

/** A Gaussian blur of σ pixels, the border repeated (separable, a kernel of ±3σ). */
function blurred(image: tf.Tensor2D, sigma: number): tf.Tensor2D {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const weights = Array.from({ length: 2 * radius + 1 },
    (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const sum = weights.reduce((a, b) => a + b, 0);
  const kernel = weights.map((w) => w / sum);
  let padded = image;
  for (let r = 0; r < radius; r++) padded = edgePadded(padded);
  const [height, width] = padded.shape;
  const input = tf.reshape(padded, [1, height, width, 1]) as tf.Tensor4D;
  const across = tf.conv2d(input, tf.tensor4d(kernel, [1, kernel.length, 1, 1]), 1, 'valid');
  const down = tf.conv2d(across, tf.tensor4d(kernel, [kernel.length, 1, 1, 1]), 1, 'valid');
  return tf.reshape(down, image.shape) as tf.Tensor2D;
}

/** A coarser level's flow at a finer level's size: resized, and its vectors scaled by the sizes' ratio. */
function upsampledFlow(flow: tf.Tensor3D, [height, width]: [number, number]): tf.Tensor3D {
  return tf.tidy(() => {
    const [h, w] = flow.shape;
    const resized = tf.image.resizeBilinear(flow, [height, width]);
    return tf.mul(resized, tf.tensor1d([width / w, height / h])) as tf.Tensor3D;
  });
}

/** The primal flow (u1, u2) and the dual fields (p11, p12; p21, p22) of the total variation. */
type State = {
  u1: tf.Tensor2D; u2: tf.Tensor2D; p11: tf.Tensor2D; p12: tf.Tensor2D; p21: tf.Tensor2D; p22: tf.Tensor2D;
};

/** One pyramid level's flow from `start`: warps × iterations of TV-L1's scheme. */
function solveLevel(from: tf.Tensor2D, to: tf.Tensor2D, start: tf.Tensor3D, o: FlowOptions): tf.Tensor3D {
  const [gradX, gradY] = centralGradient(to);
  let state: State = tf.tidy(() => {
    const [u1, u2] = tf.unstack(start, 2) as tf.Tensor2D[];
    const zero = tf.zerosLike(u1);
    return { u1, u2, p11: zero.clone(), p12: zero.clone(), p21: zero.clone(), p22: zero.clone() };
  });
  try {
    for (let w = 0; w < o.warps; w++) {
      const linear = tf.tidy(() => linearised(from, to, gradX, gradY, state));
      try {
        for (let i = 0; i < o.iterations; i++) {
          const next = tf.tidy(() => iterate(state, linear, o));
          tf.dispose(Object.values(state));
          state = next;
        }
      } finally {
        tf.dispose(Object.values(linear));
      }
    }
    return tf.tidy(() => tf.stack([state.u1, state.u2], 2) as tf.Tensor3D);
  } finally {
    tf.dispose([gradX, gradY, ...Object.values(state)]);
  }
}

/** The data term linearised around the flow u0: ρ(u) = ρ0 + ∇I1w · u, with ∇I1w and |∇I1w|² at the warped pixels. */
type Linearised = { gx: tf.Tensor2D; gy: tf.Tensor2D; grad2: tf.Tensor2D; rho0: tf.Tensor2D };

function linearised(from: tf.Tensor2D, to: tf.Tensor2D, gradX: tf.Tensor2D, gradY: tf.Tensor2D,
  { u1, u2 }: State): Linearised {
  const flow = tf.stack([u1, u2], 2) as tf.Tensor3D;
  const warped = warp(tf.stack([to, gradX, gradY], 2) as tf.Tensor3D, flow);
  const [i1w, gx, gy] = tf.unstack(warped, 2) as tf.Tensor2D[];
  const grad2 = tf.add(tf.square(gx), tf.square(gy)) as tf.Tensor2D;
  const rho0 = tf.sub(tf.sub(i1w, tf.add(tf.mul(gx, u1), tf.mul(gy, u2))), from) as tf.Tensor2D;
  return { gx, gy, grad2, rho0 };
}

/** One iteration: the thresholding step towards the data, then the total variation's primal and dual steps. */
function iterate(s: State, { gx, gy, grad2, rho0 }: Linearised, o: FlowOptions): State {
  const lt = o.lambda * o.theta;
  const rho = tf.add(rho0, tf.add(tf.mul(gx, s.u1), tf.mul(gy, s.u2)));
  const bound = tf.mul(grad2, lt);
  // Where |ρ| is within λθ|∇I1|² the step lands on ρ = 0; beyond it, a step of λθ∇I1 against ρ's sign.
  const exact = tf.div(tf.neg(rho), tf.maximum(grad2, 1e-10));
  const inside = tf.where(tf.greater(grad2, 1e-10), exact, tf.zerosLike(rho));
  const factor = tf.where(tf.less(rho, tf.neg(bound)), tf.fill(rho.shape, lt),
    tf.where(tf.greater(rho, bound), tf.fill(rho.shape, -lt), inside));
  const v1 = tf.add(s.u1, tf.mul(factor, gx));
  const v2 = tf.add(s.u2, tf.mul(factor, gy));
  const u1 = tf.add(v1, tf.mul(divergence(s.p11, s.p12), o.theta)) as tf.Tensor2D;
  const u2 = tf.add(v2, tf.mul(divergence(s.p21, s.p22), o.theta)) as tf.Tensor2D;
  const step = o.tau / o.theta;
  const dual = (u: tf.Tensor2D, px: tf.Tensor2D, py: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] => {
    const [ux, uy] = forwardGradient(u);
    const norm = tf.add(1, tf.mul(tf.sqrt(tf.add(tf.square(ux), tf.square(uy))), step));
    const next = (p: tf.Tensor2D, d: tf.Tensor2D) => tf.div(tf.add(p, tf.mul(d, step)), norm) as tf.Tensor2D;
    return [next(px, ux), next(py, uy)];
  };
  const [p11, p12] = dual(u1, s.p11, s.p12);
  const [p21, p22] = dual(u2, s.p21, s.p22);
  return { u1, u2, p11, p12, p21, p22 };
}
