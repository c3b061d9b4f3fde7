/**
 * The job manager: queues stylizations, runs each in an engine process, and
 * mirrors its progress in the job's panel, a notification and the status bar.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { formatDuration } from '@neural-style/engine/options';
import type { FromEngine } from '@neural-style/engine/protocol';
import { FromWebview, JobView, PanelState, ToWebview } from '../shared/protocol';
import { applyMessage } from '../shared/state';
import { EngineOutcome, runEngine } from './engineProcess';
import { freeOutputPath, outputFolder, removeEngineTemps } from './outputPath';
import { JobPanel } from './panel';
import { JobQueue } from './queue';
import { Resources } from './resources';
import { JobSettings, readSettings, SettingsError } from './settings';
import { SECTION } from './settingsSchema';
import { QueueStatusBar } from './statusBar';
import { StyleChoice } from './stylePicker';

export interface JobRequest {
  content: string;
  style: StyleChoice;
}

/** A job's request, its state as its panel shows it, and its panel while open. */
class JobRecord {
  panel?: JobPanel;
  constructor(readonly request: JobRequest, public state: PanelState) {}

  post(message: ToWebview): void {
    this.state = applyMessage(this.state, message);
    if (this.panel && !this.panel.isDisposed) this.panel.post(message);
  }
}

