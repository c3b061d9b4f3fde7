/**
 * The resume after a reload, at a job's start and end: a resumed job whose
 * panel was open waits for the tab VS Code restored, and its panel shows at
 * once where it goes on from; a running job's newest checkpoint is kept for
 * the next reload, the older ones go, and all go when the job ends, except
 * when the window closes (the reload then resumes from them).
 */
import * as vscode from 'vscode';
import { type Checkpoint, checkpointView, removeCheckpointsOf } from './checkpoints';
import { Disposable } from './dispose';
import type { JobRecord } from './jobRecord';
import { tabLabels, VIEW_TYPE } from './panel';
import { RestoredTabs } from './restoredTabs';
import type { RunContext } from './runJob';

export class JobResume extends Disposable {
  /** The window closes: its jobs stop, but their checkpoints stay for the reload to resume from. */
  private closing = false;
  private readonly restoredTabs: RestoredTabs;

  /** `records`: every panel record of the window; `running`: the running job's. */
  constructor(records: () => readonly JobRecord[], running: () => JobRecord | undefined,
    private readonly context: Pick<RunContext, 'checkpoints' | 'log'>) {
    super();
    this.restoredTabs = new RestoredTabs(records, tabLabels, VIEW_TYPE);
    // A resumed job whose restored tab went before it was shown opens its panel when it runs (at once if it does).
    this.register(vscode.window.tabGroups.onDidChangeTabs(() => this.restoredTabs.recheck()
      .forEach((record) => { if (running() === record) record.open(); })));
  }

  /** Before the queue may start it: a resumed job whose tab VS Code restored waits for that tab. */
  awaitTab(record: JobRecord, restoredTab: boolean | undefined): void {
    if (restoredTab) record.awaitingTab = this.restoredTabs.awaits(record);
  }

  /**
   * Where a resumed job goes on from, in its panel at once rather than a blank one until its next preview, and its
   * chart up to there.
   */
  showStart(record: JobRecord, resume: Checkpoint | undefined): void {
    const view = resume && checkpointView(resume);
    if (!view) return;
    if (view.losses.length) record.post({ type: 'snapshot', state: { ...record.state, losses: view.losses } });
    record.post({ type: 'preview', step: resume.steps, src: view.src });
  }

  /** Job `id` finished a scale: its newest checkpoint is what a reload goes on from; the older ones are of no use. */
  checkpointed(id: string, { scale, scales, steps, file }: Checkpoint): void {
    removeCheckpointsOf(this.context.checkpoints, id, file);
    this.context.log('info', `${id}: scale ${scale} of ${scales} finished at step ${steps}; `
      + `a reload goes on from ${file}`);
  }

  /** Job `id` ended: its checkpoints go, unless the window is closing. */
  ended(id: string): void {
    if (!this.closing) removeCheckpointsOf(this.context.checkpoints, id);
  }

  /** The window closes: what a job's end removes from now on stays for the reload. */
  close(): void {
    this.closing = true;
  }
}
