/**
 * The job manager: queues stylizations, keeps each job's panel state (once,
 * in its record), and passes on what a run reports to the job's panel, its
 * notification and the status bar.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { samePath } from '@neural-style/engine/file-names';
import { type BackendChoice, DEFAULTS, formatDuration, type ResultParameters } from '@neural-style/engine/options';
import { progressFraction, type FromEngine } from '@neural-style/engine/protocol';
import { PanelState, parsePanelState } from '../shared/protocol';
import { Controls, controlsOf } from '../shared/controls';
import { Batch, BatchOutcome, type BatchProgress, batchProgressText } from './batch';
import { restoredState } from '../shared/state';
import { Disposable } from './dispose';
import { EngineOutcome } from './engineProcess';
import { AdapterMemory } from './adapterMemory';
import { executeRun, ExecutionContext, planRun, RunPlan } from './jobExecution';
import { JobRecord } from './jobRecord';
import { JobRequest, JobRunner, PreparedJob, stylePaths, stylesLabelOf } from './jobRunner';
import { ReportProgress, showBatchSummary, showGpuLostError, showJobError, withJobNotification } from './notifications';
import { JobPanel, PanelContext } from './panel';
import { handlePanelMessage, PanelActions } from './panelMessages';
import { isResult, newPanelState, resultPanelState, runAgainRequest, runAgainState, settingsControls } from './panelRuns';
import { JobQueue, QueueEntry, type RunEnd } from './queue';
import { revealRunning } from './queueView';
import { Resources } from './resources';
import { requestOfSaved, resumedNote, resumeInto, savedJobsOf } from './resume';
import { QueueStore } from './savedQueue';
import { samePick, styleChoicesFor } from './secondStyleChoices';
import type { SecondStylePick } from '../shared/secondStyle';
import { SettingsError } from './settings';
import type { StyleChoice } from './stylePicker';
import { QueueStatusBar } from './statusBar';

export type { JobRequest } from './jobRunner';

/** How a job ended, for the integration tests. */
export interface JobEnd {
  id: string;
  outcome: EngineOutcome['kind'] | 'invalid';
  output?: string;
  message?: string;
  /** What ran it, as the log and the panel say: "wasm", "webgl: ANGLE (…)". */
  backend?: string;
  code?: string;
}

interface QueuedJob {
  request: JobRequest;
  record: JobRecord;
  /** Instead of the neuralStyle.backend setting ("Run on CPU instead"). */
  backend?: BackendChoice;
  /** When *Stylize* queued it (Date.now()): the log says how long the first progress took. */
  queuedAt: number;
  /** Queued again after a reload: its panel opens (or comes back) when it runs. */
  resumed?: boolean;
  /** The photos queued with it, when there were several. */
  batch?: Batch;
}

export class JobManager extends Disposable {
  readonly queue: JobQueue<QueuedJob>;
  private readonly records = new Map<string, JobRecord>();
  private readonly runner: JobRunner;
  private readonly panelContext: PanelContext;
  private readonly statusBar = this.register(new QueueStatusBar());
  private readonly onDidFinishEmitter = this.register(new vscode.EventEmitter<JobEnd>());
  /** Fires when a job ends, however it ends. */
  readonly onDidFinish = this.onDidFinishEmitter.event;
  private readonly onDidLogEmitter = this.register(new vscode.EventEmitter<string>());
  /** The lines about where jobs run (backend, adapter, what was skipped and why), as written to the log. */
  readonly onDidLog = this.onDidLogEmitter.event;
  private readonly onDidChangeJobsEmitter = this.register(new vscode.EventEmitter<void>());
  /** A job was queued, moved, made progress or ended (the queue view). */
  readonly onDidChangeJobs = this.onDidChangeJobsEmitter.event;

  private closing = false;
  /** Ids of the panels of results opened from their files (no job made them in this window). */
  private readonly openedPrefix = `opened${Date.now().toString(36)}`;
  private openedCount = 0;
  /** The running batch's progress, as the status bar and the queue view say it. */
  private batchLine?: string;
  private readonly execution: ExecutionContext;
  private readonly panelActions: PanelActions;

