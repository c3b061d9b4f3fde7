/**
 * Browse… in a panel's second style list: the user picks any image, which
 * joins the panel's choices (the host's list: the webview only ever names a
 * choice by its index) and is shown chosen.
 */
import * as vscode from 'vscode';
import { samePath } from '@neural-style/engine/file-names';
import type { JobRecord } from './jobRecord';
import { IMAGE_EXTENSIONS, isImagePath } from './resources';
import { fileChoice } from './stylePicker';

export async function browseSecondStyle(record: JobRecord, presetsDir: string): Promise<void> {
  const choices = record.state.styleChoices ?? [];
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false, openLabel: vscode.l10n.t('Use as Second Style'),
    filters: { [vscode.l10n.t('Images')]: IMAGE_EXTENSIONS }, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  const file = picked?.[0]?.scheme === 'file' ? picked[0].fsPath : undefined;
  if (!file || !isImagePath(file) || samePath(file, record.state.job.stylePath)) {
    // Nothing new: the list shows what it did before Browse… was chosen.
    record.post({ type: 'styleChoices', choices });
    return;
  }
  const known = choices.findIndex((c) => samePath(c.path, file));
  const next = known < 0 ? [...choices, fileChoice(file, presetsDir)] : choices;
  record.post({ type: 'styleChoices', choices: next, selected: known < 0 ? next.length - 1 : known });
}
