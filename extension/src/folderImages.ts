/**
 * The photos of a folder, for *Stylize Images in Folder…*: image files by
 * name, without results of Neural Style (they would be painted over again),
 * the region masks its panel saved beside a photo, hidden folders or
 * node_modules; sorted, so a batch runs in a stable order.
 * Symbolic links are not followed: a folder's batch stays inside it.
 * Pure: no `vscode`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isImagePath } from './resources';
import { isMadeByNeuralStyle } from './resultFiles';

/** More than this is refused: a batch of thousands is a mistake more often than a wish. */
export const MAX_FOLDER_IMAGES = 500;

export interface FolderImages {
  images: string[];
  /** Results and region masks of Neural Style that were left out. */
  results: number;
  /** Whether MAX_FOLDER_IMAGES was reached (the list is cut there). */
  truncated: boolean;
}

export function imagesInFolder(dir: string, recursive: boolean): FolderImages {
  const out: FolderImages = { images: [], results: 0, truncated: false };
  const visit = (folder: string) => {
    const entries = fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (out.truncated) return;
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (recursive && !entry.name.startsWith('.') && entry.name !== 'node_modules') visit(file);
      } else if (entry.isFile() && isImagePath(entry.name)) {
        if (isMadeByNeuralStyle(file)) out.results += 1;
        else if (out.images.length === MAX_FOLDER_IMAGES) out.truncated = true;
        else out.images.push(file);
      }
    }
  };
  visit(dir);
  return out;
}