  /** `offeredStyles`: what the panels offer as a second style (the presets and the remembered styles). */
  constructor(extensionUri: vscode.Uri, private readonly resources: Resources, private readonly log: vscode.LogOutputChannel,
    private readonly store?: QueueStore, private readonly offeredStyles: () => StyleChoice[] = () => []) {
    super();
    this.runner = new JobRunner(resources, log);
    this.panelContext = { extensionUri, presetsDir: resources.presetsDir, log };
    this.execution = { runner: this.runner, resources, adapters: new AdapterMemory(), note: (level, line) => this.note(level, line), openPanel: (record) => this.openPanel(record) };
    this.panelActions = {
      cancel: (id) => this.cancel(id),
      openResult: (record, output) => this.openResult(record, output),
      runAgain: (record, controls, onCpu, second) => this.runAgain(record, controls, onCpu, second),
      log,
    };
    // Ids must not repeat across reloads: a restored panel may still name an old one.
    this.queue = new JobQueue((job, id, signal) => this.run(job, id, signal), `ns${Date.now().toString(36)}`);
    this.register(this.queue.onDidChange((entry) => this.queueChanged(entry)));
    // Registered last, so it runs first: the jobs stop while their panels and the status bar still exist.
    this.register({ dispose: () => this.closeAll() });
  }

  /** Queues the photos as one batch (when there are several); returns their job ids. */
  enqueueAll(requests: JobRequest[]): string[] {
    const batch = requests.length > 1 ? new Batch() : undefined;
    return requests.map((request) => this.enqueue(request, undefined, undefined, batch));
  }

  /** Queues one image and opens its panel; returns the job id. `backend` overrides the setting for this job. */
  enqueue(request: JobRequest, backend?: BackendChoice, resumed?: { id: string }, batch?: Batch): string {
    const record = new JobRecord(newPanelState(request, this.offeredStyles()));
    return this.queueJob({ request, record, backend, queuedAt: Date.now(), resumed: !!resumed, batch }, resumed?.id);
  }

  /** Adds a job with its record; `resumedId`: the id it had before a reload. */
  private queueJob(job: QueuedJob, resumedId?: string): string {
    const { request, record, resumed } = job;
    const id = this.queue.add(job, resumedId);
    job.batch?.add(id);
    // The id exists only now; a queued job's panel opens right away so the queue is visible (a resumed one's comes back by itself).
    record.state = { ...record.state, job: { ...record.state.job, id } };
    this.records.set(id, record);
    if (!resumed) this.openPanel(record);
    const position = this.queue.position(id);
    record.post({ type: 'status', status: position === 0 ? 'running' : 'queued', position: position || undefined,
      message: resumed ? resumedNote() : undefined });
    this.log.info(`${resumed ? 'queued again after a reload' : 'queued'} ${id}: ${request.content} in the style of ${stylePaths(request).join(' + ')}`);
    return id;
  }

