import * as tf from '@tensorflow/tfjs';
import type { VggLayer } from './options';

/**
 * Style targets kept for the runs of one clip (clip.ts): its paintings are
 * the same in every frame, so a scale's targets are computed once, by the
 * first frame that has that scale, and each later one takes copies (a clone
 * shares its tensor's data). The clip disposes it at its end.
 */
export class StyleTargetCache {
  private readonly kept = new Map<string, Map<VggLayer, tf.Tensor2D>>();

  /** The targets kept under `key` (a scale's size), computed by `compute` the first time: the caller owns them. */
  async targets(key: string,
    compute: () => Promise<Map<VggLayer, tf.Tensor2D>>): Promise<Map<VggLayer, tf.Tensor2D>> {
    let kept = this.kept.get(key);
    if (!kept) {
      kept = await compute();
      this.kept.set(key, kept);
    }
    return new Map([...kept].map(([layer, target]) => [layer, tf.clone(target)]));
  }

  dispose(): void {
    for (const targets of this.kept.values()) tf.dispose([...targets.values()]);
    this.kept.clear();
  }
}
