/**
 * The style picker: built-in presets (public-domain paintings shipped with the
 * extension), recently used styles, images in the workspace, and Browse….
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { samePath } from '@neural-style/engine/file-names';
import { IMAGE_EXTENSIONS, IMAGE_GLOB, Preset, readPresets } from './resources';
import { isResultFileAsync } from './resultFiles';

export interface StyleChoice {
  path: string;
  /** Short name for file names: the preset id or the file's name. */
  id: string;
  /** What people read: "The Starry Night" or "wave.jpg". */
  label: string;
}

const RECENT_KEY = 'neuralStyle.recentStyles';
const LAST_KEY = 'neuralStyle.lastStyle';
const MAX_RECENT = 6;

export function presetChoice(presetsDir: string, preset: Preset): StyleChoice {
  return { path: path.join(presetsDir, preset.file), id: preset.id, label: preset.name };
}

/** `presets`: already read (the picker lists up to 50 images; each would read presets.json again). */
export function fileChoice(file: string, presetsDir: string, presets: Preset[] = readPresets(presetsDir)): StyleChoice {
  const preset = presets.find((p) => path.join(presetsDir, p.file) === file);
  if (preset) return presetChoice(presetsDir, preset);
  return { path: file, id: path.basename(file, path.extname(file)), label: path.basename(file) };
}

/** A remembered choice as read back from the global state (outside data): its shape, and the file still there. */
function usable(value: unknown): value is StyleChoice {
  const c = value as Partial<StyleChoice> | null;
  return typeof c === 'object' && c !== null && typeof c.path === 'string' && path.isAbsolute(c.path)
    && typeof c.id === 'string' && typeof c.label === 'string' && fs.existsSync(c.path);
}

export class StyleMemory {
  constructor(private readonly state: vscode.Memento) {}

  get last(): StyleChoice | undefined {
    const last = this.state.get<unknown>(LAST_KEY);
    return usable(last) ? last : undefined;
  }

  get recent(): StyleChoice[] {
    const recent = this.state.get<unknown>(RECENT_KEY);
    return Array.isArray(recent) ? recent.filter(usable) : [];
  }

  async remember(choice: StyleChoice): Promise<void> {
    // One entry per file: on Windows and macOS C:\a\Wave.jpg and c:\a\wave.jpg are one file.
    const recent = [choice, ...this.recent.filter((c) => !samePath(c.path, choice.path))].slice(0, MAX_RECENT);
    await this.state.update(RECENT_KEY, recent);
    await this.state.update(LAST_KEY, choice);
  }
}

/**
 * The styles a panel offers as a second style: the presets, the remembered
 * ones, then the workspace's images (each once; the panel adds Browse…). No
 * search here: the panel's list is made whenever a job is queued, and must
 * cost nothing; the workspace's images come from WorkspaceStyles' last look.
 */
export function offeredStyles(presetsDir: string, memory: StyleMemory, workspace: StyleChoice[] = []): StyleChoice[] {
  const presets = readPresets(presetsDir).map((p) => presetChoice(presetsDir, p));
  const all = [...presets, ...memory.recent, ...workspace];
  return all.filter((c, i) => all.findIndex((d) => samePath(d.path, c.path)) === i);
}

/** The workspace's images that could be styles, as last found: looked for again, in the background, when stale. */
export class WorkspaceStyles {
  private found: StyleChoice[] = [];
  private lookedAt = 0;

  constructor(private readonly presetsDir: string, private readonly staleMs = 60_000) {}

  current(): StyleChoice[] {
    if (Date.now() - this.lookedAt > this.staleMs) {
      this.lookedAt = Date.now();
      void workspaceImages([]).then((uris) => {
        this.found = uris.slice(0, 20).map((u) => fileChoice(u.fsPath, this.presetsDir));
      }, () => undefined);
    }
    return this.found;
  }
}

interface StyleItem extends vscode.QuickPickItem {
  choice?: StyleChoice;
  browse?: boolean;
  /** The image the item's preview button opens. */
  image?: vscode.Uri;
}

/**
 * Where a style image lives, as people read it: its workspace folder and subfolder, else the folder with ~ for home.
 */
