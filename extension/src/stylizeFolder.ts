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

const count = (n: number) => `${n} image${n === 1 ? '' : 's'}`;

/** The photos to stylize, after asking whether to include subfolders; undefined when dismissed or there are none. */
export async function folderPhotos(folder: string): Promise<string[] | undefined> {
  const flat = imagesInFolder(folder, false);
  const deep = imagesInFolder(folder, true);
  const name = path.basename(folder);
  let chosen = flat;
  if (deep.images.length > flat.images.length) {
    const items: Scope[] = [
      { label: `Only ${name}`, description: count(flat.images.length), recursive: false },
      { label: `${name} and its subfolders`, description: `${count(deep.images.length)}${deep.truncated ? ` (the first ${MAX_FOLDER_IMAGES})` : ''}`, recursive: true },
    ];
    const scope = await vscode.window.showQuickPick(items, { title: `Neural Style: stylize the images in ${name}` });
    if (!scope) return undefined;
    chosen = scope.recursive ? deep : flat;
  }
  const skipped = chosen.results ? ` (${count(chosen.results)} made by Neural Style left out)` : '';
  if (!chosen.images.length) {
    void vscode.window.showWarningMessage(`Neural Style: ${name} has no images to stylize${skipped}.`);
    return undefined;
  }
  if (chosen.truncated) void vscode.window.showWarningMessage(`Neural Style: ${name} has more than ${MAX_FOLDER_IMAGES} images; the first ${MAX_FOLDER_IMAGES} are queued.`);
  else if (skipped) void vscode.window.setStatusBarMessage(`Neural Style: ${count(chosen.images.length)} of ${name}${skipped}`, 8000);
  return chosen.images;
}
