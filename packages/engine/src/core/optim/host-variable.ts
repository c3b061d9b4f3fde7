import { HostImage, hostImage } from '../image/host-image';
import { Parameterization } from './parameterization';
import { Projection } from './vector-space';

/**
 * The maps between what the optimiser moves (a value: the pixels, or a
 * pyramid's levels) and the image, for an image in ordinary memory.
 */
export interface HostMaps {
  /** The value's length. */
  readonly length: number;
  /** The value of `image`. */
  fromImage(image: HostImage): Float32Array;
  /** The image of value z. */
  toImage(z: Float32Array): HostImage;
  /** d/d(value), given d/d(image). */
  gradient(imageGradient: HostImage): Float32Array;
  /** The same in parts, each the values from `offset` on, valid during the call (no value-sized array). */
  gradientParts(imageGradient: HostImage, visit: (offset: number, values: Float32Array) => void): void;
  /** A value whose image is clip(image(candidate)), and that image; with `reuse`, in the candidate's own values. */
  project(candidate: Float32Array, clip: Projection<HostImage>, reuse?: boolean): { z: Float32Array; image: HostImage };
}

/** The pixels themselves: value and image share their values. */
export function pixelMaps(height: number, width: number, channels: number): HostMaps {
  const toImage = (z: Float32Array) => hostImage(height, width, channels, z);
  return {
    length: height * width * channels,
    fromImage: (image) => image.data,
    toImage,
    gradient: (imageGradient) => imageGradient.data,
    gradientParts: (imageGradient, visit) => visit(0, imageGradient.data),
    project: (candidate, clip) => {
      const image = clip(toImage(candidate));
      return { z: image.data, image };
    },
  };
}

/** A value in ordinary memory and its image, through `maps`; owns nothing that needs freeing. */
export class HostVariable implements Parameterization<Float32Array, HostImage> {
  private z: Float32Array;
  private current: HostImage;
  /** The image of the last projected candidate: the optimiser's next value is always one. */
  private pending: { z: Float32Array; image: HostImage } | null = null;

  constructor(private readonly maps: HostMaps, start: HostImage) {
    this.z = maps.fromImage(start);
    this.current = start;
  }

  get value(): Float32Array { return this.z; }
  get image(): HostImage { return this.current; }

  gradient(imageGradient: HostImage): Float32Array {
    return this.maps.gradient(imageGradient);
  }

  projection(clip: Projection<HostImage>): Projection<Float32Array> {
    return (candidate) => {
      this.pending = this.maps.project(candidate, clip);
      return this.pending.z;
    };
  }

  moveTo(next: Float32Array): void {
    this.current = this.pending?.z === next ? this.pending.image : this.maps.toImage(next);
    this.pending = null;
    this.z = next;
  }

  release(): HostImage { return this.current; }
  dispose(): void {}
}
