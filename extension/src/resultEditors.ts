/**
 * Results in editors: next to their panel, and opened when a job is done as its settings say (a clip's animation in
 * VS Code's image preview, which plays GIF and WebP; its folder of frames revealed in the Explorer).
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { JobChange } from './jobChange';
import { editorTabs, VIEW_TYPE } from './panel';
import { resultColumn } from './panelPlacement';
import type { ExtensionSettings } from './settingsSchema';

/**
 * In the panel's group, as a tab beside it: a result opened in another group
 * spread a batch's panels and results over two or three groups and squeezed
 * the panel to half the width.
 */
export function openResultBeside(panel: vscode.WebviewPanel | undefined, output: string): void {
  // A clip painted into a folder has no editor: its frames are shown where they are, in the Explorer.
  if (fs.statSync(output, { throwIfNoEntry: false })?.isDirectory()) {
    void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(output));
    return;
  }
  const viewColumn = resultColumn(panel?.viewColumn, editorTabs(), VIEW_TYPE);
  const options = { preview: false, viewColumn, preserveFocus: true };
  void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(output), options);
}

type OpenSettings = Pick<ExtensionSettings, 'openWhenDone' | 'openEachInBatch'>;

/**
 * Opens a job's result when it is done (openWhenDone). A batch opens one
 * result editor unless asked for each; its other results are in their panels
 * and the queue view.
 */
export class ResultEditors {
  /** The running jobs' settings, read when each started. */
  private readonly settings = new Map<string, OpenSettings>();

  /** `claim`: true for the first result of the batch `key` only; `panelOf`: job `id`'s open panel. */
  constructor(private readonly claim: (key: string) => boolean,
    private readonly panelOf: (id: string) => vscode.WebviewPanel | undefined) {}

  onChange(change: JobChange): void {
    if (change.kind === 'running') this.settings.set(change.id, change.job.settings);
    if (change.kind !== 'ended') return;
    const settings = this.settings.get(change.id);
    this.settings.delete(change.id);
    if (change.end.outcome !== 'done' || !settings?.openWhenDone) return;
    if (!change.batch || settings.openEachInBatch || this.claim(change.batch.key)) {
      openResultBeside(this.panelOf(change.id), change.end.output);
    }
  }
}
