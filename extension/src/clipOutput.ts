/**
 * Where a clip goes, named as a still is (`<name>.<style>`, the outputFolder
 * and fileNamePattern settings): a folder of frames for a folder, an
 * animation of its input's kind for a GIF, WebP or PNG (`clip.<style>.gif`),
 * an MP4 for a video (the engine reads and writes video through ffmpeg). A
 * name is taken while an interrupted run's frames folder beside it is there:
 * a new run never paints over frames it did not make. A clip an earlier run
 * left frames of goes on from them, at the same place. Pure: no `vscode`.
 */
import { pathFor } from '@neural-style/engine/file-names';
import { baseName, firstFreePath, type OutputRequest } from './outputPath';

/** The animations a clip may be read from and written as (an animated PNG is a .png). */
export const ANIMATION_EXTENSIONS = ['gif', 'webp', 'png'] as const;

/** The videos a clip may be read from (through an ffmpeg on the engine's PATH); it is written as an MP4. */
export const VIDEO_EXTENSIONS = ['mp4', 'm4v', 'mov', 'mkv', 'webm', 'avi'] as const;

const extensionOf = (file: string) => pathFor().extname(file).slice(1).toLowerCase();
const isVideoPath = (file: string) => (VIDEO_EXTENSIONS as readonly string[]).includes(extensionOf(file));

/** Whether `file` is named as an animation or a video a clip is read from or written as (any case). */
export function isAnimationPath(file: string): boolean {
  return (ANIMATION_EXTENSIONS as readonly string[]).includes(extensionOf(file)) || isVideoPath(file);
}

/**
 * Where the engine writes a clip's frames as it paints them: the output when it is a folder, else `<output>.frames`
 * beside the animation (the engine's clipFramesFolder, node/clip-files.ts).
 */
export function clipFramesFolder(output: string): string {
  return isAnimationPath(output) ? `${output}.frames` : output;
}

/** The first frame the engine writes in a clip's frames folder: there, the clip has frames to go on from. */
export const FIRST_FRAME = 'frame_00001.png';

/** A clip's output request: a still's, less the format (a clip keeps its input's kind). */
export type ClipOutputRequest = Omit<OutputRequest, 'format'>;

/**
 * The first free output of a clip: `<folder>.<style>` for a folder of frames (its whole name is the `${name}`),
 * `<name>.<style>.gif` for a GIF, `<name>.<style>.mp4` for a video. `exists` says whether a path is taken (on disk,
 * or by a running job).
 */
export function freeClipOutput(req: ClipOutputRequest, exists: (file: string) => boolean): string {
  const p = pathFor(req.platform);
  const animation = isAnimationPath(req.content);
  const ext = !animation ? '' : isVideoPath(req.content) ? '.mp4' : p.extname(req.content).toLowerCase();
  const base = baseName(req, animation ? undefined : p.basename(req.content));
  const taken = (file: string) => exists(file) || (animation && exists(clipFramesFolder(file)));
  return firstFreePath(req, base, ext, taken);
}

/** Where a clip's run paints, and whether it goes on from the frames an earlier run left there. */
export interface ClipStart {
  output: string;
  resume: boolean;
}

/**
 * A clip's start: at `earlier` (the output a run before a reload or an engine's crash chose), going on from its
 * frames, when it has some; else at a free output, from the first frame.
 */
export function clipStart(earlier: string | undefined, free: () => string, exists: (file: string) => boolean,
  platform?: NodeJS.Platform): ClipStart {
  if (earlier !== undefined && exists(pathFor(platform).join(clipFramesFolder(earlier), FIRST_FRAME))) {
    return { output: earlier, resume: true };
  }
  return { output: free(), resume: false };
}

