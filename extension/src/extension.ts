/**
 * Neural Style for VS Code: activation wires the commands, the job manager,
 * the log and the panel serializer. Compute runs in engine processes, or in a
 * job's panel on the GPU (webviewRunner.ts); never on the extension host.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { killAllEngines, liveEnginePids } from './engineProcess';
import { JobManager } from './jobs';
import { panelTraffic, VIEW_TYPE } from './panel';
import { findResources } from './resources';
import { StyleMemory } from './stylePicker';

/** What activate returns: used by the integration tests. */
export interface NeuralStyleApi {
  jobs: JobManager;
  panelTraffic: typeof panelTraffic.event;
  liveEnginePids: typeof liveEnginePids;
}

export function activate(context: vscode.ExtensionContext): NeuralStyleApi {
  const log = vscode.window.createOutputChannel('Neural Style', { log: true });
  const resources = findResources(context.extensionUri.fsPath, context.extensionMode !== vscode.ExtensionMode.Production);
  log.info(`Neural Style ${context.extension.packageJSON.version}: engine ${resources.workerPath} (${resources.packaged ? 'bundled' : 'from the repository'}), Node ${process.version}`);
  const jobs = new JobManager(context.extensionUri, resources, log);
  const memory = new StyleMemory(context.globalState);
  context.subscriptions.push(log, jobs, panelTraffic, { dispose: killAllEngines });
  registerCommands(context, jobs, resources, memory, log);

  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
      jobs.revivePanel(panel, saved);
    },
  }));
  return { jobs, panelTraffic: panelTraffic.event, liveEnginePids };
}

export function deactivate(): void {
  // Closing the window must leave no engine process behind.
  killAllEngines();
}
