import { VectorSpace } from './vector-space';

/*
 * Where L-BFGS keeps its curvature pairs (y_k, s_k). On a backend or for a
 * small image, as vectors like any other; for a tiled scale, in a file
 * (PairFile, given by the program around the core): at 4096×3072 a pair of
 * pyramid vectors is 402 MB, and the five the history keeps at least would
 * be 2 GB of the process's memory that rises with every iteration until the
 * history is full. The two-loop recursion reads one vector at a time, so a
 * file costs one vector of memory, whatever the history's length.
 */

export interface CurvaturePairs<V> {
  readonly length: number;
  /** Keeps y_k (taken over) and s_k (copied: it stays the caller's). */
  add(y: V, s: V): void;
  dropOldest(): void;
  /** Runs `use` on pair i's y or s (0: the oldest); the vector is valid during the call only. */
  read<T>(i: number, which: 'y' | 's', use: (v: V) => Promise<T>): Promise<T>;
  dispose(): void;
}

/** Float32 vectors of one length in numbered slots outside the process's memory (a temporary file), freed on close. */
export interface VectorFile {
  write(slot: number, data: Float32Array): void;
  read(slot: number, into: Float32Array): void;
  close(): void;
}

/** Opens a VectorFile of `slots` slots of `length` values each. */
export type VectorFiles = (length: number, slots: number) => VectorFile;

/** The pairs as vectors of `space`, in memory. */
export class MemoryPairs<V> implements CurvaturePairs<V> {
  private readonly ys: V[] = [];
  private readonly ss: V[] = [];

  constructor(private readonly space: VectorSpace<V>) {}

  get length(): number { return this.ys.length; }

  add(y: V, s: V): void {
    this.ys.push(y);
    this.ss.push(this.space.clone(s));
  }

  dropOldest(): void {
    this.space.dispose(this.ys.shift()!);
    this.space.dispose(this.ss.shift()!);
  }

  read<T>(i: number, which: 'y' | 's', use: (v: V) => Promise<T>): Promise<T> {
    return use((which === 'y' ? this.ys : this.ss)[i]);
  }

  dispose(): void {
    for (const v of [...this.ys, ...this.ss]) this.space.dispose(v);
    this.ys.length = this.ss.length = 0;
  }
}

/** The pairs in a VectorFile, a ring of `capacity` pairs, read back into one buffer. */
export class FilePairs implements CurvaturePairs<Float32Array> {
  private readonly file: VectorFile;
  private readonly buffer: Float32Array;
  private first = 0;
  private count = 0;

  constructor(files: VectorFiles, values: number, private readonly capacity: number) {
    this.file = files(values, 2 * capacity);
    this.buffer = new Float32Array(values);
  }

  get length(): number { return this.count; }

  private slot(i: number, which: 'y' | 's'): number {
    return 2 * ((this.first + i) % this.capacity) + (which === 'y' ? 0 : 1);
  }

  add(y: Float32Array, s: Float32Array): void {
    if (this.count === this.capacity) this.dropOldest();
    this.file.write(this.slot(this.count, 'y'), y);
    this.file.write(this.slot(this.count, 's'), s);
    this.count += 1;
  }

  dropOldest(): void {
    this.first = (this.first + 1) % this.capacity;
    this.count -= 1;
  }

  read<T>(i: number, which: 'y' | 's', use: (v: Float32Array) => Promise<T>): Promise<T> {
    this.file.read(this.slot(i, which), this.buffer);
    return use(this.buffer);
  }

  dispose(): void {
    this.file.close();
    this.count = 0;
  }
}
