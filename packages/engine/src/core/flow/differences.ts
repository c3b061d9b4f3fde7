import * as tf from '@tensorflow/tfjs';

/*
 * Finite differences of [h, w] fields, as TV-L1 uses them: forward
 * differences for the flow's gradient (0 past the last row and column), and
 * their adjoint, the divergence, for the dual variable; central differences
 * for the image's gradient.
 */

const zerosColumn = (height: number) => tf.zeros([height, 1]);
const zerosRow = (width: number) => tf.zeros([1, width]);

/** ∂/∂x and ∂/∂y by forward differences, 0 at the last column and row. */
export function forwardGradient(field: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const [height, width] = field.shape;
  const dx = width > 1 ? tf.concat([tf.sub(field.slice([0, 1], [height, width - 1]),
    field.slice([0, 0], [height, width - 1])), zerosColumn(height)], 1) : tf.zerosLike(field);
  const dy = height > 1 ? tf.concat([tf.sub(field.slice([1, 0], [height - 1, width]),
    field.slice([0, 0], [height - 1, width])), zerosRow(width)], 0) : tf.zerosLike(field);
  return [dx as tf.Tensor2D, dy as tf.Tensor2D];
}

/** The divergence of (px, py): minus forwardGradient's adjoint, with px's last column and py's last row 0. */
export function divergence(px: tf.Tensor2D, py: tf.Tensor2D): tf.Tensor2D {
  const [height, width] = px.shape;
  const shiftedX = tf.concat([zerosColumn(height), px.slice([0, 0], [height, width - 1])], 1);
  const shiftedY = tf.concat([zerosRow(width), py.slice([0, 0], [height - 1, width])], 0);
  return tf.add(tf.sub(px, shiftedX), tf.sub(py, shiftedY)) as tf.Tensor2D;
}

/** The image with its border repeated one pixel out on every side. */
export function edgePadded(image: tf.Tensor2D): tf.Tensor2D {
  const [height, width] = image.shape;
  const rows = tf.concat([image.slice([0, 0], [1, width]), image, image.slice([height - 1, 0], [1, width])], 0);
  return tf.concat([rows.slice([0, 0], [height + 2, 1]), rows, rows.slice([0, width - 1], [height + 2, 1])], 1);
}

/** ∂/∂x and ∂/∂y by central differences, the border repeated. */
export function centralGradient(image: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy(() => {
    const [height, width] = image.shape;
    const edged = edgePadded(image);
    const dx = tf.div(tf.sub(edged.slice([1, 2], [height, width]), edged.slice([1, 0], [height, width])), 2);
    const dy = tf.div(tf.sub(edged.slice([2, 1], [height, width]), edged.slice([0, 1], [height, width])), 2);
    return [dx, dy] as [tf.Tensor2D, tf.Tensor2D];
  });
}
