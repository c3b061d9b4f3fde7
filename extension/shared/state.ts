/**
 * How a message changes what a panel shows. The host keeps the same state as
 * its webview (so a hidden or reloaded webview gets it all back in one
 * snapshot); the webview applies the same function to what it receives.
 */
import { endsIteration } from '@neural-style/engine/protocol';
import { Controls } from './controls';
import { withFrame } from './frameStrip';
import { stylesLabel } from './secondStyle';
import { DoneView, JobStatus, JobView, PanelState, RunView, ToWebview } from './protocol';

/** "chelsea.png · The Starry Night + wave.jpg": which photo, in which style(s); a panel's tab and a queue entry. */
export function jobName({ job }: Pick<PanelState, 'job'>): string {
  return `${job.contentName} · ${stylesLabel(job.styleName, job.secondStyle)}`;
}

/** A job's states after its run: a progress report no longer changes them. */
const ENDED: readonly JobStatus[] = ['done', 'failed', 'cancelled'];

/** Loss points kept for the chart; beyond this, every other one is dropped. */
export const MAX_LOSS_POINTS = 1000;

export function applyMessage(state: PanelState, message: ToWebview): PanelState {
  switch (message.type) {
    case 'snapshot':
      return message.state;
    case 'status':
      return {
        ...state,
        job: { ...state.job, status: message.status, position: message.position },
        error: message.status === 'failed' ? message.message ?? state.error : undefined,
        note: message.status === 'failed' ? undefined : message.message,
        errorCode: message.status === 'failed' ? state.errorCode : undefined,
      };
    case 'progress': {
      // A step that ended as the job was cancelled (or failed) reports after it: the job stays ended, and Run again
      // stays offered.
      if (ENDED.includes(state.job.status)) return state;
      const p = message.progress;
      // A note belongs to the state it was said in ("queued again after a reload"): a running job has none.
      const running = { ...state, job: { ...state.job, status: 'running' as const, position: undefined }, note: undefined };
      // A tile done within an iteration moves the bar, not the chart.
      if (!endsIteration(p)) return { ...running, progress: p };
      let losses = [...state.losses, [p.step, p.losses.content, p.losses.style, p.losses.tv, p.losses.total] as PanelState['losses'][number]];
      if (losses.length > MAX_LOSS_POINTS) losses = losses.filter((_, i) => i % 2 === 1 || i === losses.length - 1);
      return { ...running, progress: p, losses };
    }
    case 'estimate':
      return { ...state, estimate: message.estimate };
    case 'engine':
      return { ...state, engine: message.engine };
    case 'preview':
      return { ...state, preview: message.src };
    case 'frame': {
      const { type: _type, ...thumb } = message;
      return { ...state, frames: withFrame(state.frames, thumb) };
    }
    case 'done': {
      // The photo's results found on disk may already name this run's file: it is listed once, as this run.
      const earlier = (state.history ?? []).filter((run) => run.outputPath !== state.job.outputPath);
      return { ...state, job: { ...state.job, status: 'done', position: undefined }, note: undefined, done: message.done,
        history: [...earlier, runOf(state, message.done)] };
    }
    case 'failed':
      return { ...state, job: { ...state.job, status: 'failed', position: undefined }, note: undefined, error: message.message,
        errorCode: message.code };
    case 'batch':
      return { ...state, batch: message.batch };
    case 'styleChoices':
      return { ...state, styleChoices: message.choices };
    case 'regions': {
      if (message.error) return state; // the painting stays as it was: only the page shows why
      const { regions: _old, ...rest } = state;
      return message.masks ? { ...rest, regions: message.masks } : rest;
    }
    case 'probe':
    case 'compute':
    case 'stopCompute':
    case 'loseGpu':
      return state; // for the compute, not the view
  }
}

/** A panel restored after a reload: a job that was in flight did not survive it. */
export function restoredState(state: PanelState): PanelState {
  const active = state.job.status === 'running' || state.job.status === 'queued';
  return active ? { ...state, job: { ...state.job, status: 'interrupted', position: undefined } } : state;
}

function runOf(state: PanelState, done: DoneView): RunView {
  const second = state.job.secondStyle;
  return { ...done, outputPath: state.job.outputPath, controls: state.controls,
    ...(second ? { secondStyle: { name: second.name, blend: second.blend } } : {}),
    ...(state.job.regions ? { regions: true } : {}) };
}

/**
 * The state of a new run in the same panel: the photo, the style, the history
 * and the controls stay; the second style is the new run's; the job, its
 * progress and its result start afresh. The regions stay: Run again paints them again.
 */
export function nextRunState(state: PanelState, id: string, controls: Controls, secondStyle?: JobView['secondStyle']): PanelState {
  const { contentPath, contentName, stylePath, styleName, styleId, contentSrc, styleSrc } = state.job;
  return {
    job: { id, contentPath, contentName, stylePath, styleName, styleId, contentSrc, styleSrc, outputPath: '', status: 'queued', ...(secondStyle ? { secondStyle } : {}),
      ...(state.job.clip ? { clip: true } : {}) },
    losses: [], controls, history: state.history, styleChoices: state.styleChoices,
    ...(state.regions ? { regions: state.regions } : {}),
  };
}
