import * as tf from '@tensorflow/tfjs';
import { customUnaryOp } from './custom-grad';
import { GradientArena } from './gradient-arena';

/*
 * Gram matrices FᵀF with gradients that reach XNNPACK on wasm, where only an
 * untransposed matMul does: Fᵀ is made explicitly, and the gradients are
 * written without a transposed operand.
 */

/** Gram matrix FᵀF of NHWC features (batch 1) as [C, C], unnormalised. */
export function gram(features: tf.Tensor4D, arena?: GradientArena): tf.Tensor2D {
  const [, h, w, c] = features.shape;
  return customUnaryOp<tf.Tensor4D, tf.Tensor2D>((input, save) => {
    const f = tf.reshape(input, [h * w, c]) as tf.Tensor2D;
    if (arena) arena.keep(f); // a reshape shares the features' memory: no copy
    else save([f]);
    return {
      value: transposedTimesSelf(input),
      gradFunc: (dG, saved) => {
        const flat = (arena ? f : saved[0]) as tf.Tensor2D;
        const dF = tf.tidy(() => tf.reshape(tf.matMul(flat, tf.add(dG, tf.transpose(dG)) as tf.Tensor2D),
          [1, h, w, c]));
        tf.dispose([dG, flat]); // as in conv3x3Relu: nothing needs them after this
        return dF;
      },
    };
  })(features);
}

/**
 * Σ (FᵀF/M − A)² of NHWC features F (batch 1), M = H·W positions, for a
 * symmetric A (a Gram target): a style term as one op. With D = FᵀF/M − A its
 * gradient is 4/M · F·D, one matMul, where tfjs's chain rule takes seven ops
 * on [C, C] and a transpose. D is symmetric up to rounding (FᵀF is computed,
 * not mirrored), so F·D stands for F·(D + Dᵀ)/2.
 */
export function gramDistance(features: tf.Tensor4D, target: tf.Tensor2D, arena?: GradientArena): tf.Scalar {
  const [, h, w, c] = features.shape;
  const positions = h * w;
  return customUnaryOp<tf.Tensor4D, tf.Scalar>((input, save) => {
    const f = tf.reshape(input, [positions, c]) as tf.Tensor2D;
    const d = tf.sub(tf.div(transposedTimesSelf(input), positions), target) as tf.Tensor2D;
    if (arena) {
      arena.keep(f); // a reshape shares the features' memory: no copy
      arena.keep(d);
    } else {
      save([f, d]);
    }
    return {
      value: tf.sum(tf.square(d)),
      gradFunc: (dy, saved) => {
        const [flat, difference] = (arena ? [f, d] : saved) as tf.Tensor2D[];
        const dG = () => tf.mul(difference, tf.mul(dy, 4 / positions)) as tf.Tensor2D;
        const dF = tf.tidy(() => tf.reshape(tf.matMul(flat, dG()), [1, h, w, c]));
        tf.dispose([flat, difference]); // as in conv3x3Relu: nothing needs them after this
        return dF;
      },
    };
  })(features);
}

/**
 * Fᵀ of [1, H, W, C] features as [C, H·W], made by a transpose: as a matMul's transposed operand it is ~6x slower on
 * wasm.
 */
export function channelsFirst(features: tf.Tensor4D): tf.Tensor2D {
  const [, h, w, c] = features.shape;
  return tf.reshape(tf.transpose(tf.reshape(features, [h, w, c]), [2, 0, 1]), [c, h * w]);
}

/** FᵀF of [1, H, W, C] features. */
function transposedTimesSelf(features: tf.Tensor4D): tf.Tensor2D {
  const [, h, w, c] = features.shape;
  return tf.tidy(() => tf.matMul(channelsFirst(features), tf.reshape(features, [h * w, c]) as tf.Tensor2D));
}

/**
 * Σ_p F_p D F_pᵀ = Σ F ⊙ (F·D) of NHWC features F (batch 1) for a symmetric
 * D, with gradient 2·F·D: one matMul, kept from the forward pass. With
 * D = G/M − A of a whole image, its gradient at a tile's positions is that
 * image's style gradient there up to a constant (tiled-objective.ts).
 */
export function gramTrace(features: tf.Tensor4D, d: tf.Tensor2D, arena?: GradientArena): tf.Scalar {
  const [, h, w, c] = features.shape;
  return customUnaryOp<tf.Tensor4D, tf.Scalar>((input, save) => {
    const f = tf.reshape(input, [h * w, c]) as tf.Tensor2D;
    const fd = tf.matMul(f, d);
    if (arena) arena.keep(fd);
    else save([fd]);
    return {
      value: tf.sum(tf.mul(f, fd)),
      gradFunc: (dy, saved) => {
        const product = (arena ? fd : saved[0]) as tf.Tensor2D;
        const dF = tf.tidy(() => tf.reshape(tf.mul(product, tf.mul(dy, 2)), [1, h, w, c]));
        product.dispose(); // as in conv3x3Relu: nothing needs it after this
        return dF;
      },
    };
  })(features);
}
