/**
 * The job manager links the queue and the panels: it queues jobs, keeps each
 * job's panel state (once, in its record), runs each job with runJob when the
 * queue starts it, and passes every change — the queue's and the run's — to
 * the job's panel, then to onDidChangeJob, which everything else that shows
 * jobs subscribes to (jobViews.ts).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { samePath } from '@neural-style/engine/file-names';
import { type BackendChoice, DEFAULTS, type ResultParameters } from '@neural-style/engine/options';
import { type Controls, controlsOf } from '../shared/controls';
import { type PanelState, parsePanelState, type RunView } from '../shared/protocol';
import type { SecondStylePick } from '../shared/secondStyle';
import { type Checkpoint, checkpointSrc, removeCheckpointsOf } from './checkpoints';
import { Disposable } from './dispose';
import { type BatchTag, changeOfEntry, type JobChange, type JobOutcome, panelMessageOf, runEndOf } from './jobChange';
import { JobRecord } from './jobRecord';
import { type JobRequest, stylePaths } from './jobRequest';
import { type PanelContext, tabLabels, VIEW_TYPE } from './panel';
import { addToHistory, photoHistoryRuns } from './panelHistory';
import { panelOpener } from './panelMessages';
import { newPanelState, restoredPanelState, resultPanelState, runAgainRequest, runAgainState } from './panelRuns';
import { JobQueue, type QueueEntry, type RunEnd } from './queue';
import { RestoredTabs } from './restoredTabs';
import { resumedNote, resumeInto } from './resume';
import { type RunContext, runJob } from './runJob';
import { browseSecondStyle } from './secondStyleBrowse';
import { samePick } from './secondStyleChoices';
import { withRelativePaths } from './shownPaths';
import type { StyleChoice } from './stylePicker';

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

export class JobManager extends Disposable {
  readonly queue: JobQueue<QueuedJob>;
  private readonly records = new Map<string, JobRecord>();
  private readonly changes = this.register(new vscode.EventEmitter<JobChange>());
  /** Every change of every job, once its panel has been told. */
  readonly onDidChangeJob = this.changes.event;
  /** Opens a record's panel; what its buttons do are this manager's cancel and runAgain. */
  private readonly panels: ReturnType<typeof panelOpener>;
  /** Names batches, and the panels of results opened from their files (no job made them in this window). */
  private readonly stamp = Date.now().toString(36);
  /** The history reads under way (fillHistory). */
  private readonly historyFills = new Set<Promise<void>>();
  private counter = 0;
  /** The window closes: its jobs stop, but their checkpoints stay for the reload to resume from. */
  private closing = false;
  private readonly restoredTabs = new RestoredTabs(() => this.allRecords, tabLabels, VIEW_TYPE);

  /** `offeredStyles`: what the panels offer as a second style (the presets and the remembered styles). */
  constructor(private readonly panelContext: PanelContext,
    private readonly runContext: RunContext & { dispose(): unknown },
    private readonly offeredStyles: () => StyleChoice[] = () => []) {
    super();
    this.panels = panelOpener(panelContext, {
      cancel: (id) => this.cancel(id),
      runAgain: (record, controls, backend, second) => this.runAgain(record, controls, backend, second),
      browseSecondStyle: (record) => browseSecondStyle(record, panelContext.presetsDir),
      log: panelContext.log,
    });
    // Ids must not repeat across reloads: a restored panel may still name an old one.
    this.queue = new JobQueue((job, id, signal) => this.runQueued(job, id, signal), `ns${this.stamp}`);
    this.register(this.queue.onDidChange((entry) => {
      const ended = entry.state !== 'queued' && entry.state !== 'running';
      if (ended && !this.closing) removeCheckpointsOf(runContext.checkpoints, entry.id);
      this.changed(entry.job, changeOfEntry(entry, this.queue.position(entry.id), entry.job.end));
    }));
    // A resumed job whose restored tab went before it was shown opens its panel when it runs (at once if it does).
    this.register(vscode.window.tabGroups.onDidChangeTabs(() => this.restoredTabs.recheck()
      .forEach((record) => { if (this.queue.running?.job.record === record) record.open(); })));
    // Registered last, so it runs first: the jobs stop while their panels still exist.
    this.register({ dispose: () => this.closeAll() });
  }

  /**
   * Queues the jobs, as one batch when there are several; returns their ids.
   * Jobs resumed after a reload keep the batch they were of.
   */
  enqueueAll(orders: JobOrder[]): string[] {
    const loose = orders.filter((o) => !o.batch);
    // Stamped: a batch resumed after a reload keeps its key, which a new one must not take.
    const key = loose.length > 1 ? `batch-${this.stamp}-${++this.counter}` : undefined;
    return orders.map((order) => {
      const index = loose.indexOf(order) + 1;
      return this.add(order, order.batch ?? (key ? { key, index, size: loose.length } : undefined));
    });
  }

  /** Queues one image and opens its panel; returns the job id. */
  enqueue(request: JobRequest, historyFolders?: string[]): string {
    return this.add({ request, historyFolders });
  }

  /** Adds a job to the queue, shown in `record` (a new panel's, or the panel of a Run again). */
  private add({ request, backend, resumedId, resume, restoredTab, historyFolders }: JobOrder, batch?: BatchTag,
    again?: JobRecord): string {
    const record = again ?? this.newRecord(newPanelState(request, this.offeredStyles()));
    const resumed = resumedId !== undefined;
    // Before the queue may start it: a resumed job whose tab VS Code restored waits for that tab.
    if (restoredTab) record.awaitingTab = this.restoredTabs.awaits(record);
    const job = { request, record, backend, queuedAt: Date.now(), resumed, batch, resume, checkpoint: resume };
    const id = this.queue.add(job, resumedId);
    // The id exists only now; a queued job's panel opens right away so the queue is visible
    // (a resumed one's comes back by itself).
    record.state = { ...record.state, job: { ...record.state.job, id } };
    this.records.set(id, record);
    if (!resumed) record.show();
    // Where it goes on from, at once rather than a blank panel until its next preview.
    const src = resume && checkpointSrc(resume.file);
    if (src) record.post({ type: 'preview', step: resume.steps, src });
    const position = this.queue.position(id);
    record.post({ type: 'status', status: position === 0 ? 'running' : 'queued', position: position || undefined,
      message: resumed ? resumedNote(resume) : undefined });
    const waits = record.awaitingTab ? ' (its panel is the tab VS Code restored, once shown)' : '';
    this.runContext.log('info', `${resumed ? 'queued again after a reload' : 'queued'} ${id}: ${request.content} `
      + `in the style of ${stylePaths(request).join(' + ')}${waits}`);
    // A new panel of a photo shows the photo's earlier results; a Run again keeps the history its panel has.
    if (!again) this.fillHistory(record, historyFolders);
    return id;
  }

  /** Run again (or on the CPU) in the same panel: a new job, a new output beside the earlier ones. */
  private runAgain(record: JobRecord, controls: Controls, backend: BackendChoice | undefined,
    second?: SecondStylePick): void {
    const { job } = record.state;
    if (job.status === 'queued' || job.status === 'running') {
      this.runContext.log('info', `run again ${job.id}: the job is still ${job.status}`);
      return;
    }
    let request: JobRequest;
    try {
      request = runAgainRequest(record.state, controls, second);
    } catch (e) {
      this.runContext.log('warn', `run again ${job.id}: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Neural Style: {0}', (e as Error).message));
      return;
    }
    this.records.delete(job.id);
    record.post({ type: 'snapshot', state: runAgainState(record.state, request, controls, this.offeredStyles()) });
    this.add({ request, backend }, undefined, record);
  }

  /**
   * Job `id` again at `size` px (the photo's own size, offered when a run would enlarge it): the running job is
   * cancelled first, and runs again in its panel once it has ended.
   */
  runAtSize(id: string, size: number): void {
    const record = this.records.get(id);
    if (record?.state.job.id !== id) return;
    const controls = { ...(record.state.controls ?? controlsOf(DEFAULTS)), size };
    const again = () => this.runAgain(record, controls, undefined, samePick(record.state));
    if (!this.cancel(id)) {
      again();
      return;
    }
    const ended = this.onDidChangeJob((change) => {
      if (change.id !== id || change.kind !== 'ended') return;
      ended.dispose();
      again();
    });
  }

  /** "Run on CPU instead" after a lost GPU: job `id` again on wasm in its panel, unless it has run again since. */
  runOnCpu(id: string): void {
    const record = this.records.get(id);
    if (record?.state.job.id !== id) return;
    this.runAgain(record, record.state.controls ?? controlsOf(DEFAULTS), 'wasm', samePick(record.state));
  }

  cancel(id?: string): boolean {
    const target = id ?? this.queue.running?.id;
    return target ? this.queue.cancel(target) : false;
  }

  showPanel(id?: string): void {
    this.records.get(id ?? this.queue.running?.id ?? '')?.show();
  }

  /**
   * A result opened from its file: a panel that shows it with its parameters,
   * ready to be tweaked and run again; the panel already showing it comes to
   * the front instead. Returns the panel's id.
   */
  openResultPanel(result: string, request: JobRequest, parameters: ResultParameters): string {
    // By samePath: the Explorer's c:\… and a setting's C:\… name one file on Windows.
    const shows = (file: string | undefined) => !!file && samePath(file, result);
    // The panel whose job made it first: every panel of its photo lists it in its history.
    const open = this.allRecords.filter((r) => r.livePanel);
    const showing = open.find((r) => shows(r.state.job.outputPath))
      ?? open.find((r) => r.state.history?.some((run) => shows(run.outputPath)));
    if (showing) {
      showing.show();
      return showing.state.job.id;
    }
    const id = `opened${this.stamp}-${++this.counter}`;
    const record = this.newRecord(resultPanelState(id, result, request, parameters, this.offeredStyles()));
    this.records.set(id, record);
    record.open();
    this.forgetWhenClosed(record);
    this.fillHistory(record);
    this.changes.fire({ id, kind: 'opened' });
    return id;
  }

  /** A panel VS Code restored after a reload: its job resumed, or did not survive the reload and its state did. */
  revivePanel(panel: vscode.WebviewPanel, saved: unknown): void {
    const state = parsePanelState(saved, (why) => this.panelContext.log.warn(`a restored panel was closed: ${why}`));
    if (!state) {
      panel.dispose(); // nothing we can show
      return;
    }
    const revive = (record: JobRecord) => this.panels.revive(panel, record);
    if (resumeInto(this.records.get(state.job.id), panel, revive)) return;
    const record = this.newRecord(restoredPanelState(state, this.offeredStyles()));
    record.panel = revive(record);
    this.records.set(state.job.id, record);
    this.forgetWhenClosed(record);
    this.fillHistory(record);
  }

  /** The record of the panel whose current job is `id`. */
  record(id: string): JobRecord | undefined {
    return this.records.get(id);
  }

  /** Every panel's record, once each. */
  get allRecords(): JobRecord[] {
    return [...new Set(this.records.values())];
  }

  /** Every job of this window with its panel state, in the order queued (the queue view). */
  get jobStates(): PanelState[] {
    return [...this.records.values()].map((record) => record.state);
  }

  /**
   * The photo's results on disk join the panel's history when read (panelHistory.ts); `historyFilled` says when.
   * While its job runs, those in a folder the panel cannot show yet wait for the run's end: a new folder reloads
   * the page, which would end a run on the GPU there.
   */
  private fillHistory(record: JobRecord, folders: readonly string[] = []): void {
    const log = (m: string) => this.runContext.log('info', m);
    const filling = photoHistoryRuns(record.state, this.offeredStyles(), log, folders).then(({ found, gone }) => {
      const { id, status } = record.state.job;
      const showable = (run: RunView) => status !== 'running' || (record.livePanel?.mayShow(run.outputPath) ?? true);
      addToHistory(record, found.filter(showable), gone);
      const later = found.filter((run) => !showable(run));
      if (!later.length) return;
      const ended = this.onDidChangeJob((change) => {
        if (change.id !== id || change.kind !== 'ended') return;
        ended.dispose();
        addToHistory(record, later);
      });
    });
    this.historyFills.add(filling);
    void filling.finally(() => this.historyFills.delete(filling));
  }

  /**
   * A result of `made`'s photo was written: the photo's other open panels list it too, and each of its panels
   * (`made`'s included) takes out the results deleted since it last looked.
   */
  private refreshPanelsOfPhoto(made: JobRecord): void {
    const photo = made.state.job.contentPath;
    const panels = this.allRecords.filter((r) => r.livePanel && samePath(r.state.job.contentPath, photo));
    panels.forEach((record) => this.fillHistory(record, [path.dirname(made.state.job.outputPath)]));
  }

  /** Resolves once every panel's history read so far is in its state (for the tests). */
  async historyFilled(): Promise<void> {
    while (this.historyFills.size) await Promise.all([...this.historyFills]);
  }

  private newRecord(state: PanelState): JobRecord {
    return new JobRecord(state, this.panels.create);
  }

  /** A panel no job made in this window is forgotten when it closes, by its id then (Run again gives it a new job). */
  private forgetWhenClosed(record: JobRecord): void {
    record.panel?.onDidDispose(() => this.records.delete(record.state.job.id));
  }

  private async runQueued(job: QueuedJob, id: string, signal: AbortSignal): Promise<RunEnd> {
    // A resumed job's panel comes back when it runs, unless VS Code restored it already.
    if (job.resumed) job.record.open();
    const { request, backend, queuedAt, resume } = job;
    const end = await runJob({ id, request, backend, queuedAt, resume }, job.record, signal, this.runContext,
      (report) => this.changed(job, report));
    // The panel and the notification name the workspace's files as the user does (the log keeps the full paths).
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    job.end = 'message' in end ? { ...end, message: withRelativePaths(end.message, folders) } : end;
    if (job.end.outcome === 'done') this.refreshPanelsOfPhoto(job.record);
    return runEndOf(job.end);
  }

  /** The job's panel hears of the change first, then everything else. */
  private changed(job: QueuedJob, change: JobChange): void {
    const { record } = job;
    if (change.kind === 'checkpoint') {
      // The newest is what a reload goes on from; the older ones are of no more use.
      const { scale, scales, steps, file } = job.checkpoint = change.checkpoint;
      removeCheckpointsOf(this.runContext.checkpoints, change.id, file);
      this.runContext.log('info', `${change.id}: scale ${scale} of ${scales} finished at step ${steps}; `
        + `a reload goes on from ${file}`);
    }
    const message = panelMessageOf(change, record.state);
    if (message) record.post(message);
    // The running job's panel comes to the front (without the focus: the user may be typing elsewhere);
    // a closed one opens.
    if (change.kind === 'running' && change.job.settings.revealRunningPanel) record.show();
    this.changes.fire(job.batch ? { ...change, batch: job.batch } : change);
  }

  private closeAll(): void {
    this.closing = true;
    this.queue.cancelAll();
    void this.runContext.dispose();
    for (const record of this.records.values()) record.panel?.dispose();
  }
}
