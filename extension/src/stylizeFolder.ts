/**
 * *Stylize Images in Folder…*: one style for every photo of a folder (its
 * subfolders too, when asked). Each photo is its own job in the one queue,
 * so a failing file is reported on its own while the rest go on.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { imagesInFolder, MAX_FOLDER_IMAGES } from './folderImages';

interface Scope extends vscode.QuickPickItem {
  recursive: boolean;
}

const count = (n: number) => (n === 1 ? vscode.l10n.t('1 image') : vscode.l10n.t('{0} images', n));

/** The photos to stylize, after asking whether to include subfolders; undefined when dismissed or there are none. */
export async function folderPhotos(folder: string): Promise<string[] | undefined> {
  const flat = imagesInFolder(folder, false);
  const deep = imagesInFolder(folder, true);
  const name = path.basename(folder);
  let chosen = flat;
  if (deep.images.length > flat.images.length) {
    const items: Scope[] = [
      { label: vscode.l10n.t('Only {0}', name), description: count(flat.images.length), recursive: false },
      {
        label: vscode.l10n.t('{0} and its subfolders', name), recursive: true,
        description: deep.truncated ? vscode.l10n.t('{0} (the first {1})', count(deep.images.length), MAX_FOLDER_IMAGES) : count(deep.images.length),
      },
    ];
    const scope = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Neural Style: stylize the images in {0}', name) });
    if (!scope) return undefined;
    chosen = scope.recursive ? deep : flat;
  }
  const skipped = chosen.results ? ` ${vscode.l10n.t('({0} made by Neural Style left out)', count(chosen.results))}` : '';
  if (!chosen.images.length) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Neural Style: {0} has no images to stylize{1}.', name, skipped));
    return undefined;
  }
  if (chosen.truncated) void vscode.window.showWarningMessage(vscode.l10n.t('Neural Style: {0} has more than {1} images; the first {1} are queued.', name, MAX_FOLDER_IMAGES));
  else if (skipped) void vscode.window.setStatusBarMessage(vscode.l10n.t('Neural Style: {0} of {1}{2}', count(chosen.images.length), name, skipped), 8000);
  return chosen.images;
}
