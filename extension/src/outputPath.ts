/**
 * Where a result goes: beside the source as `<name>.<style>.png` (or the
 * configured folder, pattern and format), never over an existing file:
 * a taken name gets `-1`, `-2`, … The name is free when the job starts; the
 * engine creates the file exclusively and, should another program take the
 * name meanwhile, the next free one (the job's ifExists "number"). Names are
 * ones every desktop takes (file-names.ts); on Windows and macOS a name that
 * differs only in case is taken. `platform` is the machine's unless a test
 * simulates another.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'fs';
import * as path from 'path';
import { pathFor, pathKey, portableFileName } from '@neural-style/engine/file-names';
import { extensionOf, OutputFormat } from '@neural-style/engine/options';

export interface OutputRequest {
  /** Absolute path of the content image. */
  content: string;
  /** The style's short name (preset id or the style file's name; stylesId for a blend). */
  style: string;
  folder: string;
  pattern: string;
  format: OutputFormat;
  /** Root of the workspace folder holding the content, for a relative output folder. */
  workspaceFolder?: string;
  /** Whose paths these are (a test simulates Windows or macOS); this machine's by default. */
  platform?: NodeJS.Platform;
}

/**
 * Safe file-name part on every desktop: no separators, control characters or spaces, no leading dots, no Windows device
 * name.
 */
export function slug(text: string): string {
  const cleaned = text.normalize('NFC').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').replace(/\s+/g, '_').replace(/^\.+/, '');
  return portableFileName(cleaned.slice(0, 80)) || 'style';
}

/**
 * The `${style}` of a blend: the styles' short names joined by "+"
 * ("starry-night+wave"), each made safe on its own so no name can eat into another.
 */
export function stylesId(ids: readonly string[]): string {
  return ids.map(slug).join('+');
}

/** The folder the result goes to. */
export function outputFolder(req: Pick<OutputRequest, 'content' | 'folder' | 'workspaceFolder' | 'platform'>): string {
  const p = pathFor(req.platform);
  if (!req.folder) return p.dirname(req.content);
  if (p.isAbsolute(req.folder)) return req.folder;
  return p.resolve(req.workspaceFolder ?? p.dirname(req.content), req.folder);
}

/**
 * Whether `inner` is `outer` or inside it: only a first part of exactly ".." leaves (a folder named "..results" is
 * inside; another drive is absolute).
 */
function isInside(p: path.PlatformPath, outer: string, inner: string): boolean {
  const relative = p.relative(outer, inner);
  return !p.isAbsolute(relative) && relative.split(p.sep)[0] !== '..';
}

/**
 * Where `file` really is: its deepest existing part resolved through
 * symbolic links (a dangling one leads where its target would be made), the
 * parts that do not exist yet as written.
 */
function realPathOf(file: string, links = 0): string {
  const missing: string[] = [];
  for (let at = path.resolve(file); ; at = path.dirname(at)) {
    try {
      return path.join(fs.realpathSync.native(at), ...missing);
    } catch {
      // Not there (yet), or a dangling link: read below.
    }
    let target: string | null = null;
    try {
      target = fs.readlinkSync(at);
    } catch {
      // Not a link.
    }
    if (target !== null && links < 40) return path.join(realPathOf(path.resolve(path.dirname(at), target),
      links + 1), ...missing);
    if (path.dirname(at) === at) return path.join(at, ...missing);
    missing.unshift(path.basename(at));
  }
}

/**
 * A workspace's outputFolder must stay inside that workspace, by its real
 * path: a cloned repository's settings (or a symbolic link committed in it)
 * must not send results anywhere on the machine. Absolute folders belong in
 * the user's settings. Returns what is wrong, or undefined.
 */
export function workspaceOutputFolderProblem(req: Pick<OutputRequest, 'content' | 'folder' | 'workspaceFolder' | 'platform'>): string | undefined {
  const p = pathFor(req.platform);
  const root = req.workspaceFolder ?? p.dirname(req.content);
  const folder = outputFolder(req);
  const value = JSON.stringify(req.folder.slice(0, 200));
  if (p.isAbsolute(req.folder) || !isInside(p, root, folder)) {
    return l10n.t('Setting {0}: the workspace\'s value {1} leads outside the workspace folder {2}. In workspace settings use a folder inside it (e.g. "stylized"); put other folders in your user settings.',
      'neuralStyle.outputFolder', value, root);
  }
  // The real path is this machine's: a simulated platform's paths are checked as written.
  if ((req.platform ?? process.platform) !== process.platform) return undefined;
  const real = realPathOf(folder);
  if (isInside(path, realPathOf(root), real)) return undefined;
  return l10n.t('Setting {0}: the workspace\'s value {1} leads outside the workspace folder {2} through a symbolic link (to {3}). Use a real folder inside the workspace, or put this folder in your user settings.',
    'neuralStyle.outputFolder', value, root, real);
}

/**
 * The name the pattern gives, before collision handling; `stem`: the `${name}` (default: the content's name less its
 * extension).
 */
export function baseName(req: Pick<OutputRequest, 'content' | 'style' | 'pattern' | 'platform'>, stem?: string): string {
  const p = pathFor(req.platform);
  const name = stem ?? p.basename(req.content, p.extname(req.content));
  const expanded = req.pattern.replace(/\$\{name\}/g, name).replace(/\$\{style\}/g, slug(req.style));
  return slug(expanded);
}

/**
 * The first free path: `<base><ext>`, then `<base>-1<ext>`, `<base>-2<ext>`, … Never the content
 * image, by any spelling the platform takes for it (`Cat.PNG` is `cat.png` on Windows and macOS).
 */
export function freeOutputPath(req: OutputRequest, exists: (file: string) => boolean): string {
  return firstFreePath(req, baseName(req), extensionOf(req.format), exists);
}

/** The first free `<base><ext>`, `<base>-1<ext>`, … in the request's output folder, never the content itself. */
export function firstFreePath(req: Omit<OutputRequest, 'format' | 'style' | 'pattern'>, base: string, ext: string,
  exists: (file: string) => boolean): string {
  const p = pathFor(req.platform);
  const dir = outputFolder(req);
  const input = pathKey(p.resolve(req.content), req.platform);
  for (let n = 0; n < 100000; n++) {
    const candidate = p.join(dir, `${base}${n === 0 ? '' : `-${n}`}${ext}`);
    if (pathKey(candidate, req.platform) !== input && !exists(candidate)) return candidate;
  }
  throw new Error(l10n.t('No free file name for {0} in {1}.', `${base}${ext}`, dir));
}
