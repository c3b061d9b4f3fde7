import type { RunEstimate } from './cost';
import type { Progress } from './progress';

/*
 * A clip's progress and ETA (clip.ts): each frame's report made the clip's.
 * A frame's work is its plan's (core/cost.ts); a frame not planned yet is
 * taken as the next frames are run: one scale, the output's size,
 * `iterations` iterations. The time left is the frame's own ETA (its run
 * clock's) and the frames after it at the time a frame took so far, flow
 * included (or, before one is done, the time this frame is taking per work).
 */
export class ClipClock {
  private readonly work: number[];
  private readonly planned: boolean[];
  private paintedWork = 0;
  private paintedMs = 0;

  /** `count` frames; `iterations`: a frame's after the first (one scale). */
  constructor(count: number, private readonly iterations: number) {
    this.work = new Array<number>(count).fill(0);
    this.planned = new Array<boolean>(count).fill(false);
  }

  /** Frame `index` (0-based) is planned: its work, and the next frames' where they are not planned yet. */
  plan(index: number, estimate: RunEstimate): void {
    this.work[index] = estimate.work;
    this.planned[index] = true;
    const last = estimate.scales[estimate.scales.length - 1];
    const later = index === 0 && estimate.scales.length > 1 ? (last.work / last.iterations) * this.iterations
      : estimate.work;
    for (let i = 0; i < this.work.length; i++) if (!this.planned[i]) this.work[i] = later;
  }

  /** Frame `index` is done in this run, after `ms` (its flow included). */
  frameDone(index: number, ms: number): void {
    this.paintedWork += this.work[index];
    this.paintedMs += ms;
  }

  /** Frame `index`'s report with the clip's fraction and ETA; the frame is said by `frame` and `frames`. */
  report(index: number, p: Progress): Progress {
    const total = this.work.reduce((a, b) => a + b, 0);
    const before = this.work.slice(0, index).reduce((a, b) => a + b, 0);
    const after = total - before - this.work[index];
    const frameWork = this.work[index];
    const msPerWork = this.paintedWork > 0 ? this.paintedMs / this.paintedWork
      : frameWork > 0 ? (p.elapsedMs + p.etaMs) / frameWork : 0;
    return {
      ...p, frame: index + 1, frames: this.work.length,
      fraction: total > 0 ? (before + p.fraction * frameWork) / total : 0,
      etaMs: p.etaMs + after * msPerWork,
    };
  }
}
