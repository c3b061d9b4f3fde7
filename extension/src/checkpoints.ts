/**
 * A running job's checkpoints: the image of its last finished scale, which
 * the engine writes into the extension's own storage (`checkpoints/` under the
 * workspace's storage folder) so that a reload resumes the job from the next
 * scale. Paths read back from saved state are checked to stay in that folder;
 * a job's checkpoints go when it ends, and those no saved job names go at
 * activation. Pure: no `vscode`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkpointPrefix } from '@neural-style/engine/file-names';
import { removeFilesWhere } from '@neural-style/engine/atomic';
import { readPngText } from '@neural-style/engine/png-text';
import {
  CHECKPOINT_TRACE_KEYWORD, type LossPoint, parseCheckpointTrace,
} from '@neural-style/engine/result-parameters';

/** A job's last finished scale (1-based, of `scales`), the steps done by then, and its image. */
export interface Checkpoint {
  scale: number;
  scales: number;
  steps: number;
  file: string;
}

/** The folder for checkpoints in the extension's storage of this workspace; none without one (no folder open). */
export function checkpointsDir(storage: string | undefined): string | undefined {
  return storage === undefined ? undefined : path.join(storage, 'checkpoints');
}

/** Why a saved checkpoint of job `id` cannot be resumed from (not its file in `dir`, gone, no later scale), or null. */
export function checkpointProblem(checkpoint: Checkpoint, id: string, dir: string | undefined): string | null {
  const { file, scale, scales, steps } = checkpoint;
  if (dir === undefined) return 'this window has no storage folder for checkpoints';
  // Only a file named for this job directly in our folder: saved state must not point a run anywhere else.
  const inside = path.isAbsolute(file) && path.dirname(path.resolve(file)) === path.resolve(dir)
    && path.basename(file) === `${checkpointPrefix(id)}${scale}.png`;
  if (!inside) return `its checkpoint ${JSON.stringify(file)} is not job ${id}'s in ${dir}`;
  if (![scale, scales, steps].every(Number.isInteger) || scale < 1 || scale >= scales || steps < 1) {
    return `its checkpoint of scale ${scale} of ${scales} after ${steps} steps is not one to resume from`;
  }
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return `its checkpoint ${file} is gone`;
  return null;
}

/** Removes job `id`'s checkpoints in `dir` but `keep` (its newest); returns the names removed. */
export function removeCheckpointsOf(dir: string | undefined, id: string, keep?: string): string[] {
  const prefix = checkpointPrefix(id);
  return removeWhere(dir, (name) => name.startsWith(prefix) && (keep === undefined || name !== path.basename(keep)));
}

/** Removes every file in `dir` that is none of `keep` (the saved jobs' checkpoints): a crash's or an ended job's. */
export function removeStaleCheckpoints(dir: string | undefined, keep: readonly string[]): string[] {
  const kept = new Set(keep.map((f) => path.basename(f)));
  return removeWhere(dir, (name) => !kept.has(name));
}

/** As removeFilesWhere, for a storage folder that may not exist (no workspace). */
function removeWhere(dir: string | undefined, test: (name: string) => boolean): string[] {
  return dir === undefined ? [] : removeFilesWhere(dir, test);
}

/**
 * What a resumed job's panel shows at once: the checkpoint as a PNG data URL, and the loss trace up to it for the
 * chart (none when it has none, or one that is not its steps'); undefined when the file cannot be read.
 */
export function checkpointView({ file, steps }: Pick<Checkpoint, 'file' | 'steps'>):
  { src: string; losses: LossPoint[] } | undefined {
  let png: Buffer;
  try {
    png = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  let losses: LossPoint[] = [];
  try {
    losses = parseCheckpointTrace(readPngText(png)[CHECKPOINT_TRACE_KEYWORD], steps);
  } catch {
    // Not a trace of its steps: the engine refuses the checkpoint too, and the log says why the job starts over.
  }
  return { src: `data:image/png;base64,${png.toString('base64')}`, losses };
}
