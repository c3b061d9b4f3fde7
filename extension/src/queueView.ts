/**
 * The queue view (Explorer → Neural Style Queue): every job of this window
 * with its status — its place in line, the running one's percentage, done,
 * failed, cancelled — and the commands on it: cancel one or all, move a
 * queued job up or down, show its panel, open its result.
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import { editorTabs, VIEW_TYPE } from './panel';
import { resultColumn } from './panelPlacement';
import { progressFraction } from '@neural-style/engine/protocol';
import type { PanelState } from '../shared/protocol';
import { jobName } from '../shared/state';
import type { JobManager } from './jobs';

export const QUEUE_VIEW = 'neuralStyle.queue';

/** What the item says after its name, and its icon. */
function statusOf(state: PanelState): { description: string; icon: string } {
  const { job, progress } = state;
  switch (job.status) {
    case 'queued': {
      const place = job.position ? vscode.l10n.t('#{0} in line', job.position) : vscode.l10n.t('queued');
      return { description: place, icon: 'clock' };
    }
    case 'running': {
      const percent = progress && `${Math.floor(progressFraction(progress) * 100)}%`;
      return { description: percent || vscode.l10n.t('starting'), icon: 'sync~spin' };
    }
    case 'done': return { description: vscode.l10n.t('done'), icon: 'pass' };
    case 'failed': return { description: vscode.l10n.t('failed'), icon: 'error' };
    case 'cancelled': return { description: vscode.l10n.t('cancelled'), icon: 'circle-slash' };
    case 'interrupted': return { description: vscode.l10n.t('interrupted by a reload'), icon: 'debug-pause' };
  }
}

export class QueueView implements vscode.TreeDataProvider<string> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  /** Where the running batch's progress shows, above the jobs. */
  treeView?: vscode.TreeView<string>;

  /** `batchLine`: the running batch's progress, as the batches say it. */
  constructor(private readonly jobsOf: () => JobManager, private readonly batchLine: () => string | undefined) {}

  refresh(): void {
    this.changed.fire();
    const batch = this.batchLine();
    if (this.treeView) this.treeView.message = batch && vscode.l10n.t('Batch: {0}', batch);
  }

  getChildren(element?: string): string[] {
    return element ? [] : this.jobsOf().jobStates.map((s) => s.job.id);
  }

  getTreeItem(id: string): vscode.TreeItem {
    const state = this.jobsOf().jobStates.find((s) => s.job.id === id);
    const item = new vscode.TreeItem(state ? jobName(state) : id);
    if (!state) return item;
    const { description, icon } = statusOf(state);
    item.id = id;
    item.description = description;
    item.iconPath = new vscode.ThemeIcon(icon);
    const styles = [state.job.stylePath, state.job.secondStyle?.path].filter(Boolean).join(' + ');
    item.tooltip = [
      state.job.contentPath, vscode.l10n.t('style: {0}', styles),
      ...(state.job.outputPath ? [vscode.l10n.t('result: {0}', state.job.outputPath)] : []),
      ...(state.error ? [state.error] : []),
    ].join('\n');
    // The menus in package.json pick their commands by this: job-queued, job-running, job-done, …
    item.contextValue = `job-${state.job.status}`;
    item.command = { command: 'neuralStyle.queue.show', title: vscode.l10n.t('Show Panel'), arguments: [id] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The view and its commands; `jobsOf` is looked up on each call (a test's reload replaces the manager). */
export function registerQueueView(context: vscode.ExtensionContext, jobsOf: () => JobManager,
  batchLine: () => string | undefined): QueueView {
  const view = new QueueView(jobsOf, batchLine);
  view.treeView = vscode.window.createTreeView(QUEUE_VIEW, { treeDataProvider: view });
  const idOf = (arg: unknown) => (typeof arg === 'string' ? arg : undefined);
  const move = (id: unknown, by: number) => jobsOf().queue.move(idOf(id) ?? '', by);
  context.subscriptions.push(
    view,
    view.treeView,
    vscode.commands.registerCommand('neuralStyle.queue.show', (id: unknown) => jobsOf().showPanel(idOf(id))),
    vscode.commands.registerCommand('neuralStyle.queue.cancel', (id: unknown) => idOf(id) !== undefined
      && jobsOf().cancel(idOf(id))),
    vscode.commands.registerCommand('neuralStyle.queue.cancelAll', () => jobsOf().queue.cancelAll()),
    vscode.commands.registerCommand('neuralStyle.queue.moveUp', (id: unknown) => move(id, -1)),
    vscode.commands.registerCommand('neuralStyle.queue.moveDown', (id: unknown) => move(id, 1)),
    vscode.commands.registerCommand('neuralStyle.queue.openResult', (id: unknown) => {
      const output = jobsOf().jobStates.find((s) => s.job.id === idOf(id))?.job.outputPath;
      if (output && fs.existsSync(output)) {
        // In the panels' group, as a job's own Open does: not a new group per result.
        const viewColumn = resultColumn(undefined, editorTabs(), VIEW_TYPE);
        return vscode.commands.executeCommand('vscode.open', vscode.Uri.file(output), { viewColumn });
      }
      return vscode.window.showWarningMessage(output ? vscode.l10n.t('Neural Style: {0} has no result on disk.', output)
        : vscode.l10n.t('Neural Style: this job has no result on disk.'));
    }),
  );
  return view;
}
