/**
 * A photo's history: every result of it that its folders hold, whatever panel
 * (or window, or CLI run) made it, found by the `neural-style` chunk each
 * result carries (resultFiles.ts), and merged with a panel's own runs.
 * Only the chunks are read, a file's first 64 KB, without blocking and a few
 * at a time; no pixels are decoded. Pure: no `vscode`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { samePath } from '@neural-style/engine/file-names';
import type { ResultParameters } from '@neural-style/engine/options';
import { controlsOf } from '../shared/controls';
import type { RunView } from '../shared/protocol';
import { blendOf } from '../shared/secondStyle';
import { readResultParametersAsync } from './resultFiles';

/** At most this many results of a photo are listed (the newest): a strip of thumbnails, not an archive. */
export const HISTORY_LIMIT = 24;
/** At most this many PNGs are looked at per folder, the newest first: a folder of thousands stays quick. */
export const FILES_LIMIT = 400;
/** Chunks read at once: a few file handles, not a folder's worth. */
const READS_AT_ONCE = 16;

export interface FoundResult {
  file: string;
  parameters: ResultParameters;
  mtimeMs: number;
}

type ReadParameters = (file: string) => Promise<ResultParameters | undefined>;

/** The regular PNG files of `folder` (no links: a path leaves no folder it was found in), newest first. */
async function pngsOf(folder: string): Promise<Array<{ file: string; mtimeMs: number }>> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(folder, { withFileTypes: true });
  } catch {
    return []; // an output folder not made yet, or gone
  }
  const files = entries.filter((e) => e.isFile() && path.extname(e.name).toLowerCase() === '.png')
    .map((e) => path.join(folder, e.name));
  const stats = await Promise.all(files.map((file) => fs.promises.lstat(file).then((s) => s, () => undefined)));
  return files.map((file, i) => ({ file, mtimeMs: stats[i]?.isFile() ? stats[i].mtimeMs : -1 }))
    .filter((f) => f.mtimeMs >= 0).sort((a, b) => b.mtimeMs - a.mtimeMs).slice(0, FILES_LIMIT);
}

/**
 * The results of `photo` in `folders`, oldest first, at most HISTORY_LIMIT
 * (the newest). A result is the photo's when its chunk names the photo's file
 * name: the chunk keeps no folder, so the folders say which photo of that
 * name it is (the caller picks them: see photoFolders).
 */
export async function findPhotoResults(photo: string, folders: readonly string[],
  readParameters: ReadParameters = readResultParametersAsync): Promise<FoundResult[]> {
  const name = path.basename(photo);
  const unique = folders.filter((f, i) => folders.findIndex((g) => samePath(f, g)) === i);
  const candidates = (await Promise.all(unique.map(pngsOf))).flat()
    .filter((c) => !samePath(c.file, photo)).sort((a, b) => b.mtimeMs - a.mtimeMs);
  const found: FoundResult[] = [];
  for (let i = 0; i < candidates.length && found.length < HISTORY_LIMIT; i += READS_AT_ONCE) {
    const batch = candidates.slice(i, i + READS_AT_ONCE);
    const read = await Promise.all(batch.map((c) => readParameters(c.file)));
    batch.forEach((c, j) => {
      const parameters = read[j];
      if (parameters?.content !== undefined && samePath(parameters.content, name)) found.push({ ...c, parameters });
    });
  }
  return found.slice(0, HISTORY_LIMIT).reverse();
}

/**
 * Where a photo's results are: its own folder (results go beside the photo
 * by default), the output folder the settings give it now, and the folders of
 * the runs its panel knows (a result opened from a folder the settings named
 * before). Not the whole workspace: two photos of one name in two folders
 * would otherwise share a history.
 */
export function photoFolders(photo: string, outputFolder: string | undefined, runs: readonly RunView[] = []): string[] {
  const folders = [path.dirname(photo), ...(outputFolder ? [outputFolder] : []),
    ...runs.map((run) => path.dirname(run.outputPath))];
  return folders.filter((f) => path.isAbsolute(f));
}

/**
 * A found result as a run of the panel's history. `styleLabel` names a style
 * file as the panel does (a preset's title); the style is kept on the run as
 * another panel's result may be of another style.
 */
export function runOfResult({ file, parameters, mtimeMs }: FoundResult, styleLabel: (file: string) => string): RunView {
  const { styles, options, steps, backend } = parameters;
  const second = styles[1];
  return {
    outputSrc: '', outputName: path.basename(file), outputPath: file, steps, backend, finishedAt: mtimeMs,
    controls: controlsOf(options), styleName: styleLabel(styles[0]),
    ...(second ? { secondStyle: { name: styleLabel(second), blend: blendOf(options.styleBlendWeights ?? []) } } : {}),
    ...(parameters.masks ? { regions: true } : {}),
  };
}

/**
 * The panel's runs and the photo's results found on disk, oldest first as a
 * panel's history is: each file once (the panel's own entry kept: it knows
 * its time and its controls as run), the panel's runs always.
 */
export function mergeHistory(own: readonly RunView[], found: readonly RunView[]): RunView[] {
  const known = (run: RunView) => own.some((o) => samePath(o.outputPath, run.outputPath));
  const merged = [...own, ...found.filter((run) => !known(run))];
  // Stable: runs saved before they had a time keep their place at the start.
  return merged.map((run, i) => ({ run, i }))
    .sort((a, b) => (a.run.finishedAt ?? 0) - (b.run.finishedAt ?? 0) || a.i - b.i).map(({ run }) => run);
}
