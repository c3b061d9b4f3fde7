import type { RgbImage } from './pixels';

/** What a run reports: plain records, so that printing, saving and showing live outside the core. */

export interface LossTerms { content: number; style: number; tv: number; total: number }

/** What the loop reports after every iteration (a plain record: printing and saving live outside). */
export interface Progress {
  /** 1-based index of the current scale, and how many there are. */
  scale: number;
  scales: number;
  width: number;
  height: number;
  /** Iteration within this scale (1-based) and this scale's count. */
  iteration: number;
  iterations: number;
  /** Iterations done over all scales, and their total. */
  step: number;
  totalSteps: number;
  losses: LossTerms;
  elapsedMs: number;
  /** Estimated time left: the work left (core/cost.ts) at the speed measured. */
  etaMs: number;
  /** How far the run is, 0..1, by work done (a 1024 px iteration counts four 512 px ones), tiles included. */
  fraction: number;
  backend: string;
  /** At a tiled scale: tiles done of this iteration's evaluation, and how many it has (reported after every tile). */
  tile?: number;
  tiles?: number;
  /** At the first step, every options.previewEvery iterations and at the end of a scale: a small RGB preview. */
  preview?: RgbImage;
  /** A clip's frame (1-based) this run paints, and the clip's frame count (clip.ts). */
  frame?: number;
  frames?: number;
}
