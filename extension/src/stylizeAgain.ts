/**
 * *Stylize Again with Its Parameters*: a result PNG says what made it (file
 * names and options, resultFiles.ts); the photo and the style (or the two
 * styles of a blend) are looked up by name — beside the result, among the
 * presets and the remembered styles, then in the workspace — and the job is
 * queued with the picture's options, its blend weights with them, and the
 * masks of a picture painted in regions (beside its photo).
 * The backend stays the user's choice: it is a property of this machine.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { samePath } from '@neural-style/engine/file-names';
import { NeuralStyleError, type ResultParameters } from '@neural-style/engine/options';
import type { JobRequest } from './jobRequest';
import { IMAGE_EXTENSIONS, readPresets } from './resources';
import { readResultParameters, stylesToFind } from './resultFiles';
import { fileChoice, StyleMemory } from './stylePicker';

/**
 * Whether a name from a picture is one file name on this machine: the parser
 * kept it whole, and a backslash that is part of a name on Linux is a
 * separator on Windows (where such a name would lead out of its folder).
 */
const isPlainName = (name: string) => path.basename(name) === name;

/** Folders to look in first, nearest first; `name` is a file name from a picture (parseResultParameters checked it). */
export function findBeside(name: string, folders: readonly string[]): string | undefined {
  if (!isPlainName(name)) return undefined;
  return folders.map((dir) => path.join(dir, name)).find((file) => fs.existsSync(file) && fs.statSync(file).isFile());
}

async function findInWorkspace(name: string, near: string): Promise<string | undefined> {
  // A glob cannot say a backslash literally on every platform: such a name is located by the user.
  if (!vscode.workspace.workspaceFolders?.length || !isPlainName(name) || name.includes('\\')) return undefined;
  const glob = `**/${name.replace(/[[\]{}*?]/g, '[$&]')}`;
  const found = (await vscode.workspace.findFiles(glob, '**/node_modules/**', 20)).map((u) => u.fsPath);
  // The nearest to the result: the fewest steps between their folders.
  const distance = (f: string) => path.relative(near, path.dirname(f)).split(path.sep).filter(Boolean).length;
  return found.sort((a, b) => distance(a) - distance(b) || a.localeCompare(b))[0];
}

/** What is looked for: the photo or a style, in the words of the warning and of the open dialog. */
interface Sought {
  missing: (name: string) => string;
  openLabel: string;
}
const photo = (): Sought => ({
  missing: (name) => vscode.l10n.t('Neural Style: the photo {0} is neither beside the result nor in the workspace.', name),
  openLabel: vscode.l10n.t('Use as the photo'),
});
const style = (): Sought => ({
  missing: (name) => vscode.l10n.t('Neural Style: the style {0} is neither beside the result nor in the workspace.', name),
  openLabel: vscode.l10n.t('Use as the style'),
});

/** Finds `name`, or asks the user where it is (undefined when they do not say). */
async function locate(name: string, what: Sought, folders: string[], near: string): Promise<string | undefined> {
  const found = findBeside(name, folders) ?? await findInWorkspace(name, near);
  if (found) return found;
  const choice = await vscode.window.showWarningMessage(what.missing(name), vscode.l10n.t('Locate…'));
  if (!choice) return undefined;
  const filters = { [vscode.l10n.t('Images')]: IMAGE_EXTENSIONS };
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: what.openLabel, filters });
  return uris?.[0]?.fsPath;
}

/**
 * Finds each style the picture names: among the presets, beside it and its
 * photo, where a remembered style of that name is, then in the workspace.
 */
async function locateStyles(names: string[], presetsDir: string, memory: StyleMemory, here: string,
  content: string): Promise<string[] | undefined> {
  const found: string[] = [];
  for (const name of names) {
    const remembered = memory.recent.filter((c) => samePath(path.basename(c.path), name))
      .map((c) => path.dirname(c.path));
    const file = await locate(name, style(), [presetsDir, here, path.dirname(content), ...remembered], here);
    if (!file) return undefined;
    found.push(file);
  }
  return found;
}

/** A texture has no photo to paint again: it is made again by the CLI, which the message spells out. */
function textureResult(result: string, parameters: ResultParameters): NeuralStyleError {
  const { width, height } = parameters.texture!;
  const styles = parameters.styles.join(' ');
  return new NeuralStyleError(vscode.l10n.t(
    '{0} is a texture ({1}×{2} px, made without a photo), and the panel paints photos. Make it again with the CLI: neural-style --texture {1}x{2} {3} -o <file>',
    path.basename(result), width, height, styles), 'EPARAMETERS');
}

