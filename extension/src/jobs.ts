/**
 * The job manager: queues stylizations, keeps each job's panel state (once,
 * here), and passes on what the runner reports to the job's panel, its
 * notification and the status bar.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { type BackendChoice, DEFAULTS, formatDuration } from '@neural-style/engine/options';
import { progressFraction, type FromEngine } from '@neural-style/engine/protocol';
import { FromCompute, FromWebview, isFromCompute, PanelState, parsePanelState, ToWebview } from '../shared/protocol';
import { Controls, controlsOf } from '../shared/controls';
import { applyMessage, restoredState } from '../shared/state';
import { Disposable } from './dispose';
import { EngineOutcome } from './engineProcess';
import { JobRequest, JobRunner, PreparedJob, stylePaths, stylesLabelOf } from './jobRunner';
import { ReportProgress, showGpuLostError, showJobError, withJobNotification } from './notifications';
import { JobPanel, PanelContext } from './panel';
import { JobQueue, QueueEntry } from './queue';
import { QueueStore } from './savedQueue';
import { requestOfSaved, RESUMED, resumeInto, savedJobsOf } from './resume';
import { revealRunning } from './queueView';
import { Resources } from './resources';
import { SettingsError } from './settings';
import { isResult, newPanelState, runAgainRequest, runAgainState, settingsControls } from './panelRuns';
import { samePick, styleChoicesFor } from './secondStyleChoices';
import type { SecondStylePick } from '../shared/secondStyle';
import type { StyleChoice } from './stylePicker';
import { saveAsDefaults } from './saveDefaults';
import { QueueStatusBar } from './statusBar';
import { AdapterProbe, chooseRoute, needsProbe, nodeGpuProblem, Route } from './backendRoute';
import { ComputeChannel, probeAdapters, runInWebview } from './webviewRunner';

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

type ComputeListener = (message: FromCompute | { type: 'ready' }) => void;

/** A job's panel state, kept only here, and its panel while one is open. */
class JobRecord {
  panel?: JobPanel;
  readonly computeListeners = new Set<ComputeListener>();
  constructor(public state: PanelState) {}

  post(message: ToWebview): void {
    this.state = applyMessage(this.state, message);
    if (this.panel && !this.panel.isDisposed) this.panel.post(message);
  }
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

  /** `offeredStyles`: what the panels offer as a second style (the presets and the remembered styles). */
  constructor(extensionUri: vscode.Uri, private readonly resources: Resources, private readonly log: vscode.LogOutputChannel,
    private readonly store?: QueueStore, private readonly offeredStyles: () => StyleChoice[] = () => []) {
    super();
    this.runner = new JobRunner(resources, log);
    this.panelContext = { extensionUri, presetsDir: resources.presetsDir, log };
    // Ids must not repeat across reloads: a restored panel may still name an old one.
    this.queue = new JobQueue((job, id, signal) => this.run(job, id, signal), `ns${Date.now().toString(36)}`);
    this.register(this.queue.onDidChange((entry) => this.queueChanged(entry)));
    // Registered last, so it runs first: the jobs stop while their panels and the status bar still exist.
    this.register({ dispose: () => this.closeAll() });
  }

  /** Queues one image and opens its panel; returns the job id. `backend` overrides the setting for this job. */
  enqueue(request: JobRequest, backend?: BackendChoice, resumed?: { id: string }): string {
    const record = new JobRecord(newPanelState(request, this.offeredStyles()));
    return this.queueJob({ request, record, backend, queuedAt: Date.now(), resumed: !!resumed }, resumed?.id);
  }

