/** The commands: Stylize Image…, Stylize as Animation…, Stylize with Last Style, Use as Style Image, Cancel. */
import * as path from 'path';
import * as vscode from 'vscode';
import { sortImageFiles } from './imageHeader';
import { JobManager } from './jobs';
import { stylesLabelOf } from './jobRequest';
import { IMAGE_EXTENSIONS, isImagePath, Resources } from './resources';
import { fileChoice, pickStyle, StyleChoice, StyleMemory } from './stylePicker';
import { isExpectedRefusal } from './refusal';
import { requestFromResult } from './stylizeAgain';
import { folderPhotos } from './stylizeFolder';
import { registerClipCommand } from './stylizeAnimation';

/**
 * The images a command was run on. Explorer menus pass (clicked, selected[]);
 * the image preview's title bar passes its resource; the palette passes
 * nothing, so ask.
 */
export async function targetImages(clicked: unknown, selected: unknown, openLabel: string,
  many = true): Promise<string[]> {
  const uris = Array.isArray(selected) && selected.length ? selected : clicked instanceof vscode.Uri ? [clicked] : [];
  let files = uris.filter((u): u is vscode.Uri => u instanceof vscode.Uri && u.scheme === 'file').map((u) => u.fsPath);
  if (!files.length && !uris.length) {
    const activeTab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: many, openLabel, filters: { [vscode.l10n.t('Images')]: IMAGE_EXTENSIONS },
      defaultUri: activeTab instanceof vscode.TabInputCustom ? activeTab.uri
        : vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    files = (picked ?? []).map((u) => u.fsPath);
  }
  const skipped = files.filter((f) => !isImagePath(f));
  if (skipped.length) {
    const names = skipped.map((f) => path.basename(f)).join(', ');
    void vscode.window.showWarningMessage(vscode.l10n.t('Neural Style: not an image, skipped: {0}', names));
  }
  if (uris.some((u) => u instanceof vscode.Uri && u.scheme !== 'file')) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Neural Style works on files on disk; virtual or remote files were skipped.'));
  }
  return readableImages(files.filter(isImagePath));
}

/**
 * The images whose first and last bytes look like a picture; the others are
 * listed at once, by their workspace-relative names, with what is wrong (the
 * rest of a batch is queued all the same).
 */
export async function readableImages(files: string[]): Promise<string[]> {
  const { good, bad } = await sortImageFiles(files);
  if (bad.length) {
    const named = bad.map(({ file, problem }) => ({ name: vscode.workspace.asRelativePath(file), problem }));
    const says = named.length === 1
      ? vscode.l10n.t('Neural Style: {0} was left out: {1}.', named[0].name, named[0].problem)
      : vscode.l10n.t('Neural Style: {0} images were left out: {1}.', named.length,
        named.map(({ name, problem }) => vscode.l10n.t('{0} ({1})', name, problem)).join('; '));
    void vscode.window.showWarningMessage(says);
  }
  return good;
}

export interface CommandKit {
  register(id: string, fn: (...args: unknown[]) => unknown): void;
  /** Queues each photo in `style`, remembering the style. */
  stylize(contents: string[], style: StyleChoice): string[];
  jobsOf: () => JobManager;
  resources: Resources;
  memory: StyleMemory;
  log: vscode.LogOutputChannel;
}

/** `jobsOf`: the window's job manager, looked up on each call (a test's reload replaces it). */
export function registerCommands(context: vscode.ExtensionContext, jobsOf: () => JobManager, resources: Resources,
  memory: StyleMemory, log: vscode.LogOutputChannel): void {
  const stylize = (contents: string[], style: StyleChoice) => {
    void memory.remember(style);
    return jobsOf().enqueueAll(contents.map((content) => ({ request: { content, style } })));
  };
  const register = (id: string, fn: (...args: unknown[]) => unknown) => {
    context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (e) {
        // A refusal the user can act on (a photo that is no result, a setting to fix) is no bug: no stack.
        if (isExpectedRefusal(e)) log.info(`${id}: refused: ${(e as Error).message}`);
        else log.error(`${id}: ${(e as Error).stack ?? e}`);
        const showLog = vscode.l10n.t('Show Log');
        void vscode.window.showErrorMessage(vscode.l10n.t('Neural Style: {0}', (e as Error).message), showLog)
          .then((c) => c && log.show(true));
        return undefined;
      }
    }));
  };
  const kit: CommandKit = { register, stylize, jobsOf, resources, memory, log };
  registerStylizeCommands(kit);
  registerJobCommands(kit);
}

/** The commands that queue pictures: on images, on a folder, on a result. */
function registerStylizeCommands(kit: CommandKit): void {
  registerImageCommands(kit);
  registerFolderCommand(kit);
  registerClipCommand(kit);
  registerResultCommands(kit);
}

