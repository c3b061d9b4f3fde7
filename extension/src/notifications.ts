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
        message: `${p.step}/${p.totalSteps} · scale ${p.scale}/${p.scales} · ${formatDuration(p.etaMs)} left`,
      });
      reported = fraction;
    });
  });
}

/** The first line of `message`, with Show Log and, for a bad setting, Open Settings on it. */
export async function showJobError(message: string, log: vscode.LogOutputChannel, setting?: string): Promise<void> {
  const actions = setting ? ['Open Settings', 'Show Log'] : ['Show Log'];
  const choice = await vscode.window.showErrorMessage(`Neural Style: ${message.split('\n')[0]}`, ...actions);
  if (choice === 'Show Log') log.show(true);
  if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', setting);
}

/** How a batch went, once its last job has ended: Show Queue leads to each result and error. */
export async function showBatchSummary(summary: BatchSummary, log: vscode.LogOutputChannel): Promise<void> {
  const { total, done, failed, cancelled, elapsedMs } = summary;
  const parts = [`${done} of ${total} made in ${formatDuration(elapsedMs)}`, failed ? `${failed} failed` : '', cancelled ? `${cancelled} cancelled` : ''].filter(Boolean);
  const text = `Neural Style: the batch is over: ${parts.join(', ')}.`;
  const show = failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const choice = await show(text, 'Show Queue', ...(failed ? ['Show Log'] : []));
  if (choice === 'Show Queue') void vscode.commands.executeCommand(`${QUEUE_VIEW}.focus`);
  if (choice === 'Show Log') log.show(true);
}

/** A lost GPU context or device: the error with "Run on CPU instead"; resolves true when the user chose it. */
export async function showGpuLostError(message: string, log: vscode.LogOutputChannel): Promise<boolean> {
  const choice = await vscode.window.showErrorMessage(`Neural Style: ${message.split('\n')[0]}`, 'Run on CPU instead', 'Show Log');
  if (choice === 'Show Log') log.show(true);
  return choice === 'Run on CPU instead';
}