  /** Adds a job with its record; `resumedId`: the id it had before a reload. */
  private queueJob(job: QueuedJob, resumedId?: string): string {
    const { request, record, resumed } = job;
    const id = this.queue.add(job, resumedId);
    // The id exists only now; a queued job's panel opens right away so the queue is visible (a resumed one's comes back by itself).
    record.state = { ...record.state, job: { ...record.state.job, id } };
    this.records.set(id, record);
    if (!resumed) this.openPanel(record);
    const position = this.queue.position(id);
    record.post({ type: 'status', status: position === 0 ? 'running' : 'queued', position: position || undefined,
      message: resumed ? RESUMED : undefined });
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
      void vscode.window.showErrorMessage(`Neural Style: ${(e as Error).message}`);
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

  /** A panel VS Code restored after a reload: its job resumed (resumeAfterReload), or did not survive the reload and its state did. */
  revivePanel(panel: vscode.WebviewPanel, saved: unknown): void {
    const state = parsePanelState(saved, (why) => this.log.warn(`a restored panel was closed: ${why}`));
    if (!state) {
      panel.dispose(); // nothing we can show
      return;
    }
    if (resumeInto(this.records.get(state.job.id), panel, (record) => JobPanel.revive(panel, this.panelContext, record, (m) => this.handlePanelMessage(record, m)))) return;
    const record = new JobRecord(restoredState({ ...state, history: state.history?.filter((run) => isResult(run.outputPath)),
      // A state saved before the panel had controls: the settings' values, as a new panel gets.
      controls: state.controls ?? settingsControls(state.job.contentPath), styleChoices: styleChoicesFor(state.job, this.offeredStyles()) }));
    const { id } = state.job;
    record.panel = JobPanel.revive(panel, this.panelContext, record, (m) => this.handlePanelMessage(record, m));
    this.records.set(id, record);
    // By the id it has then: Run again gives the panel a new job.
    record.panel.onDidDispose(() => this.records.delete(record.state.job.id));
  }

  private handlePanelMessage(record: JobRecord, message: FromWebview): void {
    const { id } = record.state.job;
    if (isFromCompute(message)) {
      record.computeListeners.forEach((listener) => listener(message));
      return;
    }
    switch (message.type) {
      case 'ready':
        // The panel answers it with a snapshot; a run in it learns that the webview (re)loaded.
        record.computeListeners.forEach((listener) => listener({ type: 'ready' }));
        break;
      case 'cancel':
        if (!this.cancel(id)) this.log.info(`cancel ${id}: the job is not running any more`);
        break;
      case 'open': {
        const output = this.outputOf(record, message.run);
        if (output && fs.existsSync(output)) this.openResult(record, output);
        else void vscode.window.showWarningMessage(`Neural Style: ${output || 'the result'} no longer exists.`);
        break;
      }
      case 'reveal': {
        const output = this.outputOf(record, message.run);
        if (output) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(output));
        break;
      }
      case 'runAgain':
        this.runAgain(record, message.controls, message.onCpu === true, message.secondStyle);
        break;
      case 'saveDefaults':
        void saveAsDefaults(record.state.job.contentPath, message.controls, this.log);
        break;
      case 'showLog':
        this.log.show(true);
        break;
      default: {
        const never: never = message;
        this.log.warn(`unhandled panel message ${JSON.stringify(never)}`);
      }
    }
  }

  /** A result's path from the host's own state (the message names only an index). */
  private outputOf(record: JobRecord, run: number | undefined): string | undefined {
    if (run === undefined) return record.state.done ? record.state.job.outputPath : undefined;
    return record.state.history?.[run]?.outputPath;
  }

  private openPanel(record: JobRecord): void {
    if (record.panel && !record.panel.isDisposed) {
      record.panel.reveal();
      return;
    }
    record.panel = JobPanel.create(this.panelContext, record, (m) => this.handlePanelMessage(record, m));
  }

  private queueChanged(entry: QueueEntry<QueuedJob>): void {
    const { record } = entry.job;
    // Closing the window cancels the jobs; they are saved as they were, to resume.
    if (!this.closing) this.store?.save(savedJobsOf(this.queue));
    if (entry.state === 'queued') record.post({ type: 'status', status: 'queued', position: this.queue.position(entry.id) });
    if (entry.state === 'cancelled' && record.state.job.status === 'queued') record.post({ type: 'status', status: 'cancelled' });
    this.refreshStatusBar();
    void vscode.commands.executeCommand('setContext', 'neuralStyle.busy', !!this.queue.running || this.queue.queued.length > 0);
  }

  private refreshStatusBar(progress?: FromEngine<'progress'>): void {
    this.onDidChangeJobsEmitter.fire();
    const running = this.queue.running;
    this.statusBar.update(running && {
      name: path.basename(running.job.request.content),
      fraction: progress ? progressFraction(progress) : undefined,
      etaMs: progress?.etaMs,
    }, this.queue.queued.length);
  }

  private async run({ request, record, backend, queuedAt, resumed }: QueuedJob, id: string, signal: AbortSignal): Promise<void> {
    if (resumed && (!record.panel || record.panel.isDisposed)) this.openPanel(record);
    let job: PreparedJob;
    let route: Route;
    let weightsDir = '';
    try {
      job = this.runner.prepare(id, request);
      if (backend) job.settings.run.backend = backend;
      route = await this.routeOf(job, record);
      if (route.where === 'webview') weightsDir = this.webviewWeightsDir(job);
    } catch (e) {
      this.fail(record, id, 'invalid', (e as Error).message, e instanceof SettingsError ? e.setting : undefined);
      return;
    }
    const { options } = job.settings;
    record.post({ type: 'snapshot', state: { ...record.state, job: { ...record.state.job, status: 'running', position: undefined,
      outputPath: job.output, size: options.size, iterations: options.iterations }, controls: controlsOf(options) } });
    if (job.settings.revealRunningPanel) revealRunning(record.panel, () => this.openPanel(record));
    const started = Date.now();
    const work = (report: ReportProgress): Promise<EngineOutcome> => {
      let first = true;
      const progress = (p: FromEngine<'progress'>) => {
        if (first) this.log.info(`${id}: first progress ${Date.now() - queuedAt} ms after Stylize (${Date.now() - started} ms after it started)`);
        first = false;
        const { type: _type, id: _id, ...rest } = p;
        record.post({ type: 'progress', progress: rest });
        this.refreshStatusBar(p);
        report(p);
      };
      if (route.where === 'engine') {
        return this.runner.execute(job, signal, { progress, preview: (p) => record.post({ type: 'preview', step: p.step, src: `data:image/png;base64,${p.png}` }) });
      }
      return runInWebview({
        id, backend: route.backend, adapter: route.adapter, content: request.content, styles: stylePaths(request), output: job.output,
        options, maxInputPixels: job.settings.run.maxInputPixels, weightsDir, imageWorkerPath: this.resources.imageWorkerPath,
        channel: this.channelOf(record), signal,
        events: { progress, preview: (step, src) => record.post({ type: 'preview', step, src }), log: (level, message) => this.note(level, message) },
      });
    };
    // A notification would cover the panel's Cancel and chart: only a job whose panel is out of sight gets one (the status bar shows every job).
    const inSight = !!record.panel && !record.panel.isDisposed && record.panel.panel.visible;
    const title = `Stylizing ${path.basename(request.content)} as ${stylesLabelOf(request)}`;
    const outcome = await (inSight ? work(() => undefined) : withJobNotification(title, () => this.queue.cancel(id), work));
    this.finish(record, job, outcome, Date.now() - started);
  }