export class JobManager implements vscode.Disposable {
  readonly queue: JobQueue<JobRecord>;
  private readonly records = new Map<string, JobRecord>();
  private readonly reserved = new Set<string>();
  private readonly statusBar = new QueueStatusBar();
  private readonly onDidFinishEmitter = new vscode.EventEmitter<{ id: string; outcome: EngineOutcome['kind'] | 'invalid'; output?: string; message?: string }>();
  /** Fires when a job ends, however it ends. */
  readonly onDidFinish = this.onDidFinishEmitter.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly resources: Resources, private readonly log: vscode.LogOutputChannel) {
    // Ids must not repeat across reloads: a restored panel may still name an old one.
    this.queue = new JobQueue((record, id, signal) => this.run(record, id, signal), `ns${Date.now().toString(36)}`);
    this.queue.onDidChange((entry) => {
      const record = entry.job;
      if (entry.state === 'queued') record.post({ type: 'status', status: 'queued', position: this.queue.position(entry.id) });
      if (entry.state === 'cancelled' && record.state.job.status === 'queued') record.post({ type: 'status', status: 'cancelled' });
      this.refreshStatusBar();
      void vscode.commands.executeCommand('setContext', 'neuralStyle.busy', !!this.queue.running || this.queue.queued.length > 0);
    });
  }

  /** Queues one image; returns the job id. */
  enqueue(request: JobRequest): string {
    const contentName = path.basename(request.content);
    const config = vscode.workspace.getConfiguration(SECTION, vscode.Uri.file(request.content));
    const folder = outputFolder({ content: request.content, folder: config.get<string>('outputFolder') ?? '', workspaceFolder: this.workspaceFolderOf(request.content) });
    const job: JobView = {
      id: '', contentName, styleName: request.style.label, contentSrc: '', styleSrc: '',
      contentPath: request.content, stylePath: request.style.path, outputPath: path.join(folder, `${contentName}.out`),
      size: config.get<number>('size') ?? 0, iterations: config.get<number>('iterations') ?? 0, status: 'queued',
    };
    const record = new JobRecord(request, { job, losses: [] });
    const id = this.queue.add(record);
    // The id exists only now; a queued job's panel opens right away so the queue is visible.
    record.state = { ...record.state, job: { ...record.state.job, id } };
    this.records.set(id, record);
    this.openPanel(record);
    record.post({ type: 'status', status: this.queue.position(id) === 0 ? 'running' : 'queued', position: this.queue.position(id) || undefined });
    this.log.info(`queued ${id}: ${request.content} in the style of ${request.style.path}`);
    return id;
  }

  cancel(id?: string): boolean {
    const target = id ?? this.queue.running?.id;
    return target ? this.queue.cancel(target) : false;
  }

  showPanel(id?: string): void {
    const record = this.records.get(id ?? this.queue.running?.id ?? '');
    if (record) this.openPanel(record);
  }

  handlePanelMessage(state: PanelState, message: FromWebview): void {
    const id = state.job.id;
    switch (message.type) {
      case 'ready':
        break; // the panel answers it with a snapshot
      case 'cancel':
        if (!this.cancel(id)) this.log.info(`cancel ${id}: the job is not running any more`);
        break;
      case 'open':
        if (fs.existsSync(state.job.outputPath)) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(state.job.outputPath));
        else void vscode.window.showWarningMessage(`Neural Style: ${state.job.outputPath} no longer exists.`);
        break;
      case 'reveal':
        void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(state.job.outputPath));
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

  private openPanel(record: JobRecord): void {
    if (record.panel && !record.panel.isDisposed) {
      record.panel.reveal();
      return;
    }
    record.panel = JobPanel.create(this.extensionUri, this.resources.presetsDir, record.state, (p, m) => this.handlePanelMessage(p.state, m));
  }

  private workspaceFolderOf(file: string): string | undefined {
    return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath;
  }

  private refreshStatusBar(progress?: FromEngine<'progress'>): void {
    const running = this.queue.running;
    this.statusBar.update(running && {
      name: path.basename(running.job.request.content),
      fraction: progress ? progress.step / progress.totalSteps : undefined,
      etaMs: progress?.etaMs,
    }, this.queue.queued.length);
  }

  private readSettings(content: string): JobSettings {
    const config = vscode.workspace.getConfiguration(SECTION, vscode.Uri.file(content));
    return readSettings((name) => config.get(name));
  }

  private pickOutput(record: JobRecord, settings: JobSettings): string {
    const output = freeOutputPath({
      content: record.request.content, style: record.request.style.id, folder: settings.output.folder,
      pattern: settings.output.pattern, format: settings.output.format, workspaceFolder: this.workspaceFolderOf(record.request.content),
    }, (f) => this.reserved.has(f) || fs.existsSync(f));
    fs.mkdirSync(path.dirname(output), { recursive: true });
    return output;
  }

  private async run(record: JobRecord, id: string, signal: AbortSignal): Promise<void> {
    const { request } = record;
    let settings: JobSettings;
    let output: string;
    try {
      settings = this.readSettings(request.content);
      output = this.pickOutput(record, settings);
    } catch (e) {
      const message = (e as Error).message;
      this.log.error(`${id}: ${message}`);
      record.post({ type: 'failed', message });
      this.onDidFinishEmitter.fire({ id, outcome: 'invalid', message });
      void this.showError(message, e instanceof SettingsError ? e.setting : undefined);
      return;
    }
    this.reserved.add(output);
    record.post({ type: 'snapshot', state: { ...record.state, job: { ...record.state.job, status: 'running', position: undefined, outputPath: output, size: settings.options.size, iterations: settings.options.iterations } } });
    this.log.info(`${id}: ${request.content} + ${request.style.path} → ${output} (size ${settings.options.size}, ${settings.options.iterations} iterations, ${settings.options.optimizer}, backend ${settings.run.backend})`);
    const started = Date.now();
    let enginePid = 0;
    let outcome: EngineOutcome;
    try {
      outcome = await this.withNotification(record, id, signal, (report) => runEngine({
        workerPath: settings.enginePath || this.resources.workerPath,
        id,
        job: { content: request.content, styles: [request.style.path], output, options: settings.options, maxInputPixels: settings.run.maxInputPixels },
        backend: settings.run.backend,
        weights: settings.weightsPath || this.resources.weightsDir || undefined,
        signal,
        events: {
          started: (pid) => {
            enginePid = pid;
            this.log.info(`${id}: engine process ${pid} (${settings.enginePath || this.resources.workerPath})`);
          },
          log: (level, message) => this.log[level === 'info' ? 'info' : level === 'warn' ? 'warn' : 'error'](`${id}: ${message}`),
          progress: (p) => {
            const { type: _type, id: _id, ...progress } = p;
            record.post({ type: 'progress', progress });
            this.refreshStatusBar(p);
            report(p);
          },
          preview: (p) => record.post({ type: 'preview', step: p.step, src: `data:image/png;base64,${p.png}` }),
        },
      }));
    } finally {
      this.reserved.delete(output);
    }
    if (outcome.kind !== 'done' && enginePid) {
      for (const f of removeEngineTemps(output, enginePid)) this.log.info(`${id}: removed ${f}, left by the stopped engine`);
    }
    this.finish(record, id, outcome, settings, Date.now() - started);
  }

  private finish(record: JobRecord, id: string, outcome: EngineOutcome, settings: JobSettings, ms: number): void {
    switch (outcome.kind) {
      case 'done': {
        const { done } = outcome;
        this.log.info(`${id}: done in ${formatDuration(done.elapsedMs)} (${done.steps} iterations on ${done.backend}); wrote ${done.output}`);
        record.post({ type: 'done', done: { outputSrc: '', outputName: path.basename(done.output), elapsedMs: done.elapsedMs, steps: done.steps, backend: done.backend } });
        if (settings.output.openWhenDone) {
          // Next to the panel, not over it: the panel has the before/after view.
          const panelColumn = record.panel?.isDisposed ? undefined : record.panel?.panel.viewColumn;
          const viewColumn = panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
          void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(done.output), { preview: false, viewColumn, preserveFocus: true });
        }
        this.onDidFinishEmitter.fire({ id, outcome: 'done', output: done.output });
        break;
      }
      case 'cancelled':
        this.log.info(`${id}: cancelled after ${formatDuration(ms)}; nothing was written`);
        record.post({ type: 'status', status: 'cancelled' });
        this.onDidFinishEmitter.fire({ id, outcome: 'cancelled' });
        break;
      case 'error':
      case 'crashed':
        this.log.error(`${id}: ${outcome.message}`);
        record.post({ type: 'failed', message: outcome.message });
        this.onDidFinishEmitter.fire({ id, outcome: outcome.kind, message: outcome.message });
        void this.showError(outcome.message);
        break;
    }
  }

  private async showError(message: string, setting?: string): Promise<void> {
    const actions = setting ? ['Open Settings', 'Show Log'] : ['Show Log'];
    const choice = await vscode.window.showErrorMessage(`Neural Style: ${message.split('\n')[0]}`, ...actions);
    if (choice === 'Show Log') this.log.show(true);
    if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', setting);
  }

  /** A cancellable notification that follows the job until it ends. */
  private withNotification<T>(record: JobRecord, id: string, signal: AbortSignal, work: (report: (p: FromEngine<'progress'>) => void) => Promise<T>): Thenable<T> {
    const title = `Stylizing ${path.basename(record.request.content)} as ${record.request.style.label}`;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => this.queue.cancel(id));
      let reported = 0;
      return work((p) => {
        const fraction = p.step / p.totalSteps;
        progress.report({
          increment: Math.max(0, (fraction - reported) * 100),
          message: `${p.step}/${p.totalSteps} · scale ${p.scale}/${p.scales} · ${formatDuration(p.etaMs)} left`,
        });
        reported = fraction;
      });
    });
  }

  dispose(): void {
    this.queue.cancelAll();
    this.statusBar.dispose();
    for (const r of this.records.values()) r.panel?.dispose();
    this.onDidFinishEmitter.dispose();
  }
}

