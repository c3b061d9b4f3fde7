/**
 * Results as files: a PNG the engine wrote says what made it (its
 * `neural-style` text chunk, result-parameters.ts). The picker leaves results
 * out of the styles it offers; *Stylize Again with Its Parameters* reads them
 * back. The chunk sits right after the header, so only the file's head is read.
 * Pure: no `vscode`.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'fs';
import * as path from 'path';
import { NeuralStyleError, PARAMETERS_KEYWORD, parseResultParameters, ResultParameters } from '@neural-style/engine/options';
import { readPngText } from '@neural-style/engine/png-text';

const HEAD_BYTES = 64 * 1024;
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The PNG's text chunks found in its first 64 KB; empty for anything else, or a file that cannot be read. */
function headText(file: string): Record<string, string> {
  if (path.extname(file).toLowerCase() !== '.png') return {};
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      head = Buffer.alloc(HEAD_BYTES);
      head = head.subarray(0, fs.readSync(fd, head, 0, HEAD_BYTES, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return {};
  }
  return head.subarray(0, 8).equals(PNG_SIGNATURE) ? readPngText(head) : {};
}

/** The PNG's text chunks found in its first 64 KB, read without blocking; empty as headText's. */
async function headTextAsync(file: string): Promise<Record<string, string>> {
  if (path.extname(file).toLowerCase() !== '.png') return {};
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(file, 'r');
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    const read = head.subarray(0, bytesRead);
    return read.subarray(0, 8).equals(PNG_SIGNATURE) ? readPngText(read) : {};
  } catch {
    return {};
  } finally {
    await handle?.close();
  }
}

/** Whether `file` is a picture Neural Style made, read without blocking (the menus' index of results reads many). */
export async function isResultFileAsync(file: string): Promise<boolean> {
  return Object.hasOwn(await headTextAsync(file), PARAMETERS_KEYWORD);
}

/**
 * What made `file`, read without blocking and checked as readResultParameters
 * does; undefined for a file that is no result or whose parameters are not
 * usable (a photo's history leaves those out rather than failing).
 */
export async function readResultParametersAsync(file: string): Promise<ResultParameters | undefined> {
  const text = await headTextAsync(file);
  if (!Object.hasOwn(text, PARAMETERS_KEYWORD)) return undefined;
  try {
    return parseResultParameters(text[PARAMETERS_KEYWORD]);
  } catch {
    return undefined;
  }
}

/** The text chunk that marks a region mask the panel wrote (regionMasks.ts); its text names the photo and style. */
export const REGION_KEYWORD = 'neural-style-region';

/** Whether `file` is a region mask the panel wrote. */
export const isRegionMask = (file: string): boolean => Object.hasOwn(headText(file), REGION_KEYWORD);

/** Whether `file` is a result or a region mask of Neural Style: not a photo of its own (a folder's batch skips it). */
export function isMadeByNeuralStyle(file: string): boolean {
  const text = headText(file);
  return Object.hasOwn(text, PARAMETERS_KEYWORD) || Object.hasOwn(text, REGION_KEYWORD);
}

/** Whether `file` is a picture Neural Style made. */
export function isResultFile(file: string): boolean {
  return Object.hasOwn(headText(file), PARAMETERS_KEYWORD);
}

/**
 * What made `file`, checked by the engine's option checks; throws a NeuralStyleError naming the file and what is wrong.
 */
export function readResultParameters(file: string): ResultParameters {
  const text = headText(file);
  if (!Object.hasOwn(text, PARAMETERS_KEYWORD)) {
    throw new NeuralStyleError(l10n.t('{0} does not say how it was made: only PNG results of Neural Style carry their parameters.', path.basename(file)), 'EPARAMETERS');
  }
  try {
    return parseResultParameters(text[PARAMETERS_KEYWORD]);
  } catch (e) {
    throw new NeuralStyleError(l10n.t('{0}: {1}', path.basename(file), (e as Error).message), 'EPARAMETERS');
  }
}

/**
 * The style file names of a picture the panel can make again: one, or two blended; throws for more (only the CLI blends
 * more).
 */
export function stylesToFind(file: string, parameters: ResultParameters): string[] {
  if (parameters.styles.length <= 2) return parameters.styles;
  throw new NeuralStyleError(l10n.t('{0} blends {1} styles ({2}); the extension makes pictures of one or two. Use the command line to make it again.',
    path.basename(file), parameters.styles.length, parameters.styles.join(', ')), 'EPARAMETERS');
}
