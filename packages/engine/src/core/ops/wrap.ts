import * as tf from '@tensorflow/tfjs';
import { customUnaryOp } from './custom-grad';

/*
 * Circular (torus) padding for seamless textures: a 3x3 'same' convolution of
 * a 1 px wrap-padded input, cropped by 1 px, is the convolution on the torus,
 * exactly (its interior never reads the zero padding). Both ops have
 * hand-written gradients that keep nothing, so inside a gradient they cost no
 * saved copy (tfjs's Slice would keep its input alive for its shape).
 */

/** `x` [1, h, w, c] with its last row above, its first below, then the same for columns: [1, h+2, w+2, c]. */
export function wrapPad1(x: tf.Tensor4D): tf.Tensor4D {
  return customUnaryOp<tf.Tensor4D, tf.Tensor4D>((input) => ({
    value: wrapPadValue(input),
    gradFunc: (dy) => {
      const dx = foldWrapped(dy);
      tf.dispose(dy); // nothing upstream reads it again (as in conv3x3Relu)
      return dx;
    },
  }))(x);
}

function wrapPadValue(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w, c] = x.shape;
    const rows = tf.concat([tf.slice(x, [0, h - 1, 0, 0], [1, 1, w, c]), x,
      tf.slice(x, [0, 0, 0, 0], [1, 1, w, c])], 1);
    return tf.concat([tf.slice(rows, [0, 0, w - 1, 0], [1, h + 2, 1, c]), rows,
      tf.slice(rows, [0, 0, 0, 0], [1, h + 2, 1, c])], 2) as tf.Tensor4D;
  });
}

/**
 * The adjoint of wrapPadValue: the gradient of each padded border row or
 * column goes back to the edge it was copied from (the opposite edge).
 */
export function foldWrapped(dy: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [, hp, wp, c] = dy.shape;
    const [h, w] = [hp - 2, wp - 2];
    const col = (at: number, rows: tf.Tensor4D) => tf.slice(rows, [0, 0, at, 0], [1, rows.shape[1], 1, c]);
    // Columns first (the reverse of the padding's order): fold the padded columns into the inner ones.
    const inner = tf.slice(dy, [0, 0, 1, 0], [1, hp, w, c]);
    const cols = addAt(addAt(inner, 2, w - 1, col(0, dy)), 2, 0, col(wp - 1, dy));
    const row = (at: number) => tf.slice(cols, [0, at, 0, 0], [1, 1, w, c]);
    const middle = tf.slice(cols, [0, 1, 0, 0], [1, h, w, c]);
    return addAt(addAt(middle, 1, h - 1, row(0)), 1, 0, row(hp - 1));
  });
}

/** `x` with `add` (one row or column, `axis` 1 or 2) added at index `at` of that axis. */
function addAt(x: tf.Tensor4D, axis: 1 | 2, at: number, add: tf.Tensor4D): tf.Tensor4D {
  const n = x.shape[axis];
  const before: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
  before[axis] = [at, n - 1 - at];
  return tf.add(x, tf.pad(add, before)) as tf.Tensor4D;
}

/** `x` [1, h, w, c] without its 1 px border: [1, h-2, w-2, c]. Its gradient pads dy with zeros. */
export function crop1(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w, c] = x.shape;
  return customUnaryOp<tf.Tensor4D, tf.Tensor4D>((input) => ({
    value: tf.slice(input, [0, 1, 1, 0], [1, h - 2, w - 2, c]),
    gradFunc: (dy) => {
      const dx = tf.pad(dy, [[0, 0], [1, 1], [1, 1], [0, 0]]);
      tf.dispose(dy);
      return dx;
    },
  }))(x);
}

/**
 * `f` (a 3x3 'same' convolution) on the torus: wrap-pad, convolve, crop. The padded input and the uncropped output
 * are freed at once, inside a gradient too: no gradient reads them (conv3x3Relu keeps a mask or its own copy of its
 * output, and these two ops keep nothing), so a layer costs no more memory than without wrapping.
 */
export function onTorus(x: tf.Tensor4D, f: (padded: tf.Tensor4D) => tf.Tensor4D): tf.Tensor4D {
  const padded = wrapPad1(x);
  const full = f(padded);
  padded.dispose();
  const y = crop1(full);
  full.dispose();
  return y;
}
