/**
 * The job manager links the queue and the panels: it queues jobs, keeps each
 * job's panel state (once, in its record), runs each job with runJob when the
 * queue starts it, and passes every change — the queue's and the run's — to
 * the job's panel, then to onDidChangeJob, which everything else that shows
 * jobs subscribes to (jobViews.ts).
 */
import * as vscode from 'vscode';
import { samePath } from '@neural-style/engine/file-names';
import type { ResultParameters } from '@neural-style/engine/options';
import { type PanelState, parsePanelState } from '../shared/protocol';
import { Disposable } from './dispose';
import { HistoryFills } from './historyFills';
import { type BatchTag, changeOfEntry, type JobChange, panelMessageOf, runEndOf } from './jobChange';
import type { JobOrder, QueuedJob } from './jobOrder';
import { JobRecord } from './jobRecord';
import { type JobRequest, stylePaths } from './jobRequest';
import { JobResume } from './jobResume';
import { measureImage } from './imageProcess';
import { MAX_REGION_PIXELS } from '../shared/regions';
import type { PanelContext } from './panel';
import { panelOpener } from './panelMessages';
import { newPanelState, restoredPanelState, resultPanelState } from './panelRuns';
import { JobQueue, type RunEnd } from './queue';
import { Reruns } from './reruns';
import { resumedNote, resumeInto } from './resume';
import { type RunContext, runJob } from './runJob';
import { browseSecondStyle } from './secondStyleBrowse';
import { withRelativePaths } from './shownPaths';
import type { StyleChoice } from './stylePicker';

/** The orders' types live in jobOrder.ts; they are still the manager's to its callers. */
export type { JobOrder, QueuedJob };

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
  /** The photo's results on disk in each panel's history. */
  private readonly history: HistoryFills;
  /** A panel's job run again: Run again, on the CPU, at the photo's size. */
  private readonly reruns: Reruns;
  /** A resumed job's start (its restored tab, its checkpoint shown) and every job's checkpoints. */
  private readonly resume: JobResume;
  private counter = 0;

  /** `offeredStyles`: what the panels offer as a second style (the presets and the remembered styles). */
  constructor(private readonly panelContext: PanelContext,
    private readonly runContext: RunContext & { dispose(): unknown },
    private readonly offeredStyles: () => StyleChoice[] = () => []) {
    super();
    const log = runContext.log;
    this.history = new HistoryFills(this.onDidChangeJob, offeredStyles, (message) => log('info', message));
    this.reruns = new Reruns({ record: (id) => this.records.get(id), forget: (id) => this.records.delete(id),
      queueIn: (record, request, backend) => this.add({ request, backend }, undefined, record),
      cancel: (id) => this.cancel(id), onDidChangeJob: this.onDidChangeJob, log, offeredStyles });
    this.panels = panelOpener(panelContext, {
      cancel: (id) => this.cancel(id),
      runAgain: (record, controls, backend, second) => this.reruns.runAgain(record, controls, backend, second),
      browseSecondStyle: (record) => browseSecondStyle(record, panelContext.presetsDir),
      photoSize: (file) => measureImage(runContext.resources.imageWorkerPath, file, MAX_REGION_PIXELS,
        (line) => log('warn', line)),
      log: panelContext.log,
    });
    // Ids must not repeat across reloads: a restored panel may still name an old one.
    this.queue = new JobQueue((job, id, signal) => this.runQueued(job, id, signal), `ns${this.stamp}`);
    this.register(this.queue.onDidChange((entry) => {
      if (entry.state !== 'queued' && entry.state !== 'running') this.resume.ended(entry.id);
      this.changed(entry.job, changeOfEntry(entry, this.queue.position(entry.id), entry.job.end));
    }));
    this.resume = this.register(new JobResume(() => this.allRecords, () => this.queue.running?.job.record,
      runContext));
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
    this.resume.awaitTab(record, restoredTab); // before the queue may start it
    const job = { request, record, backend, queuedAt: Date.now(), resumed, batch, resume, checkpoint: resume };
    const id = this.queue.add(job, resumedId);
    // The id exists only now; a queued job's panel opens right away so the queue is visible
    // (a resumed one's comes back by itself).
    record.state = { ...record.state, job: { ...record.state.job, id } };
    this.records.set(id, record);
    if (!resumed) record.show();
    this.resume.showStart(record, resume);
    const position = this.queue.position(id);
    record.post({ type: 'status', status: position === 0 ? 'running' : 'queued', position: position || undefined,
      message: resumed ? resumedNote(resume) : undefined });
    const waits = record.awaitingTab ? ' (its panel is the tab VS Code restored, once shown)' : '';
    this.runContext.log('info', `${resumed ? 'queued again after a reload' : 'queued'} ${id}: ${request.content} `
      + `in the style of ${stylePaths(request).join(' + ')}${waits}`);
    // A new panel of a photo shows the photo's earlier results; a Run again keeps the history its panel has.
    if (!again) this.history.fill(record, historyFolders);
    return id;
  }

  /** Job `id` again at `size` px (the photo's own size, offered when a run would enlarge it). */
  runAtSize(id: string, size: number): void {
    this.reruns.runAtSize(id, size);
  }

  /** "Run on CPU instead" after a lost GPU: job `id` again on wasm in its panel, unless it has run again since. */
  runOnCpu(id: string): void {
    this.reruns.runOnCpu(id);
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
    this.history.fill(record);
    this.changes.fire({ id, kind: 'opened' });
    return id;
  }

  /** A panel VS Code restored after a reload: its job resumed, or did not survive the reload and its state did. */
  revivePanel(panel: vscode.WebviewPanel, saved: unknown): void {
    const state = parsePanelState(saved, (why) => this.panelContext.warn(`a restored panel was closed: ${why}`));
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
    this.history.fill(record);
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

  /** Resolves once every panel's history read so far is in its state (for the tests). */
  historyFilled(): Promise<void> {
    return this.history.filled();
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
    if (job.end.outcome === 'done') this.history.refreshPhotoOf(job.record, this.allRecords);
    return runEndOf(job.end);
  }

  /** The job's panel hears of the change first, then everything else. */
  private changed(job: QueuedJob, change: JobChange): void {
    const { record } = job;
    if (change.kind === 'checkpoint') {
      job.checkpoint = change.checkpoint; // what the saved queue resumes from after a reload
      this.resume.checkpointed(change.id, change.checkpoint);
    }
    // A clip goes on where it paints: a reload or a restart after this resumes there, after its last frame.
    if (change.kind === 'running' && job.request.clip) {
      job.request = { ...job.request, clip: { output: change.job.output } };
    }
    const message = panelMessageOf(change, record.state);
    if (message) record.post(message);
    // The running job's panel comes to the front (without the focus: the user may be typing elsewhere);
    // a closed one opens.
    if (change.kind === 'running' && change.job.settings.revealRunningPanel) record.show();
    this.changes.fire(job.batch ? { ...change, batch: job.batch } : change);
  }

  private closeAll(): void {
    this.resume.close();
    this.queue.cancelAll();
    void this.runContext.dispose();
    for (const record of this.records.values()) record.panel?.dispose();
  }
}