/**
 * A picture whose styles came from parts of their paintings (style masks): the panel does not take them, so it is made
 * again by the CLI, which the message spells out; painted without them it would be another picture.
 */
function styleMasksResult(result: string, parameters: ResultParameters): NeuralStyleError {
  const flags = parameters.styles.flatMap((style, i) => {
    const mask = parameters.styleMasks![i];
    return mask ? [`--style-mask ${style}=${mask}`] : [];
  }).join(' ');
  return new NeuralStyleError(vscode.l10n.t(
    '{0} took its style from a part of its painting (a style mask), which the panel does not take yet. Make it again with the CLI: neural-style {1} {2} {3} -o <file>',
    path.basename(result), parameters.content ?? '', parameters.styles.join(' '), flags), 'EPARAMETERS');
}

/**
 * A frame of a clip was painted held to the frame before it (the temporal loss): painted again alone it would be
 * another picture, so the clip is painted again, as the message says.
 */
function clipFrameResult(result: string, parameters: ResultParameters): NeuralStyleError {
  const { frame, frames } = parameters.clip!;
  return new NeuralStyleError(vscode.l10n.t(
    '{0} is frame {1} of {2} of a clip painted from {3}, each frame held to the one before it. Paint the clip again: right-click {3} → Stylize as Animation…, or neural-style {3} {4} -o <output>',
    path.basename(result), frame, frames, parameters.content ?? '', parameters.styles.join(' ')), 'EPARAMETERS');
}

/**
 * The masks a picture painted in regions names, found beside its photo (only there: a mask is that photo's). A mask
 * that is gone refuses the job, naming it: without it the picture would be another. A mask changed since the picture
 * was made is said, and used only when the user says so. Undefined: the user declined.
 */
async function locateMasks(result: string, parameters: ResultParameters,
  content: string): Promise<{ masks?: string[] } | undefined> {
  const names = parameters.masks;
  if (!names) return {};
  const found = names.map((name) => findBeside(name, [path.dirname(content)]));
  const missing = names.filter((_, i) => !found[i]);
  if (missing.length) {
    throw new NeuralStyleError(vscode.l10n.t(
      '{0} was painted in regions, and its mask {1} is not beside the photo {2}. Put the mask back there, or paint the regions again in the panel.',
      path.basename(result), missing.join(', '), content), 'EPARAMETERS');
  }
  const made = fs.statSync(result).mtimeMs;
  const changed = found.filter((f) => fs.statSync(f!).mtimeMs > made);
  if (changed.length) {
    const use = vscode.l10n.t('Use the masks as they are now');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t(
      'Neural Style: the mask {0} changed after {1} was made: the regions may differ from the picture\'s.',
      changed.map((f) => path.basename(f!)).join(', '), path.basename(result)), { modal: true }, use);
    if (choice !== use) return undefined;
  }
  return { masks: found as string[] };
}

/**
 * The job that makes `result` again, or undefined when a file was not found;
 * throws what is wrong with the picture's parameters.
 */
export async function requestFromResult(result: string, presetsDir: string,
  memory: StyleMemory): Promise<{ request: JobRequest; parameters: ResultParameters } | undefined> {
  const parameters = readResultParameters(result);
  // One style, or two blended by the options' styleBlendWeights (kept as the picture says).
  const names = stylesToFind(result, parameters);
  const here = path.dirname(result);
  if (parameters.content === undefined) throw textureResult(result, parameters);
  if (parameters.styleMasks) throw styleMasksResult(result, parameters);
  if (parameters.clip) throw clipFrameResult(result, parameters);
  const content = await locate(parameters.content, photo(), [here], here);
  if (!content) return undefined;
  const styles = await locateStyles(names, presetsDir, memory, here, content);
  if (!styles) return undefined;
  const regions = await locateMasks(result, parameters, content);
  if (!regions) return undefined;
  const presets = readPresets(presetsDir);
  const [style, second] = styles.map((file) => fileChoice(file, presetsDir, presets));
  const { options } = parameters;
  return { request: { content, style, ...(second ? { secondStyle: second } : {}), ...regions, options }, parameters };
}
