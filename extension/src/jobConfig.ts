/** The settings a job reads, from VS Code: those of its photo's workspace folder. */
import * as vscode from 'vscode';
import type { JobConfig } from './prepareJob';
import { SECTION } from './settingsSchema';

export function jobConfigOf(content: string): JobConfig {
  const uri = vscode.Uri.file(content);
  const config = vscode.workspace.getConfiguration(SECTION, uri);
  const inspected = config.inspect<string>('outputFolder');
  return {
    get: (name) => config.get(name),
    outputFolderFromWorkspace: (inspected?.workspaceFolderValue ?? inspected?.workspaceValue) !== undefined,
    workspaceFolder: vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath,
  };
}
