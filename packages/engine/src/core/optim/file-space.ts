import { ScratchFile, ScratchFiles } from '../scratch-file';
import { VectorSpace } from './vector-space';

/*
 * Vectors in scratch files (a print's tiled scale): every operation streams
 * its vectors through a few chunk-sized buffers, so the optimiser's state
 * (the gradient, the previous one, the last step, the direction, the L-BFGS
 * pairs) costs no memory however large the image. The arithmetic is
 * host-space.ts's, element by element and with its float64 sums in the same
 * order, so the iterates are bit for bit those of vectors in memory
 * (optimizers.test.ts).
 */

/** A vector of `length` values in its own scratch file, closed on dispose. */
export interface FileVector {
  readonly file: ScratchFile;
  readonly length: number;
}

/** Values streamed at a time: large enough that a system call moves megabytes, small beside any image vector. */
const CHUNK = 1 << 20;

export class FileSpace implements VectorSpace<FileVector> {
  private readonly buffers = [0, 1, 2].map(() => new Float32Array(CHUNK));

  constructor(private readonly files: ScratchFiles) {}

  /** A new vector of `length` zeros. */
  create(length: number): FileVector {
    return { file: this.files(length), length };
  }

  /** Where v's values are. */
  values(v: FileVector): ScratchFile {
    return v.file;
  }

  /** A new vector holding `data`. */
  fromArray(data: Float32Array): FileVector {
    const v = this.create(data.length);
    for (let at = 0; at < data.length; at += CHUNK) v.file.write(at, data.subarray(at, at + CHUNK));
    return v;
  }

  /** The values of `v` in memory (a new array). */
  toArray(v: FileVector): Float32Array {
    const out = new Float32Array(v.length);
    for (let at = 0; at < v.length; at += CHUNK) v.file.read(at, out.subarray(at, at + CHUNK));
    return out;
  }

  size(a: FileVector): number { return a.length; }

  async dot(a: FileVector, b: FileVector): Promise<number> {
    let sum = 0;
    this.stream([a, b], null, (x, y) => {
      for (let i = 0; i < x.length; i++) sum += x[i] * y[i];
    });
    return sum;
  }

  async maxAbs(a: FileVector): Promise<number> {
    let max = 0;
    this.stream([a], null, (x) => {
      for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i]));
    });
    return max;
  }

  combine(a: number, x: FileVector, b: number, y: FileVector): FileVector {
    const out = this.create(x.length);
    this.stream([x, y], out, (u, v, o) => {
      for (let i = 0; i < u.length; i++) o[i] = a * u[i] + b * v[i];
    });
    return out;
  }

  scale(a: number, x: FileVector): FileVector {
    const out = this.create(x.length);
    this.stream([x], out, (u, o) => {
      for (let i = 0; i < u.length; i++) o[i] = a * u[i];
    });
    return out;
  }

  update(a: number, x: FileVector, b: number, y: FileVector): FileVector {
    this.stream([x, y], x, (u, v) => {
      for (let i = 0; i < u.length; i++) u[i] = a * u[i] + b * v[i];
    });
    return x;
  }

  clone(x: FileVector): FileVector {
    return this.scale(1, x);
  }

  decayedSquare(previous: FileVector | null, x: FileVector, beta: number): FileVector {
    const out = this.create(x.length);
    const inputs = previous ? [x, previous] : [x];
    this.stream(inputs, out, (u, ...rest) => {
      const [p, o] = previous ? rest : [null, rest[0]];
      for (let i = 0; i < u.length; i++) o[i] = (p ? beta * p[i] : 0) + (1 - beta) * u[i] * u[i];
    });
    return out;
  }

  adamUpdate(x: FileVector, m: FileVector, v: FileVector, step: number, c: number, epsilon: number): FileVector {
    // Four vectors at once: the output is written from the first input's buffer, after it is read.
    const out = this.create(x.length);
    this.stream([x, m, v], null, (u, mm, vv) => {
      for (let i = 0; i < u.length; i++) u[i] = u[i] - step * (mm[i] / (Math.sqrt(vv[i]) / c + epsilon));
    }, out);
    return out;
  }

  dispose(x: FileVector): void {
    x.file.close();
  }

  /**
   * Calls `body` on each chunk of `inputs` (and of `output`'s buffer, which it fills, after them); writes the chunk
   * to `output`, or, with `writeFirstTo`, the first input's buffer there.
   */
  private stream(inputs: FileVector[], output: FileVector | null, body: (...chunks: Float32Array[]) => void,
    writeFirstTo?: FileVector): void {
    const length = inputs[0].length;
    const own = output && !inputs.includes(output) ? 1 : 0;
    if (inputs.length + own > this.buffers.length) throw new Error('FileSpace: more vectors than buffers');
    for (let at = 0; at < length; at += CHUNK) {
      const n = Math.min(CHUNK, length - at);
      const chunks = this.buffers.slice(0, inputs.length + own).map((b) => b.subarray(0, n));
      inputs.forEach((v, k) => v.file.read(at, chunks[k]));
      body(...chunks);
      if (output) output.file.write(at, chunks[own ? inputs.length : inputs.indexOf(output)]);
      if (writeFirstTo) writeFirstTo.file.write(at, chunks[0]);
    }
  }
}
