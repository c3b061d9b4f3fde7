import * as tf from '@tensorflow/tfjs';

/*
 * Sampling an image through a flow field, the one operation the flow
 * estimator and the temporal loss share. A flow is [h, w, 2] in pixels,
 * (dx, dy) a pixel: the pixel at (x, y) of one frame is at (x + dx, y + dy)
 * of the other. tfjs has no grid sampler: four gathers, blended bilinearly.
 */

/** The pixel grid's x and y, each [h, w]. */
function grid(height: number, width: number): [tf.Tensor2D, tf.Tensor2D] {
  const x = tf.tile(tf.range(0, width, 1, 'float32').reshape([1, width]), [height, 1]) as tf.Tensor2D;
  const y = tf.tile(tf.range(0, height, 1, 'float32').reshape([height, 1]), [1, width]) as tf.Tensor2D;
  return [x, y];
}

/**
 * `image` ([h, w, c]) sampled at each pixel's (x + dx, y + dy): the other frame brought to this one's pixels,
 * bilinear, clamped at the borders (where a pixel leaves the frame, consistencyMask says it is unreliable).
 */
export function warp(image: tf.Tensor3D, flow: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const [height, width, channels] = image.shape;
    const [x, y] = grid(height, width);
    const [dx, dy] = tf.unstack(flow, 2) as tf.Tensor2D[];
    const sx = tf.clipByValue(tf.add(x, dx), 0, width - 1);
    const sy = tf.clipByValue(tf.add(y, dy), 0, height - 1);
    const [x0, y0] = [tf.floor(sx), tf.floor(sy)];
    const [x1, y1] = [tf.minimum(tf.add(x0, 1), width - 1), tf.minimum(tf.add(y0, 1), height - 1)];
    const [ax, ay] = [tf.expandDims(tf.sub(sx, x0), 2), tf.expandDims(tf.sub(sy, y0), 2)];
    const flat = tf.reshape(image, [height * width, channels]);
    const at = (row: tf.Tensor, col: tf.Tensor) =>
      tf.reshape(tf.gather(flat, tf.cast(tf.reshape(tf.add(tf.mul(row, width), col), [-1]), 'int32')),
        [height, width, channels]);
    const top = tf.add(tf.mul(at(y0, x0), tf.sub(1, ax)), tf.mul(at(y0, x1), ax));
    const bottom = tf.add(tf.mul(at(y1, x0), tf.sub(1, ax)), tf.mul(at(y1, x1), ax));
    return tf.add(tf.mul(top, tf.sub(1, ay)), tf.mul(bottom, ay)) as tf.Tensor3D;
  });
}

/** Whether each pixel's (x + dx, y + dy) is inside the frame: 1 or 0, [h, w]. */
export function insideFrame(flow: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const [height, width] = flow.shape;
    const [x, y] = grid(height, width);
    const [dx, dy] = tf.unstack(flow, 2) as tf.Tensor2D[];
    const [sx, sy] = [tf.add(x, dx), tf.add(y, dy)];
    const inside = tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(sx, 0), tf.lessEqual(sx, width - 1)),
      tf.logicalAnd(tf.greaterEqual(sy, 0), tf.lessEqual(sy, height - 1)));
    return tf.cast(inside, 'float32') as tf.Tensor2D;
  });
}
