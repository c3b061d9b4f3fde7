/**
 * Neural Style for VS Code: activation wires the commands, the job manager,
 * the log and the panel serializer. Compute runs in engine processes, or in a
 * job's panel on the GPU (webviewRunner.ts); never on the extension host.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { killAllEngines, liveEnginePids } from './engineProcess';
import { JobManager } from './jobs';
import { registerQueueView } from './queueView';
import { QueueStore } from './savedQueue';
import { panelTraffic, VIEW_TYPE } from './panel';
import { findResources } from './resources';
import { offeredStyles, StyleMemory } from './stylePicker';

/** What activate returns: used by the integration tests. */
export interface NeuralStyleApi {
  /** The window's job manager (a new one after `reload`). */
  readonly jobs: JobManager;
  panelTraffic: typeof panelTraffic.event;
  liveEnginePids: typeof liveEnginePids;
  /**
   * What a window reload does to the jobs, for the tests (the rig cannot reload its window and keep the test
   * running): the job manager goes as at deactivate, a new one reads the saved queue and resumes it. Its ids.
   */
  reload(): string[];
}

export function activate(context: vscode.ExtensionContext): NeuralStyleApi {
  // The modules without `vscode` (and shared/, which the webview shares) say their words through @vscode/l10n.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const log = vscode.window.createOutputChannel('Neural Style', { log: true });
  const resources = findResources(context.extensionUri.fsPath, context.extensionMode !== vscode.ExtensionMode.Production);
  log.info(`Neural Style ${context.extension.packageJSON.version}: engine ${resources.workerPath} (${resources.packaged ? 'bundled' : 'from the repository'}), Node ${process.version}`);
  const store = new QueueStore(context.workspaceState, (why) => log.warn(why));
  const memory = new StyleMemory(context.globalState);
  const offered = () => offeredStyles(resources.presetsDir, memory);
  let jobs = new JobManager(context.extensionUri, resources, log, store, offered);
  context.subscriptions.push(log, { dispose: () => jobs.dispose() }, panelTraffic, { dispose: killAllEngines });
  registerCommands(context, () => jobs, resources, memory, log);
  const queueView = registerQueueView(context, () => jobs);
  const watchJobs = () => context.subscriptions.push(jobs.onDidChangeJobs(() => queueView.refresh()));
  watchJobs();

  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
      jobs.revivePanel(panel, saved);
    },
  }));
  jobs.resumeAfterReload();
  return {
    get jobs() { return jobs; },
    panelTraffic: panelTraffic.event,
    liveEnginePids,
    reload() {
      jobs.dispose();
      jobs = new JobManager(context.extensionUri, resources, log, store, offered);
      watchJobs();
      return jobs.resumeAfterReload();
    },
  };
}

export function deactivate(): void {
  // Closing the window must leave no engine process behind.
  killAllEngines();
}
