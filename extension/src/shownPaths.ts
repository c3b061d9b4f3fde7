/**
 * A message about a file, as the user reads it: the workspace's own files by
 * their workspace-relative names ("batch/broken.jpg"), not by the absolute
 * paths the engine names them by. Pure: the caller passes the folders.
 */
import * as path from 'path';

/** `message` with each path inside one of `folders` made relative to it (the longest folder first). */
export function withRelativePaths(message: string, folders: readonly string[], sep = path.sep): string {
  const longestFirst = [...folders].sort((a, b) => b.length - a.length);
  return longestFirst.reduce((text, folder) => {
    const prefix = folder.endsWith(sep) ? folder : folder + sep;
    return text.split(prefix).join('');
  }, message);
}
