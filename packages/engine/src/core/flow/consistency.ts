import * as tf from '@tensorflow/tfjs';
import { forwardGradient } from './differences';
import { insideFrame, warp } from './warp';

/*
 * Where a flow can be trusted, as Ruder, Dosovitskiy and Brox (2016,
 * "Artistic style transfer for videos", §3.2) mark it for the temporal loss:
 * not where the flow there and the flow back from where it points disagree
 * (the pixel is hidden in the other frame: |w + ŵ|² > 0.01 (|w|² + |ŵ|²) + 0.5),
 * not on a motion boundary (|∇u|² + |∇v|² > 0.01 |w|² + 0.002), and not
 * where it points out of the frame.
 */

/**
 * 1 where the flow `flow` from frame a to frame b is reliable, else 0, over a's pixels ([h, w]); `back` is the flow
 * from b to a. The caller owns the result.
 */
export function consistencyMask(flow: tf.Tensor3D, back: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const squared = (f: tf.Tensor3D) => tf.sum(tf.square(f), 2);
    const backThere = warp(back, flow);
    const disagreement = squared(tf.add(flow, backThere) as tf.Tensor3D);
    const disoccluded = tf.greater(disagreement,
      tf.add(tf.mul(tf.add(squared(flow), squared(backThere)), 0.01), 0.5));
    const [u, v] = tf.unstack(flow, 2) as tf.Tensor2D[];
    const [[ux, uy], [vx, vy]] = [forwardGradient(u), forwardGradient(v)];
    const variation = tf.addN([tf.square(ux), tf.square(uy), tf.square(vx), tf.square(vy)]);
    const boundary = tf.greater(variation, tf.add(tf.mul(squared(flow), 0.01), 0.002));
    const unreliable = tf.logicalOr(disoccluded, boundary);
    return tf.mul(insideFrame(flow), tf.cast(tf.logicalNot(unreliable), 'float32')) as tf.Tensor2D;
  });
}
