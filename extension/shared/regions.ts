/**
 * Regions (the engine's spatial control, Gatys et al. 2017) as the panel
 * paints them: one grey mask per style, the photo's own size, white where that
 * style goes; where no mask is white the photo stays. The panel saves them as
 * PNGs beside the photo, named so that the CLI takes them as they are
 * (`--mask starry.jpg=chelsea.region-1.png`). Plain TypeScript: host and webview.
 */

/** At most this many styles paint regions in the panel: the first style and the second. */
export const MAX_REGION_STYLES = 2;

/**
 * A photo larger than this is not painted in the panel (a mask a style at its own size, held in the page); the CLI
 * takes masks of any size.
 */
export const MAX_REGION_PIXELS = 64_000_000;

/** The longest data URL of one mask the host takes (a two-colour PNG of MAX_REGION_PIXELS is far smaller). */
export const MAX_MASK_URL_CHARS = 48 * 1024 * 1024;

/** `chelsea.png`, 0 → `chelsea.region-1.png`: the mask of the `index`th style (0-based) of the photo `photoName`. */
export function maskFileName(photoName: string, index: number): string {
  const dot = photoName.lastIndexOf('.');
  const stem = dot > 0 ? photoName.slice(0, dot) : photoName;
  return `${stem}.region-${index + 1}.png`;
}
