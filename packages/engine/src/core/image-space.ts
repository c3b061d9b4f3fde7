import * as tf from '@tensorflow/tfjs';
import { MEAN_BGR } from './image/convert';
import { HostImage, hostImage } from './image/host-image';
import { FileSpace, FileVector } from './optim/file-space';
import { FileVariable } from './optim/file-variable';
import { HostPyramidMaps } from './optim/host-pyramid';
import { HostMaps, HostVariable, pixelMaps } from './optim/host-variable';
import { HOST_SPACE } from './optim/host-space';
import { ImageVariable } from './optim/image-variable';
import { Parameterization } from './optim/parameterization';
import { PyramidBasis } from './optim/pyramid';
import { TENSOR_SPACE } from './optim/tensor-space';
import { fromTensor, toTensor } from './pixels';
import { Projection, VectorSpace } from './optim/vector-space';
import { ScratchFiles } from './scratch-file';

/*
 * Where one scale's image lives while it is optimised: as a tensor on the
 * backend (it fits whole), or in ordinary memory (a tiled scale), with the
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

function hostMaps(image: HostImage, pyramid: boolean, circular: boolean): HostMaps {
  return pyramid ? new HostPyramidMaps(image.height, image.width, circular)
    : pixelMaps(image.height, image.width, image.channels);
}

/** An image in ordinary memory (a tiled scale); L-BFGS may move a Laplacian pyramid of it instead of its pixels. */
export function hostImageSpace(pyramid: boolean, circular = false): ImageSpace<Float32Array, HostImage> {
  return {
    memory: 'host',
    vectors: HOST_SPACE,
    variable: (start) => new HostVariable(hostMaps(start, pyramid, circular), start),
    clip: clipHost,
    upload: (image) => image,
    download: async (image) => image,
    disposeImage: () => {},
    dispose: () => {},
  };
}

/**
 * As hostImageSpace, but the optimiser's vectors (its value, gradients, steps and L-BFGS pairs) in scratch files: a
 * print's memory is then its image's, not a dozen image-sized vectors'.
 */
export function fileImageSpace(pyramid: boolean, circular: boolean,
  files: ScratchFiles): ImageSpace<FileVector, HostImage> {
  const vectors = new FileSpace(files);
  return { ...hostImageSpace(pyramid, circular), vectors,
    variable: (start) => new FileVariable(hostMaps(start, pyramid, circular), start, vectors) };
}
