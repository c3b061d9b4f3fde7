/**
 * A panel's history is its photo's: once a panel opens (a new Stylize, Stylize
 * Again, Open in Neural Style Panel, a panel restored after a reload), the
 * photo's results on disk (photoHistory.ts) join its runs. The panel opens
 * without waiting for them; the job manager says when they join.
 */
import * as fs from 'fs';
import * as path from 'path';
import { outputFolder, workspaceOutputFolderProblem } from './outputPath';
import { jobConfigOf } from './jobConfig';
import type { PanelState, RunView } from '../shared/protocol';
import type { JobRecord } from './jobRecord';
import { findPhotoResults, mergeHistory, photoFolders, runOfResult } from './photoHistory';
import { readSettings } from './settings';
import type { StyleChoice } from './stylePicker';

/**
 * The folder the settings send `photo`'s results to now; undefined when the
 * setting is unreadable or a workspace's value leads outside the workspace: a
 * job refuses such a folder, so the history does not read it either.
 */
export function configuredOutputFolder(photo: string): string | undefined {
  try {
    const config = jobConfigOf(photo);
    const folder = readSettings(config.get).outputFolder;
    if (!folder) return undefined;
    const request = { content: photo, folder, workspaceFolder: config.workspaceFolder };
    if (config.outputFolderFromWorkspace && workspaceOutputFolderProblem(request)) return undefined;
    return outputFolder(request);
  } catch {
    return undefined;
  }
}

/** A style file's name as the panel says it: the title of an offered style of that file name, else the name. */
export function styleLabelOf(offered: readonly StyleChoice[]): (file: string) => string {
  return (file) => offered.find((choice) => path.basename(choice.path) === file)?.label ?? file;
}

/** What the disk says of a panel's history: the photo's results found, and the files of its runs that are gone. */
export interface HistoryNews {
  found: RunView[];
  gone: string[];
}

/**
 * The photo's results on disk as runs of `state`'s panel (merged with its own
 * by addToHistory), and which of its runs' files were deleted since.
 * `extraFolders`: where else the caller knows a result of it is. `log` hears
 * what was found, and a failure (then nothing is).
 */
export async function photoHistoryRuns(state: PanelState, offered: readonly StyleChoice[],
  log: (message: string) => void, extraFolders: readonly string[] = []): Promise<HistoryNews> {
  const photo = state.job.contentPath;
  try {
    const folders = [...photoFolders(photo, configuredOutputFolder(photo), state.history), ...extraFolders];
    const label = styleLabelOf(offered);
    const found = (await findPhotoResults(photo, folders)).map((result) => runOfResult(result, label));
    if (found.length) log(`history of ${photo}: ${found.length} result(s) found in ${folders.join(', ')}`);
    const files = (state.history ?? []).map((run) => run.outputPath);
    const there = await Promise.all(files.map((f) => fs.promises.lstat(f).then(() => true, () => false)));
    return { found, gone: files.filter((_, i) => !there[i]) };
  } catch (e) {
    log(`the results of ${photo} were not listed: ${(e as Error).message}`);
    return { found: [], gone: [] };
  }
}

/**
 * Adds `found` to `record`'s history and takes the `gone` files out, in one
 * snapshot, merged with the runs it has now; when nothing changes, nothing is sent.
 */
export function addToHistory(record: JobRecord, found: readonly RunView[], gone: readonly string[] = []): void {
  const own = record.state.history ?? [];
  const kept = own.filter((run) => !gone.includes(run.outputPath));
  const history = mergeHistory(kept, found);
  if (history.length !== own.length || kept.length !== own.length) {
    record.post({ type: 'snapshot', state: { ...record.state, history } });
  }
}
