import * as tf from '@tensorflow/tfjs';
import { PYRAMID_LEVEL_WEIGHT as LEVEL_WEIGHT, PYRAMID_MAX_LEVELS as MAX_LEVELS } from '../tuning';
import { foldWrapped, wrapPad1 } from '../ops/wrap';


/** One level of a pyramid: its size, and where it sits in the flat vector of all levels. */
export interface PyramidLevel { height: number; width: number; size: number; offset: number }

/**
 * The levels of a pyramid over a height × width image, finest first; the coarsest stops at 2 px (or MAX_LEVELS).
 * A circular pyramid (seamless) also stops at an odd size: only an exact halving wraps around the torus.
 */
export function pyramidLevels(height: number, width: number, maxLevels = MAX_LEVELS, circular = false): PyramidLevel[] {
  const levels: PyramidLevel[] = [];
  let offset = 0;
  let h = height;
  let w = width;
  for (let k = 0; k < maxLevels && (k === 0 || (h >= 2 && w >= 2)); k++) {
    levels.push({ height: h, width: w, size: h * w * 3, offset });
    if (circular && (h % 2 !== 0 || w % 2 !== 0)) break;
    offset += h * w * 3;
    h = Math.ceil(h / 2);
    w = Math.ceil(w / 2);
  }
  return levels;
}

/**
 * The image as a Laplacian-style pyramid: x = z₀ + w·up(z₁ + w·up(z₂ + …)),
 * with zₖ at 1/2ᵏ of the resolution, all levels in one flat vector for the
 * optimiser. A linear change of variables, so the objective and its minima
 * are the picture's own; what changes is the geometry L-BFGS sees. A step on
 * zₖ moves a whole 2ᵏ×2ᵏ region at once (the gradient of zₖ sums the image's
 * gradient over it), so the low frequencies of the picture, which plain
 * pixel steps move slowly, converge in far fewer iterations. (Feature
 * visualisation uses the same idea: Olah et al., "Feature Visualization",
 * Distill 2017. Not in Gatys et al.) The basis only: ImageVariable is the
 * Parameterization that moves on it.
 *
 * Its twin, stored-pyramid.ts, does the same arithmetic for a tiled scale,
 * whose image and value live in stores (scratch files at a print's size)
 * because the backend cannot hold them whole: they share the levels and the
 * weight, not the code, and pyramid.test.ts holds them equal.
 */
export class PyramidBasis {
  readonly levels: PyramidLevel[];
  readonly length: number;

  /** `circular` (seamless): the upsamplings wrap around the edges, so no border of the image is favoured. */
  constructor(readonly height: number, readonly width: number, maxLevels = MAX_LEVELS,
    private readonly circular = false) {
    this.levels = pyramidLevels(height, width, maxLevels, circular);
    this.length = this.levels.reduce((sum, l) => sum + l.size, 0);
  }

  /** The z of an image: the image in level 0, zeros in the others. */
  fromImage(image: tf.Tensor4D): tf.Tensor1D {
    return tf.tidy(() => this.inFinestLevel(image));
  }

  /** A z holding `image` in level 0 and zeros elsewhere (inside a tidy). */
  private inFinestLevel(image: tf.Tensor): tf.Tensor1D {
    const flat = tf.reshape(image, [-1]) as tf.Tensor1D;
    const rest = this.length - this.levels[0].size;
    return rest > 0 ? tf.concat([flat, tf.zeros([rest])]) : tf.clone(flat);
  }

