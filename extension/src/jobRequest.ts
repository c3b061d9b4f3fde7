/** What the user asked for, as every step of a job reads it. Pure: no `vscode`. */
import type { StylizeOptions } from '@neural-style/engine/options';
import { stylesLabel } from '../shared/secondStyle';
import type { StyleChoice } from './stylePicker';

/** One content image in one style, or a blend of two. */
export interface JobRequest {
  content: string;
  style: StyleChoice;
  /** A second style, blended by options.styleBlendWeights (equal when not given). */
  secondStyle?: StyleChoice;
  /** Options that override the settings for this job (a result's own, when made again). */
  options?: Partial<StylizeOptions>;
  /**
   * Regions: one mask a style, in the styles' order, PNGs beside the photo (regionMasks.ts); each style paints where
   * its mask is white, the photo stays where none is. The styles are then not blended (no styleBlendWeights).
   */
  masks?: string[];
  /**
   * A clip: `content` is a folder of frames or an animated GIF or WebP, painted frame by frame (clipOutput.ts).
   * `output`: where a run of it painted before a reload or a crash; it goes on from the frames there.
   */
  clip?: { output?: string };
}

/** The request's styles, the first first: what the engine blends. */
export function stylesOf(request: JobRequest): StyleChoice[] {
  return request.secondStyle ? [request.style, request.secondStyle] : [request.style];
}

/** The style images' paths, as the engine and the webview run take them. */
export const stylePaths = (request: JobRequest): string[] => stylesOf(request).map((s) => s.path);

/** "The Starry Night + wave.jpg", for titles and messages. */
export const stylesLabelOf = (request: JobRequest): string =>
  stylesLabel(request.style.label, request.secondStyle && { name: request.secondStyle.label });
