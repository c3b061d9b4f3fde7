/**
 * What a job tells the user outside its panel: a progress notification while
 * it runs out of sight, an error when it fails, how a batch went, the jobs a
 * reload interrupted.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { progressFraction, type FromEngine } from '@neural-style/engine/protocol';
import { formatDuration } from '@neural-style/engine/options';
import type { BatchSummary } from './batch';
import type { JobChange, JobOutcome } from './jobChange';
import { stylesLabelOf } from './jobRequest';
import { QUEUE_VIEW } from './queueView';
import { enlargedText, estimateText, worthAWarning } from '../shared/waitText';

export type ReportProgress = (progress: FromEngine<'progress'>) => void;
type Estimate = FromEngine<'plan'>['estimate'];
interface Following { report: ReportProgress; plan(estimate: Estimate): void; end(): void }

/** What the notifications ask of the jobs. */
export interface NotifiedJobs {
  /** Whether job `id`'s panel is visible. */
  inSight(id: string): boolean;
  cancel(id: string): boolean;
  runOnCpu(id: string): void;
  /** The job again at `size` px (its photo's own size). */
  runAtSize(id: string, size: number): void;
}

/** A run estimated longer than this gets a word before it goes on (an enlarged photo always does). */
export const LONG_RUN_MS = 10 * 60_000;

/**
 * A cancellable notification follows each running job whose panel is out of
 * sight (one would cover the panel's Cancel and chart; the status bar shows
 * every job), until the job ends; a job that failed says so.
 */
export class JobNotifications {
  private readonly following = new Map<string, Following>();

  constructor(private readonly jobs: NotifiedJobs, private readonly log: vscode.LogOutputChannel) {}

  onChange(change: JobChange): void {
    switch (change.kind) {
      case 'running': {
        if (this.jobs.inSight(change.id)) return;
        const { request } = change.job;
        const name = path.basename(request.content);
        const styles = stylesLabelOf(request);
        const title = change.batch
          ? vscode.l10n.t('Stylizing {0} as {1} ({2} of {3})', name, styles, change.batch.index, change.batch.size)
          : vscode.l10n.t('Stylizing {0} as {1}', name, styles);
        this.following.set(change.id, jobNotification(title, () => this.jobs.cancel(change.id)));
        return;
      }
      case 'plan':
        this.following.get(change.id)?.plan(change.estimate);
        if (worthAWarning(change.estimate, LONG_RUN_MS)) void this.warn(change.id, change.estimate);
        return;
      case 'progress':
        this.following.get(change.id)?.report(change.progress);
        return;
      case 'ended':
        this.following.get(change.id)?.end();
        this.following.delete(change.id);
        this.showEnd(change.id, change.end);
        return;
    }
  }

  dispose(): void {
    for (const { end } of this.following.values()) end();
    this.following.clear();
  }

  /**
   * Before a long run goes far, or one that enlarges its photo: what it will take, with the photo's own size
   * (when it is smaller) and Cancel to choose instead. The run goes on meanwhile: its first scale is the cheapest.
   */
  private async warn(id: string, estimate: Estimate): Promise<void> {
    const photo = Math.max(estimate.content.width, estimate.content.height);
    const atPhoto = vscode.l10n.t('Paint at {0} px (the photo\'s size)', photo);
    const cancel = vscode.l10n.t('Cancel the run');
    const words = [enlargedText(estimate), estimateText(estimate, formatDuration)].filter(Boolean).join(' ');
    const choices = estimate.upscaled ? [atPhoto, cancel] : [cancel];
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Neural Style: {0}', words), ...choices);
    if (choice === atPhoto) this.jobs.runAtSize(id, photo);
    else if (choice === cancel) this.jobs.cancel(id);
  }

  private showEnd(id: string, end: JobOutcome): void {
    if (end.outcome === 'error' && end.code === 'EGPULOST') {
      void showGpuLostError(end.message, this.log).then((again) => again && this.jobs.runOnCpu(id));
    } else if (end.outcome === 'invalid') {
      void showJobError(end.message, this.log, end.setting);
    } else if (end.outcome === 'error' || end.outcome === 'crashed') {
      void showJobError(end.message, this.log);
    } else if (end.outcome === 'cancelled' && end.framesKept) {
      void showFramesKept(end.framesKept);
    }
  }
}