  /** Where the job runs (backendRoute.ts); logs the choice and why each better one was skipped. */
  private async routeOf(job: PreparedJob, record: JobRecord): Promise<Route> {
    const choice = job.settings.run.backend;
    const nodeGpu = choice === 'auto' ? nodeGpuProblem(job.settings.enginePath || this.resources.workerPath) : null;
    let probe: AdapterProbe | undefined;
    if (needsProbe(choice, nodeGpu)) {
      if (!record.panel || record.panel.isDisposed) this.openPanel(record);
      probe = await probeAdapters(this.channelOf(record));
    }
    const route = chooseRoute(choice, nodeGpu, probe);
    const where = route.where === 'webview' ? `the panel's webview on ${route.backend}: ${route.adapter.name}` : `the engine process (backend ${route.backend})`;
    this.note('info', `${job.id}: runs in ${where}${route.skipped.length ? `; skipped ${route.skipped.join('; ')}` : ''}`);
    return route;
  }

  private note(level: 'info' | 'warn' | 'error', line: string): void {
    this.log[level](line);
    this.onDidLogEmitter.fire(line);
  }

  /** Loses the GPU of the job running in `id`'s panel, as a driver reset would: for the tests of that path. */
  loseGpu(id: string): void {
    this.records.get(id)?.panel?.postCompute({ type: 'loseGpu' });
  }

  private webviewWeightsDir(job: PreparedJob): string {
    const configured = job.settings.weightsPath;
    if (/^https?:\/\//.test(configured)) {
      throw new SettingsError('neuralStyle.weightsPath', `Setting neuralStyle.weightsPath: a GPU run in the webview reads a weights folder, not a URL (${configured}). Run once on wasm to download it, or give a folder.`);
    }
    if (!configured) return this.resources.bundledWeightsDir;
    return configured.endsWith('model.json') ? path.dirname(configured) : configured;
  }

  /** The job's panel as a run sees it; the panel is looked up on each call (it may have been reopened). */
  private channelOf(record: JobRecord): ComputeChannel {
    const panel = () => (record.panel && !record.panel.isDisposed ? record.panel : undefined);
    return {
      post: (message) => panel()?.postCompute(message),
      onMessage: (listener) => {
        record.computeListeners.add(listener);
        return () => record.computeListeners.delete(listener);
      },
      onClosed: (listener) => {
        const current = panel();
        if (!current) {
          queueMicrotask(listener);
          return () => undefined;
        }
        const subscription = current.onDidDispose(listener);
        return () => subscription.dispose();
      },
      webviewUri: (file) => panel()?.webviewUri(file) ?? '',
      allowFolder: (dir) => panel()?.allowFolder(dir) ?? Promise.resolve(),
    };
  }

  private finish(record: JobRecord, job: PreparedJob, outcome: EngineOutcome, ms: number): void {
    const { id } = job;
    switch (outcome.kind) {
      case 'done': {
        const { done } = outcome;
        this.log.info(`${id}: done in ${formatDuration(done.elapsedMs)} (${done.steps} iterations on ${done.backend}); wrote ${done.output}`);
        record.post({ type: 'done', done: { outputSrc: '', outputName: path.basename(done.output), elapsedMs: done.elapsedMs, steps: done.steps, backend: done.backend, finishedAt: Date.now() } });
        if (job.settings.output.openWhenDone) this.openResult(record, done.output);
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
    const ids = (this.store?.take() ?? []).map((saved) => this.enqueue(requestOfSaved(saved), saved.backend, { id: saved.id }));
    if (ids.length) {
      this.log.info(`resumed ${ids.length} job${ids.length === 1 ? '' : 's'} that the reload interrupted: ${ids.join(', ')}`);
      void vscode.window.showInformationMessage(`Neural Style: ${ids.length === 1 ? 'the job' : `${ids.length} jobs`} that the reload interrupted ${ids.length === 1 ? 'runs' : 'run'} again.`);
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
