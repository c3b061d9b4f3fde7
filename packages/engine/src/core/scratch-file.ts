/*
 * Float32 values outside the process's memory: a temporary file that the
 * program around the core opens (node/scratch-file.ts; the core itself uses
 * no Node API). What a tiled scale keeps of an image-sized vector between two
 * uses goes there when the program gives files (MemoryLimits.scratchFiles):
 * at print sizes those vectors, not the network, are most of the memory.
 */
export interface ScratchFile {
  /** Writes `data` at value `offset` (values, not bytes). */
  write(offset: number, data: Float32Array): void;
  /** Fills `into` from value `offset`. */
  read(offset: number, into: Float32Array): void;
  /** Frees it; a second close does nothing. */
  close(): void;
}

/** Opens a ScratchFile of `values` float32 values (initially zero). */
export type ScratchFiles = (values: number) => ScratchFile;
