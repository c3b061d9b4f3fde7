/**
 * A clip's strip of finished frames, as its panel keeps it: in frame order,
 * one thumbnail a frame (a frame painted again after a resume replaces its
 * thumbnail), and only the newest MAX_STRIP_FRAMES, since the whole state is
 * sent to the page and saved with it. Plain TypeScript: host and webview.
 */
import type { FrameThumb } from './protocol';

/** The frames a strip keeps: a long clip's older thumbnails go, the newest stay in sight. */
export const MAX_STRIP_FRAMES = 48;

/** The strip with `thumb` in its place; a thumbnail of another clip (another frame count) starts a new strip. */
export function withFrame(strip: readonly FrameThumb[] | undefined, thumb: FrameThumb): FrameThumb[] {
  const kept = (strip ?? []).filter((t) => t.frames === thumb.frames && t.frame !== thumb.frame);
  return [...kept, thumb].sort((a, b) => a.frame - b.frame).slice(-MAX_STRIP_FRAMES);
}

/** "Frame 3 of 12" as the panel says it, from a clip's progress; undefined for a picture's. */
export function clipFrameOf(progress: { frame?: number; frames?: number } | undefined):
  { frame: number; frames: number } | undefined {
  const { frame, frames } = progress ?? {};
  return frame !== undefined && frames !== undefined ? { frame, frames } : undefined;
}
