/**
 * What the job manager queues: an order (a new job, a re-run, or a job
 * resumed after a reload) and the queued job it becomes. Types only, so that
 * resume.ts and the tests read them without the manager.
 */
import type { BackendChoice } from '@neural-style/engine/options';
import type { Checkpoint } from './checkpoints';
import type { BatchTag, JobOutcome } from './jobChange';
import type { JobRecord } from './jobRecord';
import type { JobRequest } from './jobRequest';

/** One job to queue; a job resumed after a reload keeps its id and its backend. */
export interface JobOrder {
  request: JobRequest;
  /** Instead of the backend setting ("Run on CPU instead"). */
  backend?: BackendChoice;
  /** The id it had before a reload: its panel comes back by itself, or opens when the job runs. */
  resumedId?: string;
  /** The batch it was of before a reload. */
  batch?: BatchTag;
  /** Its last finished scale before a reload: it goes on from the next. */
  resume?: Checkpoint;
  /** Its panel was open before the reload: VS Code restores that tab, which the job waits for. */
  restoredTab?: boolean;
  /** Folders beyond the photo's where its results may be (the folder of the result Stylize Again remakes). */
  historyFolders?: string[];
}

export interface QueuedJob {
  request: JobRequest;
  record: JobRecord;
  backend?: BackendChoice;
  /** When *Stylize* queued it (Date.now()). */
  queuedAt: number;
  resumed: boolean;
  batch?: BatchTag;
  /** Where its run starts: after this scale of a run before a reload. */
  resume?: Checkpoint;
  /** Its last finished scale (the resume's, then its run's own): what a reload goes on from. */
  checkpoint?: Checkpoint;
  /** How its run ended, once runJob has returned (the queue then says that it ended). */
  end?: JobOutcome;
}
