import { ImageStore, StoredImage, Values } from '../image/stored-image';
import { Parameterization } from './parameterization';
import { StoredPyramidMaps } from './stored-pyramid';
import { Projection } from './vector-space';

/** Where a tiled scale's vectors live (arrays in memory, or scratch files) and how their values are reached. */
export interface VectorStore<V> {
  /** A new vector of `length` zeros. */
  create(length: number): V;
  values(v: V): Values;
  dispose(v: V): void;
}

/**
 * What the optimiser moves at a tiled scale (the pixels, or a pyramid's
 * levels) and its image, each where its store keeps it: at a print's size
 * both in scratch files, so that no image-sized array stays in memory
 * between two uses. The maps between them move a band of rows at a time.
 * Owns its value and image (and a projected candidate's image until the
 * optimiser moves to it).
 */
export class StoredVariable<V> implements Parameterization<V, StoredImage> {
  private current: V;
  private currentImage: StoredImage;
  /** The image of the last projected candidate: the optimiser's next value is always one. */
  private pending: { value: V; image: StoredImage } | null = null;
  private released = false;

  /** Takes over `start`. */
  constructor(private readonly maps: StoredPyramidMaps, start: StoredImage, private readonly vectors: VectorStore<V>,
    private readonly store: ImageStore) {
    this.current = vectors.create(maps.length);
    maps.fromImage(start, vectors.values(this.current));
    this.currentImage = start;
  }

  get value(): V { return this.current; }
  get image(): StoredImage { return this.currentImage; }

  gradient(imageGradient: StoredImage): V {
    const out = this.vectors.create(this.maps.length);
    this.maps.gradient(imageGradient, this.vectors.values(out));
    return out;
  }

  /** The candidate's image, clipped; the value moved by what the clip changed (in level 0, the coarse levels kept). */
  projection(clip: Projection<StoredImage>): Projection<V> {
    return (candidate) => {
      const image = this.imageOf(candidate);
      try {
        const clipped = clip(image);
        const out = this.vectors.create(this.maps.length);
        this.maps.shiftFinest(this.vectors.values(candidate), this.vectors.values(out), image, clipped);
        this.pending?.image.dispose();
        this.pending = { value: out, image: clipped };
        return out;
      } finally {
        image.dispose();
      }
    };
  }

  moveTo(next: V): void {
    const image = this.pending?.value === next ? this.pending.image : this.imageOf(next);
    if (this.pending && this.pending.image !== image) this.pending.image.dispose();
    this.pending = null;
    this.vectors.dispose(this.current);
    this.currentImage.dispose();
    this.current = next;
    this.currentImage = image;
  }

  release(): StoredImage {
    this.vectors.dispose(this.current);
    this.pending?.image.dispose();
    this.pending = null;
    this.released = true;
    return this.currentImage;
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.vectors.dispose(this.current);
    this.currentImage.dispose();
    this.pending?.image.dispose();
    this.pending = null;
  }

  private imageOf(value: V): StoredImage {
    const level = this.maps.levels[0];
    const image = this.store(level.height, level.width, 3);
    try {
      this.maps.toImage(this.vectors.values(value), image);
      return image;
    } catch (error) {
      image.dispose();
      throw error;
    }
  }
}
