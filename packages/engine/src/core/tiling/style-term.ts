import * as tf from '@tensorflow/tfjs';
import { VggLayer } from '../options';
import { LayerRect } from './sweep';

/**
 * The style part of the tiled objective (the Gram's, gram-term.ts, or the sliced-Wasserstein loss's,
 * sliced-term.ts), one evaluation at a time: it sees every tile's features at the style layers in the forward sweep,
 * then knows the whole image's term, then gives each tile of the backward sweep a local term whose gradient is the
 * whole term's there.
 */
export interface TiledStyleTerm {
  /** Starts an evaluation of an image of height × width. */
  begin(height: number, width: number): void;
  /** A tile's interior features at a style layer, in the forward sweep (the caller frees them). */
  visit(layer: VggLayer, features: tf.Tensor4D, at: LayerRect): Promise<void>;
  /** After the forward sweep: the term's value, unweighted. */
  settle(): Promise<number>;
  /** In the backward sweep's tape: a tile's term at `layer` with the whole weighted term's gradient there, or null. */
  localTerm(layer: VggLayer, features: tf.Tensor4D, at: LayerRect): tf.Scalar | null;
  /** Frees what the evaluation kept, however it ended. */
  end(): void;
  dispose(): void;
}
