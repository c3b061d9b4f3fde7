/**
 * The style picker: built-in presets (public-domain paintings shipped with the
 * extension), recently used styles, images in the workspace, and Browse….
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { IMAGE_EXTENSIONS, IMAGE_GLOB, Preset, readPresets } from './resources';

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

export class StyleMemory {
  constructor(private readonly state: vscode.Memento) {}

  get last(): StyleChoice | undefined {
    const last = this.state.get<StyleChoice>(LAST_KEY);
    return last && fs.existsSync(last.path) ? last : undefined;
  }

  get recent(): StyleChoice[] {
    return (this.state.get<StyleChoice[]>(RECENT_KEY) ?? []).filter((c) => fs.existsSync(c.path));
  }

  async remember(choice: StyleChoice): Promise<void> {
    const recent = [choice, ...this.recent.filter((c) => c.path !== choice.path)].slice(0, MAX_RECENT);
    await this.state.update(RECENT_KEY, recent);
    await this.state.update(LAST_KEY, choice);
  }
}

interface StyleItem extends vscode.QuickPickItem {
  choice?: StyleChoice;
  browse?: boolean;
}

async function workspaceImages(exclude: string[]): Promise<vscode.Uri[]> {
  if (!vscode.workspace.isTrusted || !vscode.workspace.workspaceFolders?.length) return [];
  const found = await vscode.workspace.findFiles(IMAGE_GLOB, '**/node_modules/**', 200);
  return found.filter((u) => !exclude.includes(u.fsPath)).sort((a, b) => a.fsPath.localeCompare(b.fsPath)).slice(0, 50);
}

/** Shows the picker; undefined when dismissed. `exclude`: the images being stylized. */
export async function pickStyle(presetsDir: string, memory: StyleMemory, exclude: string[] = []): Promise<StyleChoice | undefined> {
  const items: StyleItem[] = [];
  const presets = readPresets(presetsDir);
  items.push({ label: 'Paintings', kind: vscode.QuickPickItemKind.Separator });
  for (const p of presets) {
    items.push({
      label: p.name, description: `${p.artist}, ${p.year}`, detail: p.licence,
      iconPath: vscode.Uri.file(path.join(presetsDir, p.file)), choice: presetChoice(presetsDir, p),
    });
  }
  const recent = memory.recent.filter((c) => !presets.some((p) => p.id === c.id && presetChoice(presetsDir, p).path === c.path));
  if (recent.length) {
    items.push({ label: 'Recently used', kind: vscode.QuickPickItemKind.Separator });
    for (const c of recent) items.push({ label: c.label, description: vscode.workspace.asRelativePath(c.path), iconPath: vscode.Uri.file(c.path), choice: c });
  }
  const images = await workspaceImages(exclude);
  if (images.length) {
    items.push({ label: 'Images in the workspace', kind: vscode.QuickPickItemKind.Separator });
    for (const u of images) {
      items.push({ label: path.basename(u.fsPath), description: vscode.workspace.asRelativePath(path.dirname(u.fsPath)), iconPath: u, choice: fileChoice(u.fsPath, presetsDir, presets) });
    }
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(folder-opened) Browse…', description: 'Any image file', browse: true });

  const picked = await vscode.window.showQuickPick(items, { title: 'Neural Style: pick a style', placeHolder: 'A painting, or any image whose style to copy', matchOnDescription: true });
  if (!picked) return undefined;
  if (!picked.browse) return picked.choice;
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Use as style', filters: { Images: IMAGE_EXTENSIONS } });
  return uris?.[0] ? fileChoice(uris[0].fsPath, presetsDir, presets) : undefined;
}
