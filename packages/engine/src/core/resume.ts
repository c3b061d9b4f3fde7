import type { RgbImage } from './pixels';
import type { Plan } from './plan';

/*
 * A run taken over at a scale boundary: a run hands out its image at the end
 * of each scale but the last (a checkpoint), and a later run given that image
 * starts at the next scale, as if it had never stopped. Scale-level only: a
 * step within a scale would need the optimiser's history too (L-BFGS keeps up
 * to lbfgsHistory gradient pairs, as large as the image each).
 */

/** The image a run reached at the end of a scale (1-based `scale` of `scales`), after `steps` steps in all. */
export interface ScaleCheckpoint {
  scale: number;
  scales: number;
  steps: number;
  image: RgbImage;
}

/**
 * Where a run takes over: the 1-based scale it starts at, the image the scale
 * before it ended with, and the steps done till then (the checkpoint's; a
 * scale that converged early ran fewer than its iterations).
 */
export interface ResumePoint {
  fromScale: number;
  image: RgbImage;
  steps: number;
}

/**
 * Why a run of `plan` cannot start at `resume` (its scale is not one of the
 * plan's after the first, or its image is not the previous scale's size: the
 * options or the photo changed), or null when it can.
 */
export function resumeProblem(plan: Plan, resume: ResumePoint): string | null {
  const { fromScale, image } = resume;
  const count = plan.scales.length;
  if (!Number.isInteger(fromScale) || fromScale < 2 || fromScale > count) {
    return `scale ${fromScale} is not one to resume at: the run has ${count} scale${count === 1 ? '' : 's'}`;
  }
  const before = plan.scales[fromScale - 2];
  if (image.width !== before.width || image.height !== before.height) {
    return `the checkpoint is ${image.width}×${image.height} px, but scale ${fromScale - 1} of this run is `
      + `${before.width}×${before.height} px`;
  }
  if (image.data.length !== image.width * image.height * 3) return 'the checkpoint\'s pixels are not RGB';
  const most = plan.scales.slice(0, fromScale - 1).reduce((sum, s) => sum + s.iterations, 0);
  if (!Number.isInteger(resume.steps) || resume.steps < 1 || resume.steps > most) {
    return `${resume.steps} steps cannot come before scale ${fromScale} (at most ${most})`;
  }
  return null;
}
