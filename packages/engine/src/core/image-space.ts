import * as tf from '@tensorflow/tfjs';
import { MEAN_BGR } from './image/convert';
import { HostImage, hostImage } from './image/host-image';
import { CurvaturePairs, FilePairs, MemoryPairs, VectorFiles } from './optim/curvature-pairs';
import { HostPyramid } from './optim/host-pyramid';
import { HOST_SPACE } from './optim/host-space';
import { ImageVariable } from './optim/image-variable';
import { Parameterization } from './optim/parameterization';
import { PyramidBasis } from './optim/pyramid';
import { TENSOR_SPACE } from './optim/tensor-space';
import { fromTensor, toTensor } from './pixels';
import { Projection, VectorSpace } from './optim/vector-space';

/*
 * Where one scale's image lives while it is optimised: as a tensor on the
 * backend (it fits whole), or in ordinary memory (a tiled scale), with the
 * optimiser's vectors, the pixel range and the moves between the two.
 */
export interface ImageSpace<V, I> {
  /** Where the image and the optimiser's vectors live. */
  readonly memory: 'backend' | 'host';
  readonly vectors: VectorSpace<V>;
  /** A home for at most `capacity` L-BFGS pairs of vectors of `values` values. */
  pairs(values: number, capacity: number): CurvaturePairs<V>;
  /** The optimiser's view of `start`, which it takes over. */
  variable(start: I): Parameterization<V, I>;
  /** Onto 0..255 (in the network's units): every step stays inside, so what is optimised is what is saved. */
  readonly clip: Projection<I>;
  upload(image: HostImage): I;
  /** The image in ordinary memory (a GPU backend reads it back asynchronously). */
  download(image: I): Promise<HostImage>;
  disposeImage(image: I): void;
  dispose(): void;
}

const LOW = MEAN_BGR.map((m) => -m);
const HIGH = MEAN_BGR.map((m) => 255 - m);

/** A whole image on the backend; L-BFGS may move a Laplacian pyramid of it instead of its pixels. */
export function tensorImageSpace(pyramid: boolean, circular = false): ImageSpace<tf.Tensor, tf.Tensor4D> {
  const low = tf.tensor1d(LOW);
  const high = tf.tensor1d(HIGH);
  return {
    memory: 'backend',
    vectors: TENSOR_SPACE,
    pairs: () => new MemoryPairs(TENSOR_SPACE),
    variable: (start) =>
      new ImageVariable(start, pyramid ? new PyramidBasis(start.shape[1], start.shape[2], undefined, circular) : null),
    clip: (x) => tf.tidy(() => tf.minimum(tf.maximum(x, low), high)),
    upload: toTensor,
    download: fromTensor,
    disposeImage: (image) => image.dispose(),
    dispose: () => tf.dispose([low, high]),
  };
}

/** The pixels of an image in ordinary memory (a tiled scale). */
class HostPixels implements Parameterization<Float32Array, HostImage> {
  constructor(private current: HostImage) {}
  get value(): Float32Array { return this.current.data; }
  get image(): HostImage { return this.current; }
  gradient(imageGradient: HostImage): Float32Array { return imageGradient.data; }
  projection(clip: Projection<HostImage>): Projection<Float32Array> {
    const { height, width, channels } = this.current;
    return (candidate) => clip(hostImage(height, width, channels, candidate)).data;
  }
  moveTo(next: Float32Array): void {
    this.current = hostImage(this.current.height, this.current.width, this.current.channels, next);
  }
  release(): HostImage { return this.current; }
  dispose(): void {}
}

function clipHost(image: HostImage): HostImage {
  const out = new Float32Array(image.data.length);
  const c = image.channels;
  for (let i = 0; i < out.length; i++) out[i] = Math.min(HIGH[i % c], Math.max(LOW[i % c], image.data[i]));
  return hostImage(image.height, image.width, c, out);
}

/**
 * An image in ordinary memory (a tiled scale); L-BFGS may move a Laplacian pyramid of it instead of its pixels, and
 * keeps its history in `files` where the program gives them.
 */
export function hostImageSpace(pyramid: boolean, circular = false,
  files?: VectorFiles): ImageSpace<Float32Array, HostImage> {
  return {
    memory: 'host',
    vectors: HOST_SPACE,
    pairs: (values, capacity) => (files ? new FilePairs(files, values, capacity) : new MemoryPairs(HOST_SPACE)),
    variable: (start) => (pyramid ? new HostPyramid(start, circular) : new HostPixels(start)),
    clip: clipHost,
    upload: (image) => image,
    download: async (image) => image,
    disposeImage: () => {},
    dispose: () => {},
  };
}
