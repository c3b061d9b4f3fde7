/**
 * *Stylize as Animation…*: a folder of frames (in their names' natural
 * order), an animated GIF, WebP or PNG, or a video (mp4, mov, …: the engine
 * reads it through ffmpeg), painted frame by frame as one clip job in
 * the one queue, on the warm engine. The host reads no pixels: whether a GIF
 * or WebP has more than one frame is the engine's check, which refuses a still
 * picture with its own words.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { ANIMATION_EXTENSIONS, isAnimationPath, VIDEO_EXTENSIONS } from './clipOutput';
import type { CommandKit } from './commands';
import { isImagePath } from './resources';
import { fileChoice, pickStyle } from './stylePicker';

/** The clip the command was run on: the explorer's folder or file, else one the user picks; undefined when none. */
async function clipSource(clicked: unknown): Promise<string | undefined> {
  const given = clicked instanceof vscode.Uri && clicked.scheme === 'file' ? clicked.fsPath : undefined;
  const source = given ?? (await vscode.window.showOpenDialog({
    canSelectFiles: true, canSelectFolders: true, canSelectMany: false, openLabel: vscode.l10n.t('Stylize as Animation'),
    filters: { [vscode.l10n.t('Animations')]: [...ANIMATION_EXTENSIONS, ...VIDEO_EXTENSIONS] },
  }))?.[0]?.fsPath;
  if (source === undefined) return undefined;
  if (fs.statSync(source, { throwIfNoEntry: false })?.isDirectory() || isAnimationPath(source)) return source;
  void vscode.window.showWarningMessage(vscode.l10n.t(
    'Neural Style: {0} is no animation: choose a folder of frames, an animated GIF, WebP or PNG, or a video.',
    path.basename(source)));
  return undefined;
}

/** Registers the command; it returns the job's id (undefined when nothing was queued). */
export function registerClipCommand({ register, jobsOf, resources, memory }: CommandKit): void {
  // From the explorer (clicked); from a keybinding or another extension also (clip, style image).
  register('neuralStyle.stylizeAnimation', async (clicked, styleImage) => {
    const source = await clipSource(clicked);
    if (!source) return undefined;
    const given = styleImage instanceof vscode.Uri && styleImage.scheme === 'file' && isImagePath(styleImage.fsPath)
      ? fileChoice(styleImage.fsPath, resources.presetsDir) : undefined;
    const style = given ?? await pickStyle(resources.presetsDir, memory, [source]);
    if (!style) return undefined;
    void memory.remember(style);
    return jobsOf().enqueue({ content: source, style, clip: {} });
  });
}
