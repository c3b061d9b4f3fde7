import * as tf from '@tensorflow/tfjs';
import { CHANNELS, featureSize } from '../geometry';
import { hostImage } from '../image/host-image';
import { cropRows, ImageStore, StoredImage, storedInMemory } from '../image/stored-image';
import { VggLayer } from '../options';
import { Projections, Projector, SlicedStyle } from '../sliced-style';
import { disposeInputs, forwardSweep, LayerRect, Sweep } from './sweep';
import { TiledStyleTerm } from './style-term';

/*
 * The sliced-Wasserstein style term, tile by tile, exact: a position's
 * residual needs its rank among every position of its layer along each
 * direction, so no tile's gradient is known before every tile is seen. The
 * forward sweep writes each tile's projections into the store (K values a
 * position at each style layer: 122 an output pixel at VGG19's five); once
 * it is done, each direction is ranked whole and its projections become
 * their residuals; the backward sweep reads a tile's residuals back and
 * takes them to its features (R Wᵀ), as the whole image's term does.
 */

/** Each style layer's projections of an image, a direction's values a plane of the layer's size (K planes). */
class StoredProjections {
  private readonly planes = new Map<VggLayer, StoredImage>();

  constructor(store: ImageStore, layers: readonly VggLayer[], height: number, width: number) {
    try {
      for (const layer of layers) {
        const size = featureSize(layer, height, width);
        this.planes.set(layer, store(CHANNELS[layer] * size.height, size.width, 1));
      }
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /** Writes a tile's projections (K × its interior's positions, which it frees) at `at`. */
  async write(layer: VggLayer, projected: tf.Tensor2D, at: LayerRect): Promise<void> {
    const values = await projected.data().finally(() => projected.dispose()) as Float32Array;
    const { plane, rows } = this.planeOf(layer);
    const n = at.height * at.width;
    for (let j = 0; j < CHANNELS[layer]; j++) {
      plane.write(hostImage(at.height, at.width, 1, values.subarray(j * n, (j + 1) * n)), j * rows + at.top, at.left);
    }
  }

  /** The layer's projections as rows a direction each (read and written through the store). */
  rows(layer: VggLayer): Projections {
    const { plane, rows } = this.planeOf(layer);
    return {
      n: rows * plane.width, k: CHANNELS[layer],
      row: (j) => cropRows(plane, j * rows, rows).data,
      setRow: (j, values) => plane.write(hostImage(rows, plane.width, 1, values), j * rows, 0),
    };
  }

  /** The values at a tile's interior, K × its positions. */
  at(layer: VggLayer, at: LayerRect): Float32Array {
    const { plane, rows } = this.planeOf(layer);
    const n = at.height * at.width;
    const out = new Float32Array(CHANNELS[layer] * n);
    for (let j = 0; j < CHANNELS[layer]; j++) {
      out.set(plane.crop({ ...at, top: j * rows + at.top }).data, j * n);
    }
    return out;
  }

  positions(layer: VggLayer): number {
    const { plane, rows } = this.planeOf(layer);
    return rows * plane.width;
  }

  dispose(): void {
    for (const plane of this.planes.values()) plane.dispose();
    this.planes.clear();
  }

  private planeOf(layer: VggLayer): { plane: StoredImage; rows: number } {
    const plane = this.planes.get(layer)!;
    return { plane, rows: plane.height / CHANNELS[layer] };
  }
}

/** A painting's projections for the style's quantiles, tile by tile by `sweep`, kept in its store. */
export function tiledProjector(sweep: Sweep, store: ImageStore): Projector {
  return async (image, project, layers) => {
    const projections = new StoredProjections(store, layers, image.height, image.width);
    try {
      disposeInputs(await forwardSweep(sweep, storedInMemory(image), new Set(layers),
        (layer, features, at) => projections.write(layer, tf.tidy(() => project(layer, features)), at)));
      return { projections: new Map(layers.map((layer) => [layer, projections.rows(layer)])),
        release: () => projections.dispose() };
    } catch (error) {
      projections.dispose();
      throw error;
    }
  };
}

export class TiledSlicedTerm implements TiledStyleTerm {
  private projections: StoredProjections | null = null;

  /** `weight`: the style term's (β), which the local terms carry as the Gram's do. */
  constructor(private readonly style: SlicedStyle, private readonly layers: readonly VggLayer[],
    private readonly store: ImageStore, private readonly weight: number) {}

  begin(height: number, width: number): void {
    this.end();
    this.projections = new StoredProjections(this.store, this.layers, height, width);
  }

  async visit(layer: VggLayer, features: tf.Tensor4D, at: LayerRect): Promise<void> {
    await this.projections!.write(layer, tf.tidy(() => this.style.project(layer, features)), at);
  }

  async settle(): Promise<number> {
    const projections = this.projections!;
    return this.style.residualsIn(new Map(this.layers.map((layer) => [layer, projections.rows(layer)])));
  }

  /** β Σ F ⊙ G at the tile's positions, G its residuals taken to the features (constant): the term's gradient. */
  localTerm(layer: VggLayer, features: tf.Tensor4D, at: LayerRect): tf.Scalar | null {
    if (!this.layers.includes(layer)) return null;
    const projections = this.projections!;
    const gradient = this.style.featureGradient(layer, projections.at(layer, at), projections.positions(layer));
    const [, h, w, c] = features.shape;
    return tf.mul(tf.sum(tf.mul(tf.reshape(features, [h * w, c]), gradient)), this.weight) as tf.Scalar;
  }

  end(): void {
    this.projections?.dispose();
    this.projections = null;
  }

  dispose(): void {
    this.end();
    this.style.dispose();
  }
}
