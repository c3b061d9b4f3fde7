/**
 * The queue as it is saved in the workspace's state, so that a reload (or a
 * crash of the window) loses no job: the running job and the queued ones, in
 * order. What is read back came from outside this run: each job is checked on
 * its own, and one that is not a job is dropped with a line saying why while
 * the others resume. Pure: the caller passes the Memento.
 */
import { isFullPath } from '@neural-style/engine/file-names';
import { OPTION_SPECS, RUN_OPTION_SPECS, styleBlend, StylizeOptions, validateOptions } from '@neural-style/engine/options';
import {
  array, boolean, Infer, number, object, oneOf, optional, parse, Schema, someOf, string,
} from '@neural-style/engine/schema';
import { MAX_REGION_STYLES } from '../shared/regions';
import { isAnimationPath } from './clipOutput';
import { masksProblem } from './regionMasks';
import { isImagePath } from './resources';

export const SAVED_QUEUE_KEY = 'neuralStyle.queue';

const styleChoice = object({ path: string, id: string, label: string });

/** The job's batch: which photo of how many, and how the batch's photos stood when it was saved. */
const savedBatch = object({ key: string, index: number, size: number, made: number, failed: number,
  cancelled: number });

const savedJob = object({
  id: string,
  content: string,
  style: styleChoice,
  /** The second style of a blend (its weights are in the options). */
  secondStyle: optional(styleChoice),
  backend: optional(oneOf(RUN_OPTION_SPECS.backend.values)),
  /** Regions: one mask a style, PNGs in the photo's folder (checked: regionMasks.ts masksProblem). */
  masks: optional(array(string, 1, MAX_REGION_STYLES)),
  /** The job's own options over the settings (Run again's controls, a result's parameters). */
  options: optional(someOf<StylizeOptions>(Object.keys(OPTION_SPECS) as Array<keyof StylizeOptions>)),
  batch: optional(savedBatch),
  /** The running job's last finished scale: it resumes from the next (checked against the folder: checkpoints.ts). */
  checkpoint: optional(object({ scale: number, scales: number, steps: number, file: string })),
  /** A clip (its content a folder or an animation), and where it painted before the reload: it goes on there. */
  clip: optional(object({ output: optional(string) })),
  /** Its panel was open: VS Code restores that tab, which becomes the job's panel (no second one). */
  panel: optional(boolean),
});
export type SavedJob = Infer<typeof savedJob>;

/** Anything: the list is checked as a list first, then each job on its own. */
const anyItem: Schema<unknown> = { expected: 'anything', check: () => undefined };

/** Where it is kept: VS Code's Memento (workspaceState) or a test's map. */
export interface QueueMemento {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

/** Why `job` cannot be run again on `platform` (drive letters and backslashes on Windows), or null when it can. */
function problemOf(job: SavedJob, platform: NodeJS.Platform): string | null {
  const files = [['content image', job.content], ['style image', job.style.path], ['second style image', job.secondStyle?.path]] as const;
  for (const [what, file] of files) {
    if (file === undefined) continue;
    if (!isFullPath(file, platform)) return `its ${what} ${JSON.stringify(file)} is not an absolute path`;
    // A clip's content is a folder of frames or an animation (the engine checks which when it runs).
    if (!isImagePath(file) && !(job.clip && file === job.content)) return `its ${what} ${JSON.stringify(file)} is not an image file`;
  }
  const clipProblem = job.clip && clipOutputProblem(job, platform);
  if (clipProblem) return clipProblem;
  const masks = job.masks && masksProblem(job.masks, job.content, job.secondStyle ? 2 : 1, platform);
  if (masks) return `its regions are not valid: ${masks}`;
  try {
    // The blend weights, if any, must be one per style.
    if (job.options) styleBlend(validateOptions(job.options), job.secondStyle ? 2 : 1);
  } catch (e) {
    return `its options are not valid: ${(e as Error).message}`;
  }
  return null;
}

/**
 * Why a saved clip cannot go on where it painted: its output must be an absolute path, and an animation when its
 * content is one, else a folder (a name that is no image).
 */
function clipOutputProblem(job: SavedJob, platform: NodeJS.Platform): string | null {
  const output = job.clip?.output;
  if (output === undefined) return null;
  if (!isFullPath(output, platform)) return `its clip output ${JSON.stringify(output)} is not an absolute path`;
  const fits = isAnimationPath(job.content) ? isAnimationPath(output) : !isImagePath(output);
  return fits ? null : `its clip output ${JSON.stringify(output)} is not one for ${JSON.stringify(job.content)}`;
}

/**
 * The saved jobs that can run again, in order; `warn` hears about each one dropped. `platform`: this machine's unless a
 * test simulates another.
 */
export function parseSavedQueue(value: unknown, warn: (why: string) => void, platform = process.platform): SavedJob[] {
  if (value === undefined) return [];
  let items: unknown[];
  try {
    items = parse(array(anyItem), value, 'the saved queue');
  } catch (e) {
    warn(`the saved queue was dropped: ${(e as Error).message}`);
    return [];
  }
  const jobs: SavedJob[] = [];
  items.forEach((item, i) => {
    try {
      const job = parse(savedJob, item, `saved job ${i + 1}`);
      const problem = problemOf(job, platform);
      if (problem) warn(`saved job ${i + 1} (${job.id}) was dropped: ${problem}`);
      else jobs.push(job);
    } catch (e) {
      warn(`saved job ${i + 1} was dropped: ${(e as Error).message}`);
    }
  });
  return jobs;
}

export class QueueStore {
  constructor(private readonly memento: QueueMemento, private readonly warn: (why: string) => void) {}

  /** Reads the saved queue and clears it: the jobs are about to be queued again (and saved anew). */
  take(): SavedJob[] {
    const jobs = parseSavedQueue(this.memento.get(SAVED_QUEUE_KEY), this.warn);
    void this.memento.update(SAVED_QUEUE_KEY, undefined);
    return jobs;
  }

  save(jobs: SavedJob[]): void {
    void this.memento.update(SAVED_QUEUE_KEY, jobs.length ? jobs : undefined);
  }
}
