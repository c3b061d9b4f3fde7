import * as tf from '@tensorflow/tfjs';

/**
 * Tensors the fast ops keep alive for one tf.grad instead of `save`-ing them.
 * tfjs's save clones, a clone is a copy on wasm, and original and copy both
 * live until the forward pass ends: twice the activations at the forward
 * peak. With an arena an op keeps its own output and its gradient frees it;
 * dispose() frees whatever a failed or skipped backward pass left.
 */
export class GradientArena {
  private readonly kept: tf.Tensor[] = [];

  keep<T extends tf.Tensor>(tensor: T): T {
    this.kept.push(tf.keep(tensor));
    return tensor;
  }

  dispose(): void {
    tf.dispose(this.kept);
    this.kept.length = 0;
  }
}

/** Runs `use` with a fresh arena and frees the arena after, however `use` ends. */
export function withArena<T>(use: (arena: GradientArena) => T): T {
  const arena = new GradientArena();
  try {
    return use(arena);
  } finally {
    arena.dispose();
  }
}
