/**
 * What a panel's webview asks of the host: compute messages go to the run in
 * it; the buttons (cancel, open, reveal, run again, save as defaults, the log,
 * the regions brush) act on the job the panel shows now.
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { BackendChoice } from '@neural-style/engine/options';
import { FromWebview, isFromCompute } from '../shared/protocol';
import type { Controls } from '../shared/controls';
import type { SecondStylePick } from '../shared/secondStyle';
import type { JobRecord } from './jobRecord';
import { JobPanel, type PanelContext } from './panel';
import { clearRegions, saveRegions } from './panelRegions';
import { openResultBeside } from './resultEditors';
import { saveAsDefaults } from './saveDefaults';

/** What the buttons do to the jobs, as the job manager provides it. */
export interface PanelActions {
  cancel(id: string): boolean;
  /** `backend`: instead of the setting (the CPU after a lost GPU, the GPU the panel offered). */
  runAgain(record: JobRecord, controls: Controls, backend: BackendChoice | undefined, second?: SecondStylePick): void;
  /** Asks for an image to offer as the record's second style (Browse… in its list). */
  browseSecondStyle(record: JobRecord): Promise<void>;
  /** The size of a photo as the engine reads it (oriented), measured off the extension host: masks must have it. */
  photoSize(file: string): Promise<{ width: number; height: number }>;
  log: vscode.LogOutputChannel;
}

/** Opens a record's panel, or makes one VS Code restored its; either hears its webview through handlePanelMessage. */
export function panelOpener(context: PanelContext, actions: PanelActions) {
  const handler = (record: JobRecord) => (message: FromWebview) => handlePanelMessage(record, message, actions);
  return {
    create: (record: JobRecord): JobPanel => JobPanel.create(context, record, handler(record)),
    revive: (panel: vscode.WebviewPanel, record: JobRecord): JobPanel =>
      JobPanel.revive(panel, context, record, handler(record)),
  };
}

export function handlePanelMessage(record: JobRecord, message: FromWebview, actions: PanelActions): void {
  if (isFromCompute(message)) {
    record.computeListeners.forEach((listener) => listener(message));
    return;
  }
  const { id } = record.state.job;
  switch (message.type) {
    case 'ready':
      // The panel answers it with a snapshot; a run in it learns that the webview (re)loaded.
      record.computeListeners.forEach((listener) => listener({ type: 'ready' }));
      break;
    case 'cancel':
      if (!actions.cancel(id)) actions.log.info(`cancel ${id}: the job is not running any more`);
      break;
    case 'open': {
      const output = outputOf(record, message.run);
      if (output && fs.existsSync(output)) openResultBeside(record.livePanel?.panel, output);
      else {
        void vscode.window.showWarningMessage(output ? vscode.l10n.t('Neural Style: {0} no longer exists.', output)
          : vscode.l10n.t('Neural Style: the result no longer exists.'));
      }
      break;
    }
    case 'reveal': {
      const output = outputOf(record, message.run);
      if (output) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(output));
      break;
    }
    case 'runAgain':
      actions.runAgain(record, message.controls, backendOf(record, message), message.secondStyle);
      break;
    case 'saveDefaults':
      void saveAsDefaults(record.state.job.contentPath, message.controls, actions.log);
      break;
    case 'showLog':
      actions.log.show(true);
      break;
    case 'browseSecondStyle':
      void actions.browseSecondStyle(record);
      break;
    case 'saveRegions':
      void saveRegions(record, message, actions);
      break;
    case 'clearRegions':
      clearRegions(record);
      break;
    default: {
      const never: never = message;
      actions.log.warn(`unhandled panel message ${JSON.stringify(never)}`);
    }
  }
}

/** A result's path from the host's own state (the message names only an index). */
function outputOf(record: JobRecord, run: number | undefined): string | undefined {
  if (run === undefined) return record.state.done ? record.state.job.outputPath : undefined;
  return record.state.history?.[run]?.outputPath;
}

/**
 * The backend a Run again asks for: the CPU, the GPU the panel offered (only the host's own offer), or the setting's.
 */
function backendOf(record: JobRecord, message: FromWebview<'runAgain'>): BackendChoice | undefined {
  if (message.onCpu) return 'wasm';
  return message.onGpu ? record.state.where?.gpuChoice?.backend : undefined;
}
