/**
 * "Save as defaults" in a panel: the user picks the user's or the
 * workspace's settings, and the controls are written there (settingWrites
 * says what goes where; a machine-scoped setting never goes to a workspace).
 */
import * as vscode from 'vscode';
import { checkControls, Controls, type SettingWrite, settingWrites, SettingsTarget } from '../shared/controls';
import { SECTION, settingSpecs } from './settingsSchema';

const machineScoped = new Set(settingSpecs().filter(([, spec]) => spec.scope === 'machine').map(([name]) => name as string));

async function pickTarget(): Promise<SettingsTarget | undefined> {
  const items: Array<vscode.QuickPickItem & { target: SettingsTarget }> = [
    { label: vscode.l10n.t('User settings'), description: vscode.l10n.t('every window'), target: 'user' },
  ];
  if (vscode.workspace.workspaceFolders?.length) {
    items.push({ label: vscode.l10n.t('Workspace settings'), description: vscode.l10n.t('this workspace only'), target: 'workspace' });
  }
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Neural Style: save the panel\'s values as the defaults in…') });
  return picked?.target;
}

/**
 * Resolves to what was written where, or undefined when the user cancelled; bad values are reported, nothing is
 * written.
 */
export async function saveAsDefaults(contentPath: string, controls: Controls,
  log: vscode.LogOutputChannel): Promise<string | undefined> {
  try {
    checkControls(controls);
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Neural Style: nothing saved. {0}', (e as Error).message));
    return undefined;
  }
  const chosen = await pickTarget();
  if (!chosen) return undefined;
  const config = vscode.workspace.getConfiguration(SECTION, vscode.Uri.file(contentPath));
  const writes = settingWrites(controls, chosen, (name) => machineScoped.has(name), (name, target) => {
    const seen = config.inspect(name);
    return target === 'user' ? { current: seen?.globalValue, inherited: seen?.defaultValue }
      : { current: seen?.workspaceValue, inherited: seen?.globalValue ?? seen?.defaultValue };
  });
  for (const w of writes) {
    await config.update(w.name, w.value, w.target === 'user' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace);
  }
  // The summary is the log's line (and the tests'), so it stays in English.
  const said = (w: SettingWrite) => (w.value === undefined ? `removed ${SECTION}.${w.name}`
    : `${SECTION}.${w.name} = ${JSON.stringify(w.value)}`);
  const summary = writes.length ? `saved ${writes.map(said).join(', ')} to the ${chosen} settings`
    : `saved nothing: the ${chosen} settings say these values already`;
  log.info(summary);
  void vscode.window.showInformationMessage(chosen === 'user' ? vscode.l10n.t('Neural Style: the panel\'s values are now the defaults in your user settings.')
    : vscode.l10n.t('Neural Style: the panel\'s values are now the defaults in your workspace settings.'));
  return summary;
}
