/**
 * A clip's run ends unlike a picture's: what it painted stays. An engine that
 * died mid-clip is started again on the clip, going on after its last finished
 * frame, as long as each run finishes a frame (a clip that kills its engine
 * before its first frame fails, as a picture does); a cancelled clip keeps its
 * frames, and says where. Pure: no `vscode`.
 */
import type { EngineOutcome } from './engineTypes';
import { clipFramesFolder } from './clipOutput';

/** The most times one job's clip goes on after its engine died, before the job fails with the engine's message. */
export const MAX_CLIP_RESTARTS = 3;

/** How a clip's run went, as the restart decision reads it. */
export interface ClipRunSoFar {
  /** How the run on the engine ended. */
  outcome: EngineOutcome['kind'];
  /** The frames this run finished (the engine's frame messages). */
  framesThisRun: number;
  /** The restarts before this run. */
  restarts: number;
  /** The job was cancelled meanwhile. */
  cancelled: boolean;
}

/** Whether the clip starts again on a new engine, going on after its last finished frame. */
export function restartsClip({ outcome, framesThisRun, restarts, cancelled }: ClipRunSoFar): boolean {
  return outcome === 'crashed' && framesThisRun > 0 && restarts < MAX_CLIP_RESTARTS && !cancelled;
}

/**
 * Where a cancelled clip's frames are (its output folder, or `<output>.frames` beside an animation); undefined when it
 * has none: it finished no frame and went on from none.
 */
export function framesKeptOf(output: string, resumed: boolean, framesDone: number): string | undefined {
  return resumed || framesDone > 0 ? clipFramesFolder(output) : undefined;
}
