/**
 * "Save as defaults" in a panel: the user picks the user's or the
 * workspace's settings, and the controls are written there (settingWrites
 * says what goes where; a machine-scoped setting never goes to a workspace).
 */
import * as vscode from 'vscode';
import { checkControls, Controls, settingWrites, SettingsTarget } from '../shared/controls';
import { SECTION, settingSpecs } from './settingsSchema';

const machineScoped = new Set(settingSpecs().filter(([, spec]) => spec.scope === 'machine').map(([name]) => name as string));

async function pickTarget(): Promise<SettingsTarget | undefined> {
  const items: Array<vscode.QuickPickItem & { target: SettingsTarget }> = [
    { label: 'User settings', description: 'every window', target: 'user' },
  ];
  if (vscode.workspace.workspaceFolders?.length) items.push({ label: 'Workspace settings', description: 'this workspace only', target: 'workspace' });
  const picked = await vscode.window.showQuickPick(items, { title: 'Neural Style: save the panel\'s values as the defaults in…' });
  return picked?.target;
}

/** Resolves to what was written where, or undefined when the user cancelled; bad values are reported, nothing is written. */
export async function saveAsDefaults(contentPath: string, controls: Controls, log: vscode.LogOutputChannel): Promise<string | undefined> {
  try {
    checkControls(controls);
  } catch (e) {
    void vscode.window.showErrorMessage(`Neural Style: nothing saved. ${(e as Error).message}`);
    return undefined;
  }
  const chosen = await pickTarget();
  if (!chosen) return undefined;
  const writes = settingWrites(controls, chosen, (name) => machineScoped.has(name));
  const config = vscode.workspace.getConfiguration(SECTION, vscode.Uri.file(contentPath));
  for (const w of writes) {
    await config.update(w.name, w.value, w.target === 'user' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace);
  }
  const where = chosen === 'user' ? 'user settings' : 'workspace settings';
  const summary = `saved ${writes.map((w) => `${SECTION}.${w.name} = ${JSON.stringify(w.value)}`).join(', ')} to the ${where}`;
  log.info(summary);
  void vscode.window.showInformationMessage(`Neural Style: the panel's values are now the defaults in your ${where}.`);
  return summary;
}