export function locationOf(file: string): string {
  const dir = path.dirname(file);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
  if (folder) {
    const inside = path.relative(folder.uri.fsPath, dir);
    return inside ? `${folder.name}/${inside.split(path.sep).join('/')}` : folder.name;
  }
  const home = os.homedir();
  return dir === home || dir.startsWith(home + path.sep) ? `~${dir.slice(home.length)}` : dir;
}

/** Images in the workspace that could be styles: not the photos being stylized, not results of Neural Style. */
async function workspaceImages(exclude: string[]): Promise<vscode.Uri[]> {
  if (!vscode.workspace.isTrusted || !vscode.workspace.workspaceFolders?.length) return [];
  const found = await vscode.workspace.findFiles(IMAGE_GLOB, '**/node_modules/**', 200);
  // Read without blocking the host: up to 200 heads of files.
  const results = await Promise.all(found.map((u) => isResultFileAsync(u.fsPath)));
  return found.filter((u, i) => !exclude.includes(u.fsPath) && !results[i])
    .sort((a, b) => a.fsPath.localeCompare(b.fsPath)).slice(0, 50);
}

const previewButton = (tooltip: string): vscode.QuickInputButton => ({ iconPath: new vscode.ThemeIcon('eye'), tooltip });

function presetItems(presetsDir: string, presets: Preset[]): StyleItem[] {
  return presets.map((p) => {
    const image = vscode.Uri.file(path.join(presetsDir, p.file));
    return { label: p.name, description: `${p.artist}, ${p.year}`, iconPath: image, image, choice: presetChoice(presetsDir, p),
      buttons: [previewButton(vscode.l10n.t('Look at it · {0}', p.licence))] };
  });
}

function fileItem(choice: StyleChoice): StyleItem {
  const image = vscode.Uri.file(choice.path);
  return { label: choice.label, description: locationOf(choice.path), iconPath: image, image, choice, buttons: [previewButton(vscode.l10n.t('Look at it'))] };
}

async function styleItems(presetsDir: string, memory: StyleMemory, exclude: string[]): Promise<StyleItem[]> {
  const presets = readPresets(presetsDir);
  const isPreset = (c: StyleChoice) => presets.some((p) => samePath(presetChoice(presetsDir, p).path, c.path));
  const recent = memory.recent.filter((c) => !isPreset(c));
  const images = (await workspaceImages(exclude)).filter((u) => !recent.some((c) => samePath(c.path, u.fsPath)));
  const section = (label: string, items: StyleItem[]): StyleItem[] => (items.length
    ? [{ label, kind: vscode.QuickPickItemKind.Separator }, ...items] : []);
  return [
    ...section(vscode.l10n.t('Paintings'), presetItems(presetsDir, presets)),
    ...section(vscode.l10n.t('Recently used'), recent.map(fileItem)),
    ...section(vscode.l10n.t('Images in the workspace'), images.map((u) => fileItem(fileChoice(u.fsPath, presetsDir, presets)))),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`, description: vscode.l10n.t('Any image file'), browse: true },
  ];
}

/** The quick pick, with a button on each style that opens the image beside (its icon is only 16 px). */
function showStylePick(items: StyleItem[]): Promise<StyleItem | undefined> {
  const pick = vscode.window.createQuickPick<StyleItem>();
  Object.assign(pick, { items, title: vscode.l10n.t('Neural Style: pick a style'), placeholder: vscode.l10n.t('A painting, or any image whose style to copy'), matchOnDescription: true });
  return new Promise((resolve) => {
    pick.onDidTriggerItemButton(({ item }) => {
      if (item.image) void vscode.commands.executeCommand('vscode.open', item.image, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    });
    pick.onDidAccept(() => { resolve(pick.selectedItems[0]); pick.hide(); });
    pick.onDidHide(() => { resolve(undefined); pick.dispose(); });
    pick.show();
  });
}

/** Shows the picker; undefined when dismissed. `exclude`: the images being stylized. */
export async function pickStyle(presetsDir: string, memory: StyleMemory,
  exclude: string[] = []): Promise<StyleChoice | undefined> {
  const picked = await showStylePick(await styleItems(presetsDir, memory, exclude));
  if (!picked) return undefined;
  if (!picked.browse) return picked.choice;
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Use as style'), filters: { [vscode.l10n.t('Images')]: IMAGE_EXTENSIONS } });
  return uris?.[0] ? fileChoice(uris[0].fsPath, presetsDir, readPresets(presetsDir)) : undefined;
}
