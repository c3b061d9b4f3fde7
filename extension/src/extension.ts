/**
 * Neural Style for VS Code: activation wires the commands, the job manager,
 * the log and the panel serializer. Compute runs in engine processes only.
 */
import * as vscode from 'vscode';
import { parsePanelState } from '../shared/protocol';
import { restoredState } from '../shared/state';
import { registerCommands } from './commands';
import { killAllEngines, liveEnginePids } from './engineProcess';
import { JobManager } from './jobs';
import { JobPanel, panelTraffic, setPanelLog, VIEW_TYPE } from './panel';
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
  setPanelLog(log);
  const resources = findResources(context.extensionUri.fsPath, context.extensionMode !== vscode.ExtensionMode.Production);
  log.info(`Neural Style ${context.extension.packageJSON.version}: engine ${resources.workerPath} (${resources.packaged ? 'bundled' : 'from the repository'}), Node ${process.version}`);
  const jobs = new JobManager(context.extensionUri, resources, log);
  const memory = new StyleMemory(context.globalState);
  context.subscriptions.push(log, jobs, panelTraffic, { dispose: killAllEngines });
  registerCommands(context, jobs, resources, memory, log);

  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
      const state = parsePanelState(saved);
      if (!state) {
        panel.dispose(); // nothing we can show
        return;
      }
      const revived = JobPanel.revive(panel, context.extensionUri, resources.presetsDir, restoredState(state), (p, m) => jobs.handlePanelMessage(p.state, m));
      context.subscriptions.push(revived);
    },
  }));
  return { jobs, panelTraffic: panelTraffic.event, liveEnginePids };
}

export function deactivate(): void {
  // Closing the window must leave no engine process behind.
  killAllEngines();
}
