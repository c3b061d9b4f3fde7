/**
 * The panel's region masks on disk: what a webview posts is checked (PNG data
 * URLs, one a style, of the photo's size as the engine reads it, within limits), then
 * written atomically beside the photo as `<photo>.region-<n>.png`, n the
 * style's place (shared/regions.ts). Each file carries a `neural-style-region`
 * text chunk: a mask this extension wrote is replaced by a new painting
 * without asking; any other file of that name only after the user says so.
 * The chunk also keeps masks out of a folder's photos (folderImages.ts).
 * Pure: no `vscode`; the caller asks.
 */
import * as l10n from '@vscode/l10n';
import * as path from 'path';
import { writeFileAtomic } from '@neural-style/engine/atomic';
import { isFullPath, pathFor, samePath } from '@neural-style/engine/file-names';
import { withPngText } from '@neural-style/engine/png-text';
import { MAX_MASK_URL_CHARS, MAX_REGION_PIXELS, MAX_REGION_STYLES, maskFileName } from '../shared/regions';
import { isRegionMask, PNG_SIGNATURE, REGION_KEYWORD } from './resultFiles';

const DATA_URL_PREFIX = 'data:image/png;base64,';

/** What a webview posts (the saveRegions message). */
export interface PostedMasks {
  width: number;
  height: number;
  masks: string[];
}

/** The masks' files for `photo`, one a style: beside the photo, never elsewhere. */
export function maskPaths(photo: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => path.join(path.dirname(photo), maskFileName(path.basename(photo), i)));
}

/** The PNG bytes of posted mask `n` (1-based), checked: a PNG data URL, its header's size `width` × `height`. */
function maskPng(url: string, n: number, width: number, height: number): Buffer {
  if (url.length > MAX_MASK_URL_CHARS) {
    throw new Error(l10n.t('Regions: mask {0} is {1} MB, more than a mask can be ({2} MB).', n,
      Math.ceil(url.length / 2 ** 20), MAX_MASK_URL_CHARS / 2 ** 20));
  }
  if (!url.startsWith(DATA_URL_PREFIX)) {
    throw new Error(l10n.t('Regions: mask {0} is not a PNG data URL (it starts {1}).', n, JSON.stringify(url.slice(0, 24))));
  }
  const png = Buffer.from(url.slice(DATA_URL_PREFIX.length), 'base64');
  if (png.length < 33 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error(l10n.t('Regions: mask {0} is not a PNG image.', n));
  }
  const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  if (w !== width || h !== height) {
    throw new Error(l10n.t('Regions: mask {0} is {1}×{2}; a mask must be the photo\'s size, {3}×{4}.', n, w, h, width, height));
  }
  return png;
}

/**
 * The posted masks as PNG files' bytes, in the styles' order; throws a message naming what is wrong. `styles`: how
 * many styles the panel can paint (its first, and a second when it offers one); `photo`: the photo's size as the
 * engine reads it (the image process measures it), which the page must have painted at.
 */
export function checkPostedMasks(posted: PostedMasks, styles: number,
  photo: { name: string; width: number; height: number }): Buffer[] {
  const { width, height, masks } = posted;
  const most = Math.min(styles, MAX_REGION_STYLES);
  if (masks.length < 1 || masks.length > most) {
    throw new Error(l10n.t('Regions: {0} masks were sent; this panel paints 1 to {1}, one a style.', masks.length, most));
  }
  const whole = (v: number) => Number.isInteger(v) && v >= 1;
  if (!whole(width) || !whole(height) || width * height > MAX_REGION_PIXELS) {
    throw new Error(l10n.t('Regions: {0}×{1} is not a size the panel paints (1 to {2} megapixels).', width, height,
      MAX_REGION_PIXELS / 1e6));
  }
  if (width !== photo.width || height !== photo.height) {
    throw new Error(l10n.t('Regions: they were painted at {0}×{1}, and the photo {2} is {3}×{4} (did it change?). Paint them again.',
      width, height, photo.name, photo.width, photo.height));
  }
  return masks.map((url, i) => maskPng(url, i + 1, width, height));
}

/**
 * Why `masks` cannot be a job's masks for `photo` with `styles` styles (one a style, absolute `.png` paths in the
 * photo's folder), or null when they can. `platform`: this machine's unless a test simulates another.
 */
export function masksProblem(masks: readonly string[], photo: string, styles: number,
  platform: NodeJS.Platform = process.platform): string | null {
  if (masks.length !== styles) return l10n.t('{0} masks for {1} styles: give one mask a style.', masks.length, styles);
  const folder = pathFor(platform).dirname(photo);
  for (const mask of masks) {
    if (!isFullPath(mask, platform) || pathFor(platform).extname(mask).toLowerCase() !== '.png'
      || !samePath(pathFor(platform).dirname(mask), folder, platform) || samePath(mask, photo, platform)) {
      return l10n.t('the mask {0} is not a PNG file beside the photo {1}.', JSON.stringify(mask), photo);
    }
  }
  return null;
}

/** `masks` for a run of `styles` styles (Run again), checked; throws the message to show, which says what to do. */
export function masksForRun(masks: string[], photo: string, styles: number,
  exists: (file: string) => boolean): string[] {
  const problem = masksProblem(masks, photo, styles);
  if (problem) {
    throw new Error(l10n.t('cannot run again with these regions: {0} Paint the regions again, or clear them.', problem));
  }
  const missing = masks.find((f) => !exists(f));
  if (missing) {
    throw new Error(l10n.t('cannot run again: the regions\' mask {0} no longer exists. Paint the regions again, or clear them.', missing));
  }
  return masks;
}

/**
 * Writes `pngs` as `photo`'s masks, atomically, each marked as the panel's; `mayReplace` hears the files of those
 * names the panel did not write (false: nothing is written, undefined returned). Never over the photo or a style.
 */
export async function writeMasks(photo: string, pngs: readonly Buffer[], inputs: readonly string[],
  mayReplace: (files: string[]) => Promise<boolean>, exists: (file: string) => boolean): Promise<string[] | undefined> {
  const files = maskPaths(photo, pngs.length);
  const input = files.find((f) => [photo, ...inputs].some((i) => samePath(i, f)));
  if (input) throw new Error(l10n.t('Regions: the mask {0} would replace an image of this job; rename that image.', input));
  const foreign = files.filter((f) => exists(f) && !isRegionMask(f));
  if (foreign.length && !await mayReplace(foreign)) return undefined;
  const photoName = path.basename(photo);
  for (const [i, file] of files.entries()) {
    const marked = withPngText(pngs[i], REGION_KEYWORD, JSON.stringify({ photo: photoName, style: i + 1 }));
    await writeFileAtomic(file, marked, 'replace');
  }
  return files;
}
