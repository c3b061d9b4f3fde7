/**
 * A run in the panel's webview keeps its checkpoints as the engine process
 * does, so a reload resumes it at the next scale: each finished scale's image
 * comes from the compute, and the image process writes it (with the loss
 * trace so far) into the job's checkpoints folder; a resumed run reads it back
 * the same way. No `vscode` here.
 */
import { lossTrace, type LossPoint } from '@neural-style/engine/result-parameters';
import type { FromCompute, ToCompute } from '../shared/protocol';
import type { Checkpoint } from './checkpoints';
import type { ImageProcess } from './imageProcess';

type ComputeResume = NonNullable<(ToCompute & { type: 'compute' })['resume']>;

export interface CheckpointsOfRun {
  id: string;
  /** The job's checkpoints folder; none: the run keeps none (a window without a storage folder). */
  checkpoints?: string;
  /** The checkpoint the run resumes from: it starts at the scale after it. */
  resume?: Checkpoint;
  events: {
    checkpoint?(checkpoint: Checkpoint): void;
    log(level: 'info' | 'warn' | 'error', message: string): void;
  };
}

export class WebviewCheckpoints {
  private readonly writes: Array<Promise<void>> = [];

  constructor(private readonly run: CheckpointsOfRun, private readonly images: ImageProcess) {}

  /**
   * What the compute resumes from, and the loss trace up to there; none when the checkpoint cannot be read (the
   * log says why, and the run starts over).
   */
  async resumeFrom(): Promise<{ resume?: ComputeResume; losses: LossPoint[] }> {
    const { resume, checkpoints, id, events } = this.run;
    if (!resume || checkpoints === undefined) return { losses: [] };
    try {
      const read = await this.images.readCheckpoint({ dir: checkpoints, file: resume.file, steps: resume.steps });
      return { resume: { fromScale: resume.scale + 1, steps: resume.steps, image: read.image }, losses: read.losses };
    } catch (e) {
      events.log('warn', `${id}: could not resume: the checkpoint ${resume.file} cannot be read `
        + `(${(e as Error).message}); starting over`);
      return { losses: [] };
    }
  }

  /** Writes a finished scale's image with the trace so far, then tells the job where it is (a failure: a warning). */
  keep({ scale, scales, steps, image }: FromCompute & { type: 'computeCheckpoint' }, trace: readonly LossPoint[]): void {
    const { checkpoints, id, events } = this.run;
    if (checkpoints === undefined) return;
    const losses = lossTrace(trace);
    this.writes.push(this.images.writeCheckpoint({ dir: checkpoints, job: id, scale, scales, steps, image, losses })
      .then(({ file }) => events.checkpoint?.({ scale, scales, steps, file }),
        (e: Error) => events.log('warn', `${id}: the checkpoint of scale ${scale} was not written: ${e.message}`)));
  }

  /** Resolves once every checkpoint asked for so far is written (or said to have failed). */
  async settled(): Promise<void> {
    await Promise.all(this.writes);
  }
}
