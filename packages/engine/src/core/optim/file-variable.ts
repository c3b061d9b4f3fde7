import { HostImage } from '../image/host-image';
import { FileSpace, FileVector } from './file-space';
import { HostMaps } from './host-variable';
import { Parameterization } from './parameterization';
import { Projection } from './vector-space';

/**
 * A value the optimiser sees as a FileVector, its image in ordinary memory:
 * the maps between the two run in memory, one at a time, and only the image
 * stays there (a pyramid's value, 4/3 of it, lives in its file alone). Owns
 * its value's file.
 */
export class FileVariable implements Parameterization<FileVector, HostImage> {
  private current: FileVector;
  private currentImage: HostImage;
  /** The image of the last projected candidate: moveTo then needs no map. */
  private pending: { file: FileVector; image: HostImage } | null = null;

  constructor(private readonly maps: HostMaps, start: HostImage, private readonly space: FileSpace) {
    this.current = space.fromArray(maps.fromImage(start));
    this.currentImage = start;
  }

  get value(): FileVector { return this.current; }
  get image(): HostImage { return this.currentImage; }

  gradient(imageGradient: HostImage): FileVector {
    const out = this.space.create(this.maps.length);
    this.maps.gradientParts(imageGradient, (offset, values) => out.file.write(offset, values));
    return out;
  }

  projection(clip: Projection<HostImage>): Projection<FileVector> {
    return (candidate) => {
      // The candidate's values read back are ours: projected in place, one image-sized array fewer.
      const { z, image } = this.maps.project(this.space.toArray(candidate), clip, true);
      const file = this.space.fromArray(z);
      this.pending = { file, image };
      return file;
    };
  }

  moveTo(next: FileVector): void {
    this.currentImage = this.pending?.file === next ? this.pending.image : this.maps.toImage(this.space.toArray(next));
    this.pending = null;
    this.space.dispose(this.current);
    this.current = next;
  }

  release(): HostImage {
    this.dispose();
    return this.currentImage;
  }

  dispose(): void {
    this.space.dispose(this.current); // closing a closed file does nothing
    this.pending = null;
  }
}