  /** The image of z, [1, height, width, 3]. Differentiable. */
  toImage(z: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const level = (k: number) => {
        const l = this.levels[k];
        return tf.reshape(tf.slice(z, [l.offset], [l.size]), [1, l.height, l.width, 3]) as tf.Tensor4D;
      };
      let x = level(this.levels.length - 1);
      for (let k = this.levels.length - 2; k >= 0; k--) {
        const { height, width } = this.levels[k];
        const up = this.circular ? circularUpsample2x(x) : upsample2x(x, height, width);
        x = tf.add(level(k), tf.mul(up, LEVEL_WEIGHT)) as tf.Tensor4D;
      }
      return x;
    });
  }

  /**
   * The gradient with respect to z of a function of the image, given its
   * gradient with respect to the image: the adjoint of toImage, written out
   * (each upsampling's adjoint is a strided convolution), so that the loss is
   * differentiated with respect to the image and toImage is not run again
   * inside every gradient tape.
   */
  gradient(imageGradient: tf.Tensor4D): tf.Tensor1D {
    return tf.tidy(() => {
      const parts: tf.Tensor[] = [tf.reshape(imageGradient, [-1])];
      let r: tf.Tensor4D = imageGradient;
      for (let k = 1; k < this.levels.length; k++) {
        const { height, width } = this.levels[k];
        const down = this.circular ? circularUpsample2xAdjoint(r) : upsample2xAdjoint(r, height, width);
        r = tf.mul(down, LEVEL_WEIGHT) as tf.Tensor4D;
        parts.push(tf.reshape(r, [-1]));
      }
      return tf.concat(parts) as tf.Tensor1D;
    });
  }

  /**
   * A z whose image is `projectImage(image(z))`, and that image: the
   * difference goes into level 0, so the coarse levels keep what they hold.
   */
  project(z: tf.Tensor, projectImage: (x: tf.Tensor) => tf.Tensor): { z: tf.Tensor; image: tf.Tensor4D } {
    return tf.tidy(() => {
      const x = this.toImage(z);
      const image = projectImage(x) as tf.Tensor4D;
      return { z: tf.add(z, this.inFinestLevel(tf.sub(image, x))), image };
    });
  }
}

/** Separable linear-interpolation kernel of a 2× upsampling (pixel centres at half steps). */
const TAPS = [0.25, 0.75, 0.75, 0.25];

/**
 * Bilinear 2× upsampling of [1, h, w, 3] to [1, height, width, 3] (height ≤ 2h,
 * width ≤ 2w), as a transposed convolution with the channels as a batch of
 * one-channel images. Its gradient is a plain strided convolution, autodiff's
 * exact adjoint on every backend; tfjs 4.22's own resizeBilinear gradient is
 * not (it ignores halfPixelCenters on wasm and swaps height and width on cpu
 * for non-square images: both measured), and L-BFGS diverges on a gradient
 * that is not the true one. Zero padding makes the outermost row and column
 * of a coarse level weigh 3/4 at the border: harmless for a basis.
 */
export function upsample2x(x: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const up = tf.conv2dTranspose(asPlanes(x), upsamplingKernel(), [3, 2 * h, 2 * w, 1], 2, 'same');
    return fromPlanes(tf.slice(up, [0, 0, 0, 0], [3, height, width, 1]));
  });
}

/** The adjoint of upsample2x(·, H, W) for an [1, H, W, 3] input: back to [1, h, w, 3]. */
export function upsample2xAdjoint(y: tf.Tensor4D, h: number, w: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, height, width] = y.shape;
    const padded = tf.pad(asPlanes(y), [[0, 0], [0, 2 * h - height], [0, 2 * w - width], [0, 0]]) as tf.Tensor4D;
    return fromPlanes(tf.conv2d(padded, upsamplingKernel(), 2, 'same'));
  });
}

/*
 * The pyramid's 2× bilinear upsampling on the torus (seamless): the coarse
 * level wrap-padded by 1 px, upsampled, and the 2 px its padding became cut
 * off. Each output pixel reads only its two nearest coarse pixels, so the
 * cut keeps no zero padding: the border weighs as the interior does, and a
 * coarse step moves the opposite edges together. Needs an exact halving (2h × 2w).
 */

/** [1, h, w, 3] → [1, 2h, 2w, 3], wrapping around the edges. */
export function circularUpsample2x(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w, c] = x.shape;
    const up = upsample2x(wrapPad1(x), 2 * h + 4, 2 * w + 4);
    return tf.slice(up, [0, 2, 2, 0], [1, 2 * h, 2 * w, c]);
  });
}

/** The adjoint of circularUpsample2x: [1, 2h, 2w, 3] → [1, h, w, 3]. */
export function circularUpsample2xAdjoint(y: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [, height, width] = y.shape;
    const padded = tf.pad(y, [[0, 0], [2, 2], [2, 2], [0, 0]]) as tf.Tensor4D;
    return foldWrapped(upsample2xAdjoint(padded, height / 2 + 2, width / 2 + 2));
  });
}

const upsamplingKernel = () => tf.tensor4d(TAPS.flatMap((a) => TAPS.map((b) => a * b)), [4, 4, 1, 1]);
/** [1, h, w, 3] → [3, h, w, 1]: the channels as a batch of one-channel images. */
const asPlanes = (x: tf.Tensor4D) =>
  tf.reshape(tf.transpose(x, [3, 1, 2, 0]), [3, x.shape[1], x.shape[2], 1]) as tf.Tensor4D;
const fromPlanes = (x: tf.Tensor) => tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D;