  /** Run again (or on the CPU) in the same panel: a new job, a new output beside the earlier ones. */
  private runAgain(record: JobRecord, controls: Controls, onCpu: boolean, second?: SecondStylePick): void {
    const { job } = record.state;
    if (job.status === 'queued' || job.status === 'running') {
      this.log.info(`run again ${job.id}: the job is still ${job.status}`);
      return;
    }
    let request: JobRequest;
    try {
      request = runAgainRequest(record.state, controls, second);
    } catch (e) {
      this.log.warn(`run again ${job.id}: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Neural Style: {0}', (e as Error).message));
      return;
    }
    this.records.delete(job.id);
    record.post({ type: 'snapshot', state: runAgainState(record.state, request, controls, this.offeredStyles()) });
    this.queueJob({ request, record, backend: onCpu ? 'wasm' : undefined, queuedAt: Date.now() });
  }

  /** A job's panel state (by its current job's id), for the integration tests. */
  stateOf(id: string): PanelState | undefined {
    return this.records.get(id)?.state;
  }

  /** Panels open now (one per photo and style, whatever its runs), for the integration tests. */
  panelCount(): number {
    return [...new Set(this.records.values())].filter((r) => r.panel && !r.panel.isDisposed).length;
  }

  /** A message as a panel's webview would send it, validated the same way: for the integration tests. */
  receiveFromPanel(id: string, raw: unknown): void {
    const record = this.records.get(id);
    if (!record?.panel) throw new Error(`no panel for job ${id}`);
    record.panel.receive(raw);
  }

  /** Every job of this window with its panel state, in the order queued (the queue view). */
  get jobStates(): PanelState[] {
    return [...this.records.values()].map((record) => record.state);
  }

  cancel(id?: string): boolean {
    const target = id ?? this.queue.running?.id;
    return target ? this.queue.cancel(target) : false;
  }

  showPanel(id?: string): void {
    const record = this.records.get(id ?? this.queue.running?.id ?? '');
    if (record) this.openPanel(record);
  }

  /**
   * A result opened from its file: a panel that shows it with its parameters,
   * ready to be tweaked and run again; the panel already showing it comes to
   * the front instead. Returns the panel's id.
   */
  openResultPanel(result: string, request: JobRequest, parameters: ResultParameters): string {
    // By samePath: the Explorer's c:\… and a setting's C:\… name one file on Windows.
    const shows = (file: string | undefined) => !!file && samePath(file, result);
    const showing = [...this.records.values()].find((r) => r.livePanel && (shows(r.state.job.outputPath) || r.state.history?.some((run) => shows(run.outputPath))));
    if (showing) {
      this.openPanel(showing);
      return showing.state.job.id;
    }
    const id = `${this.openedPrefix}-${++this.openedCount}`;
    const record = new JobRecord(resultPanelState(id, result, request, parameters, this.offeredStyles()));
    this.records.set(id, record);
    this.openPanel(record);
    this.forgetWhenClosed(record);
    this.onDidChangeJobsEmitter.fire();
    return id;
  }

  /** A panel VS Code restored after a reload: its job resumed (resumeAfterReload), or did not survive the reload and its state did. */
  revivePanel(panel: vscode.WebviewPanel, saved: unknown): void {
    const state = parsePanelState(saved, (why) => this.log.warn(`a restored panel was closed: ${why}`));
    if (!state) {
      panel.dispose(); // nothing we can show
      return;
    }
    if (resumeInto(this.records.get(state.job.id), panel, (record) => JobPanel.revive(panel, this.panelContext, record, (m) => handlePanelMessage(record, m, this.panelActions)))) return;
    const record = new JobRecord(restoredState({ ...state, history: state.history?.filter((run) => isResult(run.outputPath)),
      // A state saved before the panel had controls: the settings' values, as a new panel gets.
      controls: state.controls ?? settingsControls(state.job.contentPath), styleChoices: styleChoicesFor(state.job, this.offeredStyles()) }));
    const { id } = state.job;
    record.panel = JobPanel.revive(panel, this.panelContext, record, (m) => handlePanelMessage(record, m, this.panelActions));
    this.records.set(id, record);
    this.forgetWhenClosed(record);
  }

  /** A panel no job made in this window is forgotten when it closes, by the id it has then (Run again gives it a new job). */
  private forgetWhenClosed(record: JobRecord): void {
    record.panel?.onDidDispose(() => this.records.delete(record.state.job.id));
  }

  private openPanel(record: JobRecord): void {
    if (record.panel && !record.panel.isDisposed) {
      record.panel.reveal();
      return;
    }
    record.panel = JobPanel.create(this.panelContext, record, (m) => handlePanelMessage(record, m, this.panelActions));
  }

  private queueChanged(entry: QueueEntry<QueuedJob>): void {
    const { record } = entry.job;
    // Closing the window cancels the jobs; they are saved as they were, to resume.
    if (!this.closing) this.store?.save(savedJobsOf(this.queue));
    if (entry.state === 'queued') record.post({ type: 'status', status: 'queued', position: this.queue.position(entry.id) });
    if (entry.state === 'cancelled' && record.state.job.status === 'queued') {
      record.post({ type: 'status', status: 'cancelled' });
      this.batchJobEnded(entry.job, entry.id, 'cancelled');
    }
    this.refreshStatusBar();
    void vscode.commands.executeCommand('setContext', 'neuralStyle.busy', !!this.queue.running || this.queue.queued.length > 0);
  }

  private refreshStatusBar(progress?: FromEngine<'progress'>): void {
    const running = this.queue.running;
    const fraction = progress ? progressFraction(progress) : undefined;
    const batch = running?.job.batch;
    const batchProgress = batch?.progress(running && progress && { id: running.id, fraction: fraction ?? 0, etaMs: progress.etaMs });
    this.batchLine = batchProgress && batchProgressText(batchProgress, formatDuration);
    if (batch && batchProgress) this.tellBatchPanels(batch, batchProgress);
    this.onDidChangeJobsEmitter.fire();
    this.statusBar.update(running && {
      name: path.basename(running.job.request.content),
      fraction,
      etaMs: progress?.etaMs,
      batch: this.batchLine,
    }, this.queue.queued.length);
  }

  /** Each panel of the batch's photos says how the batch goes (a Run again in one of them is no longer of the batch). */
  private tellBatchPanels(batch: Batch, { total, finished, etaMs }: BatchProgress): void {
    for (const id of batch.jobIds) {
      this.records.get(id)?.post({ type: 'batch', batch: { index: batch.indexOf(id), total, finished, ...(etaMs === undefined ? {} : { etaMs }) } });
    }
  }

  /** "2 of 5 done, about 12:30 left for the batch" while a batch runs (the queue view shows it). */
  get batchStatus(): string | undefined {
    return this.queue.running?.job.batch ? this.batchLine : undefined;
  }

  private async run(queued: QueuedJob, id: string, signal: AbortSignal): Promise<RunEnd> {
    const { request, record, backend, queuedAt, resumed, batch } = queued;
    if (resumed && !record.livePanel) this.openPanel(record);
    const startedAt = Date.now();
    batch?.jobStarted(id, startedAt);
    let plan: RunPlan;
    try {
      const job = this.runner.prepare(id, request);
      if (backend) job.settings.run.backend = backend;
      plan = await planRun(job, record, this.execution);
    } catch (e) {
      this.fail(record, id, 'invalid', (e as Error).message, e instanceof SettingsError ? e.setting : undefined);
      this.batchJobEnded(queued, id, 'failed');
      return 'failed';
    }
    const { job } = plan;
    const { options } = job.settings;
    record.post({ type: 'snapshot', state: { ...record.state, job: { ...record.state.job, status: 'running', position: undefined,
      outputPath: job.output, size: options.size, iterations: options.iterations }, controls: controlsOf(options) } });
    if (job.settings.revealRunningPanel) revealRunning(record.livePanel, () => this.openPanel(record));
    const started = Date.now();
    // Where the wait before the first progress goes: the queue, the settings and the route, the engine's first step.
    const waited = `waited ${startedAt - queuedAt} ms, prepared and routed in ${started - startedAt} ms`;
    const work = (report: ReportProgress): Promise<EngineOutcome> => {
      let first = true;
      return executeRun(plan, record, signal, (p) => {
        if (first) this.note('info', `${id}: first progress ${Date.now() - queuedAt} ms after Stylize (${waited}, then ${Date.now() - started} ms to run its first step)`);
        first = false;
        const { type: _type, id: _id, ...rest } = p;
        record.post({ type: 'progress', progress: rest });
        this.refreshStatusBar(p);
        report(p);
      }, this.execution);
    };
    // A notification would cover the panel's Cancel and chart: only a job whose panel is out of sight gets one (the status bar shows every job).
    const inSight = !!record.livePanel?.panel.visible;
    const title = batch ? vscode.l10n.t('Stylizing {0} as {1} ({2} of {3})', path.basename(request.content), stylesLabelOf(request), batch.indexOf(id), batch.size)
      : vscode.l10n.t('Stylizing {0} as {1}', path.basename(request.content), stylesLabelOf(request));
    const outcome = await (inSight ? work(() => undefined) : withJobNotification(title, () => this.queue.cancel(id), work));
    this.finish(record, job, outcome, Date.now() - started, batch);
    const end = outcome.kind === 'done' ? 'done' : outcome.kind === 'cancelled' ? 'cancelled' : 'failed';
    this.batchJobEnded(queued, id, end);
    return end;
  }

  /** A job of a batch ended: the batch's line moves on, and a batch that is over says how it went. */
  private batchJobEnded({ batch }: QueuedJob, id: string, outcome: BatchOutcome): void {
    if (!batch) return;
    batch.jobEnded(id, outcome, Date.now());
    this.tellBatchPanels(batch, batch.progress());
    if (!batch.isOver) return;
    this.log.info(`batch of ${batch.size} over: ${JSON.stringify(batch.summary())}`);
    if (!this.closing) void showBatchSummary(batch.summary(), this.log);
  }

  private note(level: 'info' | 'warn' | 'error', line: string): void {
    this.log[level](line);
    this.onDidLogEmitter.fire(line);
  }

  /** Loses the GPU of the job running in `id`'s panel, as a driver reset would: for the tests of that path. */
  loseGpu(id: string): void {
    this.records.get(id)?.panel?.postCompute({ type: 'loseGpu' });
  }

  private finish(record: JobRecord, job: PreparedJob, outcome: EngineOutcome, ms: number, batch?: Batch): void {
    const { id } = job;
    switch (outcome.kind) {
      case 'done': {
        const { done } = outcome;
        this.log.info(`${id}: done in ${formatDuration(done.elapsedMs)} (${done.steps} iterations on ${done.backend}); wrote ${done.output}`);
        record.post({ type: 'done', done: { outputSrc: '', outputName: path.basename(done.output), elapsedMs: done.elapsedMs, steps: done.steps, backend: done.backend, finishedAt: Date.now() } });
        // A batch opens one result editor (unless asked for each); its other results are in their panels and the queue view.
        const { openWhenDone, openEachInBatch } = job.settings;
        if (openWhenDone && (!batch || openEachInBatch || batch.claimResultEditor())) this.openResult(record, done.output);
        this.onDidFinishEmitter.fire({ id, outcome: 'done', output: done.output, backend: done.backend });
        break;
      }
      case 'cancelled':
        this.log.info(`${id}: cancelled after ${formatDuration(ms)}; nothing was written`);
        record.post({ type: 'status', status: 'cancelled' });
        this.onDidFinishEmitter.fire({ id, outcome: 'cancelled' });
        break;
      case 'error':
        if (outcome.code === 'EGPULOST') {
          this.failOnGpu(record, id, outcome.message);
          break;
        }
        this.fail(record, id, outcome.kind, outcome.message, undefined, outcome.code);
        break;
      case 'crashed':
        this.fail(record, id, outcome.kind, outcome.message);
        break;
    }
  }

  /** A lost GPU: the error, with "Run on CPU instead" (the same job again, on wasm, in the same panel) here and in the panel. */
  private failOnGpu(record: JobRecord, id: string, message: string): void {
    this.execution.adapters.forget();
    this.log.error(`${id}: ${message}`);
    record.post({ type: 'failed', message, code: 'EGPULOST' });
    this.onDidFinishEmitter.fire({ id, outcome: 'error', message, code: 'EGPULOST' });
    void showGpuLostError(message, this.log).then((again) => {
      // Unless the panel has run it again meanwhile.
      if (again && record.state.job.id === id) this.runAgain(record, record.state.controls ?? controlsOf(DEFAULTS), true, samePick(record.state));
    });
  }

  /** Next to the panel, not over it: the panel has the before/after view. */
  private openResult(record: JobRecord, output: string): void {
    const panelColumn = record.panel?.isDisposed ? undefined : record.panel?.panel.viewColumn;
    const viewColumn = panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
    void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(output), { preview: false, viewColumn, preserveFocus: true });
  }

  private fail(record: JobRecord, id: string, outcome: 'invalid' | 'error' | 'crashed', message: string, setting?: string, code?: string): void {
    this.log.error(`${id}: ${message}`);
    record.post({ type: 'failed', message, code });
    this.onDidFinishEmitter.fire({ id, outcome, message, code });
    void showJobError(message, this.log, setting);
  }

  /** Queues again the jobs a reload interrupted (the running one first), and says so. */
  resumeAfterReload(): string[] {
    const saved = this.store?.take() ?? [];
    const batch = saved.length > 1 ? new Batch() : undefined;
    const ids = saved.map((job) => this.enqueue(requestOfSaved(job), job.backend, { id: job.id }, batch));
    if (ids.length) {
      this.log.info(`resumed ${ids.length} job${ids.length === 1 ? '' : 's'} that the reload interrupted: ${ids.join(', ')}`);
      void vscode.window.showInformationMessage(ids.length === 1 ? vscode.l10n.t('Neural Style: the job that the reload interrupted runs again.')
        : vscode.l10n.t('Neural Style: {0} jobs that the reload interrupted run again.', ids.length));
    }
    return ids;
  }

  private closeAll(): void {
    this.closing = true;
    this.queue.cancelAll();
    void this.runner.dispose();
    for (const record of this.records.values()) record.panel?.dispose();
  }
}
