import * as tf from '@tensorflow/tfjs';
import { MEAN_BGR } from './image/convert';
import { HostImage, hostImage } from './image/host-image';
import { FileSpace, FileVector } from './optim/file-space';
import {
  arrayValues, fileStore, ImageStore, mapBands, MEMORY_STORE, StoredImage, storeImage, wholeOf,
} from './image/stored-image';
import { StoredPyramidMaps } from './optim/stored-pyramid';
import { StoredVariable, VectorStore } from './optim/stored-variable';
import { HOST_SPACE } from './optim/host-space';
import { ImageVariable } from './optim/image-variable';
import { Parameterization } from './optim/parameterization';
import { PyramidBasis } from './optim/pyramid';
import { TENSOR_SPACE } from './optim/tensor-space';
import { fromTensor, toTensor } from './pixels';
import { resizeHost, shrinkStored } from './image/resize';
import { Projection, VectorSpace } from './optim/vector-space';
import { ScratchFiles } from './scratch-file';

/*
 * Where one scale's image lives while it is optimised: as a tensor on the
 * backend (it fits whole), or where a tiled scale keeps it, with the
 * optimiser's vectors, the pixel range and the moves between the two.
 */
export interface ImageSpace<V, I> {
  /** Where the image and the optimiser's vectors live. */
  readonly memory: 'backend' | 'host';
  readonly vectors: VectorSpace<V>;
  /** The optimiser's view of `start`, which it takes over. */
  variable(start: I): Parameterization<V, I>;
  /** Onto 0..255 (in the network's units): every step stays inside, so what is optimised is what is saved. */
  readonly clip: Projection<I>;
  upload(image: HostImage): I;
  /** The image in ordinary memory (a GPU backend reads it back asynchronously). */
  download(image: I): Promise<HostImage>;
  /** The image resized to height × width (smaller: a preview), in ordinary memory; the image stays where it is. */
  shrink(image: I, height: number, width: number): Promise<HostImage>;
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
    variable: (start) =>
      new ImageVariable(start, pyramid ? new PyramidBasis(start.shape[1], start.shape[2], undefined, circular) : null),
    clip: (x) => tf.tidy(() => tf.minimum(tf.maximum(x, low), high)),
    upload: toTensor,
    download: fromTensor,
    shrink: async (image, height, width) => resizeHost(await fromTensor(image), height, width),
    disposeImage: (image) => image.dispose(),
    dispose: () => tf.dispose([low, high]),
  };
}

function clipHost(image: HostImage): HostImage {
  const out = new Float32Array(image.data.length);
  const c = image.channels;
  for (let i = 0; i < out.length; i++) out[i] = Math.min(HIGH[i % c], Math.max(LOW[i % c], image.data[i]));
  return hostImage(image.height, image.width, c, out);
}

const ARRAY_VECTORS: VectorStore<Float32Array> = {
  create: (length) => new Float32Array(length),
  values: arrayValues,
  dispose: () => {},
};

/**
 * An image too large for the backend (a tiled scale), kept by `store`, with the optimiser's vectors; L-BFGS may move a
 * Laplacian pyramid of it instead of its pixels.
 */
function storedImageSpace<V>(pyramid: boolean, circular: boolean, store: ImageStore,
  vectors: VectorSpace<V> & VectorStore<V>): ImageSpace<V, StoredImage> {
  const maps = (image: StoredImage) =>
    new StoredPyramidMaps(image.height, image.width, circular, pyramid ? undefined : 1);
  return {
    memory: 'host',
    vectors,
    variable: (start) => new StoredVariable(maps(start), start, vectors, store),
    clip: (image) => mapBands(image, store, clipHost),
    upload: (image) => storeImage(image, store),
    download: async (image) => wholeOf(image),
    shrink: async (image, height, width) => shrinkStored(image, height, width),
    disposeImage: (image) => image.dispose(),
    dispose: () => {},
  };
}

/** A tiled scale's image and vectors in ordinary memory. */
export function hostImageSpace(pyramid: boolean, circular = false): ImageSpace<Float32Array, StoredImage> {
  return storedImageSpace(pyramid, circular, MEMORY_STORE, { ...HOST_SPACE, ...ARRAY_VECTORS });
}

/**
 * A tiled scale's image and the optimiser's vectors (its value, gradients, steps and L-BFGS pairs) in scratch files:
 * a print's memory is then the network's, not a dozen image-sized arrays'.
 */
export function fileImageSpace(pyramid: boolean, circular: boolean,
  files: ScratchFiles): ImageSpace<FileVector, StoredImage> {
  return storedImageSpace(pyramid, circular, fileStore(files), new FileSpace(files));
}