/** A cancellable notification of one job's progress (its estimate before the first), until `end`. */
function jobNotification(title: string, cancel: () => void): Following {
  let end = () => undefined as void;
  const ended = new Promise<void>((resolve) => { end = resolve; });
  let report: ReportProgress = () => undefined;
  let plan = (_estimate: Estimate) => undefined as void;
  const options = { location: vscode.ProgressLocation.Notification, title, cancellable: true };
  void vscode.window.withProgress(options, (progress, token) => {
    token.onCancellationRequested(cancel);
    let reported = 0;
    plan = (estimate) => progress.report({ message: estimateText(estimate, formatDuration) });
    report = (p) => {
      const fraction = progressFraction(p);
      const steps = vscode.l10n.t('{0}/{1} · scale {2}/{3} · {4} left', p.step, p.totalSteps, p.scale, p.scales,
        formatDuration(p.etaMs));
      // A clip's time left is the whole clip's: say which frame the steps are of.
      const message = p.frames ? vscode.l10n.t('Frame {0} of {1} · {2}', p.frame ?? 0, p.frames, steps) : steps;
      progress.report({ increment: Math.max(0, (fraction - reported) * 100), message });
      reported = fraction;
    };
    return ended;
  });
  return { report: (p) => report(p), plan: (e) => plan(e), end: () => end() };
}

/** An error's first line, as a notification says it (the log has the rest). */
const firstLine = (message: string) => vscode.l10n.t('Neural Style: {0}', message.split('\n')[0]);

/** The first line of `message`, with Show Log and, for a bad setting, Open Settings on it. */
export async function showJobError(message: string, log: vscode.LogOutputChannel, setting?: string): Promise<void> {
  const openSettings = vscode.l10n.t('Open Settings'), showLog = vscode.l10n.t('Show Log');
  const actions = setting ? [openSettings, showLog] : [showLog];
  const choice = await vscode.window.showErrorMessage(firstLine(message), ...actions);
  if (choice === showLog) log.show(true);
  if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', setting);
}

/** How a batch went, once its last job has ended: Show Queue leads to each result and error. */
export async function showBatchSummary(summary: BatchSummary, log: vscode.LogOutputChannel): Promise<void> {
  const { total, made, failed, cancelled, elapsedMs } = summary;
  const parts = [
    vscode.l10n.t('{0} of {1} made in {2}', made, total, formatDuration(elapsedMs)),
    failed ? vscode.l10n.t('{0} failed', failed) : '',
    cancelled ? vscode.l10n.t('{0} cancelled', cancelled) : '',
  ].filter(Boolean);
  const text = vscode.l10n.t('Neural Style: the batch is over: {0}.', parts.join(', '));
  const show = failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const showQueue = vscode.l10n.t('Show Queue'), showLog = vscode.l10n.t('Show Log');
  const choice = await show(text, showQueue, ...(failed ? [showLog] : []));
  if (choice === showQueue) void vscode.commands.executeCommand(`${QUEUE_VIEW}.focus`);
  if (choice === showLog) log.show(true);
}

/** A lost GPU context or device: the error with "Run on CPU instead"; resolves true when the user chose it. */
export async function showGpuLostError(message: string, log: vscode.LogOutputChannel): Promise<boolean> {
  const onCpu = vscode.l10n.t('Run on CPU instead'), showLog = vscode.l10n.t('Show Log');
  const choice = await vscode.window.showErrorMessage(firstLine(message), onCpu, showLog);
  if (choice === showLog) log.show(true);
  return choice === onCpu;
}

/** A cancelled clip: its finished frames stay, and where they are is one click away. */
async function showFramesKept(folder: string): Promise<void> {
  const reveal = vscode.l10n.t('Reveal in Explorer');
  const says = vscode.l10n.t('Neural Style: the animation was cancelled; its finished frames are kept in {0}.',
    vscode.workspace.asRelativePath(folder));
  if (await vscode.window.showInformationMessage(says, reveal) === reveal) {
    void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(folder));
  }
}

/** The jobs a reload interrupted are queued again: say so. */
export function showResumed(count: number): void {
  void vscode.window.showInformationMessage(count === 1
    ? vscode.l10n.t('Neural Style: the job that the reload interrupted runs again.')
    : vscode.l10n.t('Neural Style: {0} jobs that the reload interrupted run again.', count));
}
