/** What a job tells the user outside its panel: a progress notification while it runs, an error when it fails. */
import * as vscode from 'vscode';
import { progressFraction, type FromEngine } from '@neural-style/engine/protocol';
import { formatDuration } from '@neural-style/engine/options';
import type { BatchSummary } from './batch';
import { QUEUE_VIEW } from './queueView';

export type ReportProgress = (progress: FromEngine<'progress'>) => void;

/** A cancellable notification that follows one job until `work` settles. */
export function withJobNotification<T>(title: string, cancel: () => void, work: (report: ReportProgress) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    token.onCancellationRequested(cancel);
    let reported = 0;
    return work((p) => {
      const fraction = progressFraction(p);
      progress.report({
        increment: Math.max(0, (fraction - reported) * 100),
        message: vscode.l10n.t('{0}/{1} · scale {2}/{3} · {4} left', p.step, p.totalSteps, p.scale, p.scales, formatDuration(p.etaMs)),
      });
      reported = fraction;
    });
  });
}

/** The first line of `message`, with Show Log and, for a bad setting, Open Settings on it. */
export async function showJobError(message: string, log: vscode.LogOutputChannel, setting?: string): Promise<void> {
  const openSettings = vscode.l10n.t('Open Settings'), showLog = vscode.l10n.t('Show Log');
  const actions = setting ? [openSettings, showLog] : [showLog];
  const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Neural Style: {0}', message.split('\n')[0]), ...actions);
  if (choice === showLog) log.show(true);
  if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', setting);
}

/** How a batch went, once its last job has ended: Show Queue leads to each result and error. */
export async function showBatchSummary(summary: BatchSummary, log: vscode.LogOutputChannel): Promise<void> {
  const { total, done, failed, cancelled, elapsedMs } = summary;
  const parts = [
    vscode.l10n.t('{0} of {1} made in {2}', done, total, formatDuration(elapsedMs)),
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
  const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Neural Style: {0}', message.split('\n')[0]), onCpu, showLog);
  if (choice === showLog) log.show(true);
  return choice === onCpu;
}