/** Stylize an image (with a style picked, or the last one), or take it as the style. */
function registerImageCommands({ register, stylize, resources, memory }: CommandKit): void {
  register('neuralStyle.stylize', async (clicked, selected) => {
    const contents = await targetImages(clicked, selected, vscode.l10n.t('Stylize'));
    if (!contents.length) return [];
    const style = await pickStyle(resources.presetsDir, memory, contents);
    return style ? stylize(contents, style) : [];
  });

  register('neuralStyle.stylizeWithLastStyle', async (clicked, selected) => {
    const contents = await targetImages(clicked, selected, vscode.l10n.t('Stylize'));
    if (!contents.length) return [];
    const last = memory.last;
    const style = last ?? await pickStyle(resources.presetsDir, memory, contents);
    // The command's title cannot name the style: say which one it used.
    if (last) {
      const what = contents.length === 1 ? path.basename(contents[0]) : vscode.l10n.t('{0} images', contents.length);
      const says = vscode.l10n.t('Neural Style: {0} in the style of {1}', what, last.label);
      void vscode.window.setStatusBarMessage(says, 8000);
    }
    return style ? stylize(contents, style) : [];
  });

  register('neuralStyle.useAsStyle', async (clicked) => {
    const [file] = await targetImages(clicked, undefined, vscode.l10n.t('Use as Style'), false);
    if (!file) return undefined;
    const choice = fileChoice(file, resources.presetsDir);
    await memory.remember(choice);
    // A notification, not a passing status line: say what changed, and offer the next step.
    const says = vscode.l10n.t('Neural Style: {0} is now the style of "Stylize with Last Style".', choice.label);
    const stylize = vscode.l10n.t('Stylize a Photo…');
    void vscode.window.showInformationMessage(says, stylize).then((picked) => picked === stylize
      && vscode.commands.executeCommand('neuralStyle.stylizeWithLastStyle'));
    return choice;
  });
}

/** Every photo of a folder in one style. */
function registerFolderCommand({ register, stylize, resources, memory }: CommandKit): void {
  // From the explorer (folder, selection); from a keybinding or another extension also (folder, style image).
  register('neuralStyle.stylizeFolder', async (clicked, styleImage) => {
    const ask = { canSelectFiles: false, canSelectFolders: true, openLabel: vscode.l10n.t('Stylize Images in Folder') };
    const folder = clicked instanceof vscode.Uri && clicked.scheme === 'file' ? clicked.fsPath
      : (await vscode.window.showOpenDialog(ask))?.[0]?.fsPath;
    if (!folder) return [];
    const found = await folderPhotos(folder);
    const photos = found && await readableImages(found);
    if (!photos?.length) return [];
    const given = styleImage instanceof vscode.Uri && styleImage.scheme === 'file' && isImagePath(styleImage.fsPath)
      ? fileChoice(styleImage.fsPath, resources.presetsDir) : undefined;
    const style = given ?? await pickStyle(resources.presetsDir, memory, photos);
    return style ? stylize(photos, style) : [];
  });
}

/** A result made again with its parameters, or opened in a panel. */
function registerResultCommands({ register, jobsOf, resources, memory, log }: CommandKit): void {
  register('neuralStyle.stylizeAgain', async (clicked) => {
    const [result] = await targetImages(clicked, undefined, vscode.l10n.t('Stylize Again with Its Parameters'), false);
    if (!result) return undefined;
    const again = await requestFromResult(result, resources.presetsDir, memory);
    if (!again) return undefined;
    const { request, parameters } = again;
    log.info(`stylize again ${result}: ${parameters.content} in the style of ${parameters.styles.join(', ')}, `
      + `its options (it ran on ${parameters.backend})`);
    void memory.remember(request.style);
    // The panel lists the photo's results, the one made again among them wherever it is.
    return jobsOf().enqueue(request, [path.dirname(result)]);
  });

  register('neuralStyle.openInPanel', async (clicked) => {
    const [result] = await targetImages(clicked, undefined, vscode.l10n.t('Open in Neural Style Panel'), false);
    if (!result) return undefined;
    const found = await requestFromResult(result, resources.presetsDir, memory);
    return found && jobsOf().openResultPanel(result, found.request, found.parameters);
  });
}

/** The commands on jobs already queued. */
function registerJobCommands({ register, jobsOf }: CommandKit): void {
  register('neuralStyle.cancel', (jobId) => cancelFromCommand(jobsOf(), jobId));
  register('neuralStyle.showRunning', () => jobsOf().showPanel());
}

/** Cancel: the job named, else the running one, or all when the user picks that. */
async function cancelFromCommand(jobs: JobManager, jobId: unknown): Promise<boolean> {
  if (typeof jobId === 'string') return jobs.cancel(jobId);
  const waiting = jobs.queue.queued.length;
  if (!jobs.queue.running && !waiting) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Neural Style: nothing is running.'));
    return false;
  }
  if (waiting) {
    const running = jobs.queue.running;
    const request = running?.job.request;
    const one = request
      && vscode.l10n.t('Cancel {0} · {1} (running)', path.basename(request.content), stylesLabelOf(request));
    const all = running ? vscode.l10n.t('Cancel all ({0} queued and the running one)', waiting)
      : vscode.l10n.t('Cancel all ({0} queued)', waiting);
    const title = vscode.l10n.t('Neural Style: Cancel');
    const pick = await vscode.window.showQuickPick([...(one ? [one] : []), all], { title });
    if (!pick) return false;
    if (pick === all) {
      jobs.queue.cancelAll();
      return true;
    }
  }
  return jobs.cancel();
}
