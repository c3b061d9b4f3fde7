/**
 * The job manager: queues stylizations, keeps each job's panel state (once,
 * here), and passes on what the runner reports to the job's panel, its
 * notification and the status bar.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { formatDuration } from '@neural-style/engine/options';
import { progressFraction, type FromEngine } from '@neural-style/engine/protocol';
import { FromWebview, PanelState, parsePanelState, ToWebview } from '../shared/protocol';
import { applyMessage, restoredState } from '../shared/state';
import { Disposable } from './dispose';
import { EngineOutcome } from './engineProcess';
import { JobRequest, JobRunner, PreparedJob } from './jobRunner';
import { showJobError, withJobNotification } from './notifications';
import { JobPanel, PanelContext } from './panel';
import { JobQueue, QueueEntry } from './queue';
import { Resources } from './resources';
import { SettingsError } from './settings';
import { QueueStatusBar } from './statusBar';

export type { JobRequest } from './jobRunner';

/** How a job ended, for the integration tests. */
export interface JobEnd {
  id: string;
  outcome: EngineOutcome['kind'] | 'invalid';
  output?: string;
  message?: string;
}

/** A job's panel state, kept only here, and its panel while one is open. */
class JobRecord {
  panel?: JobPanel;
  constructor(public state: PanelState) {}

  post(message: ToWebview): void {
    this.state = applyMessage(this.state, message);
    if (this.panel && !this.panel.isDisposed) this.panel.post(message);
  }
}

interface QueuedJob {
  request: JobRequest;
  record: JobRecord;
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

  constructor(extensionUri: vscode.Uri, resources: Resources, private readonly log: vscode.LogOutputChannel) {
    super();
    this.runner = new JobRunner(resources, log);
    this.panelContext = { extensionUri, presetsDir: resources.presetsDir, log };
    // Ids must not repeat across reloads: a restored panel may still name an old one.
    this.queue = new JobQueue((job, id, signal) => this.run(job, id, signal), `ns${Date.now().toString(36)}`);
    this.register(this.queue.onDidChange((entry) => this.queueChanged(entry)));
    // Registered last, so it runs first: the jobs stop while their panels and the status bar still exist.
    this.register({ dispose: () => this.closeAll() });
  }

  /** Queues one image and opens its panel; returns the job id. */
  enqueue(request: JobRequest): string {
    const contentName = path.basename(request.content);
    const record = new JobRecord({
      job: {
        id: '', contentName, styleName: request.style.label, contentSrc: '', styleSrc: '',
        contentPath: request.content, stylePath: request.style.path, outputPath: '', status: 'queued',
      },
      losses: [],
    });
    const id = this.queue.add({ request, record });
    // The id exists only now; a queued job's panel opens right away so the queue is visible.
    record.state = { ...record.state, job: { ...record.state.job, id } };
    this.records.set(id, record);
    this.openPanel(record);
    const position = this.queue.position(id);
    record.post({ type: 'status', status: position === 0 ? 'running' : 'queued', position: position || undefined });
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

  /** A panel VS Code restored after a reload: its job did not survive the reload, its state did. */
  revivePanel(panel: vscode.WebviewPanel, saved: unknown): void {
    const state = parsePanelState(saved, (why) => this.log.warn(`a restored panel was closed: ${why}`));
    if (!state) {
      panel.dispose(); // nothing we can show
      return;
    }
    const record = new JobRecord(restoredState(state));
    const { id } = state.job;
    record.panel = JobPanel.revive(panel, this.panelContext, record, (m) => this.handlePanelMessage(record, m));
    this.records.set(id, record);
    record.panel.onDidDispose(() => this.records.delete(id));
  }

  private handlePanelMessage(record: JobRecord, message: FromWebview): void {
    const { id, outputPath } = record.state.job;
    switch (message.type) {
      case 'ready':
        break; // the panel answers it with a snapshot
      case 'cancel':
        if (!this.cancel(id)) this.log.info(`cancel ${id}: the job is not running any more`);
        break;
      case 'open':
        if (fs.existsSync(outputPath)) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(outputPath));
        else void vscode.window.showWarningMessage(`Neural Style: ${outputPath} no longer exists.`);
        break;
      case 'reveal':
        void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(outputPath));
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
    record.panel = JobPanel.create(this.panelContext, record, (m) => this.handlePanelMessage(record, m));
  }

  private queueChanged(entry: QueueEntry<QueuedJob>): void {
    const { record } = entry.job;
    if (entry.state === 'queued') record.post({ type: 'status', status: 'queued', position: this.queue.position(entry.id) });
    if (entry.state === 'cancelled' && record.state.job.status === 'queued') record.post({ type: 'status', status: 'cancelled' });
    this.refreshStatusBar();
    void vscode.commands.executeCommand('setContext', 'neuralStyle.busy', !!this.queue.running || this.queue.queued.length > 0);
  }

  private refreshStatusBar(progress?: FromEngine<'progress'>): void {
    const running = this.queue.running;
    this.statusBar.update(running && {
      name: path.basename(running.job.request.content),
      fraction: progress ? progressFraction(progress) : undefined,
      etaMs: progress?.etaMs,
    }, this.queue.queued.length);
  }

  private async run({ request, record }: QueuedJob, id: string, signal: AbortSignal): Promise<void> {
    let job: PreparedJob;
    try {
      job = this.runner.prepare(id, request);
    } catch (e) {
      this.fail(record, id, 'invalid', (e as Error).message, e instanceof SettingsError ? e.setting : undefined);
      return;
    }
    const { options } = job.settings;
    record.post({ type: 'snapshot', state: { ...record.state, job: { ...record.state.job, status: 'running', position: undefined,
      outputPath: job.output, size: options.size, iterations: options.iterations } } });
    const started = Date.now();
    const title = `Stylizing ${path.basename(request.content)} as ${request.style.label}`;
    const outcome = await withJobNotification(title, () => this.queue.cancel(id), (report) => this.runner.execute(job, signal, {
      progress: (p) => {
        const { type: _type, id: _id, ...progress } = p;
        record.post({ type: 'progress', progress });
        this.refreshStatusBar(p);
        report(p);
      },
      preview: (p) => record.post({ type: 'preview', step: p.step, src: `data:image/png;base64,${p.png}` }),
    }));
    this.finish(record, job, outcome, Date.now() - started);
  }

  private finish(record: JobRecord, job: PreparedJob, outcome: EngineOutcome, ms: number): void {
    const { id } = job;
    switch (outcome.kind) {
      case 'done': {
        const { done } = outcome;
        this.log.info(`${id}: done in ${formatDuration(done.elapsedMs)} (${done.steps} iterations on ${done.backend}); wrote ${done.output}`);
        record.post({ type: 'done', done: { outputSrc: '', outputName: path.basename(done.output), elapsedMs: done.elapsedMs, steps: done.steps, backend: done.backend } });
        if (job.settings.output.openWhenDone) this.openResult(record, done.output);
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
        this.fail(record, id, outcome.kind, outcome.message);
        break;
    }
  }

  /** Next to the panel, not over it: the panel has the before/after view. */
  private openResult(record: JobRecord, output: string): void {
    const panelColumn = record.panel?.isDisposed ? undefined : record.panel?.panel.viewColumn;
    const viewColumn = panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
    void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(output), { preview: false, viewColumn, preserveFocus: true });
  }

  private fail(record: JobRecord, id: string, outcome: 'invalid' | 'error' | 'crashed', message: string, setting?: string): void {
    this.log.error(`${id}: ${message}`);
    record.post({ type: 'failed', message });
    this.onDidFinishEmitter.fire({ id, outcome, message });
    void showJobError(message, this.log, setting);
  }

  private closeAll(): void {
    this.queue.cancelAll();
    for (const record of this.records.values()) record.panel?.dispose();
  }
}
