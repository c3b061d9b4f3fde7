import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { NeuralStyleError } from '../core/errors';
import { RgbImage } from '../core/pixels';
import { shown } from '../core/text';
import { apngHeader, decodeApng, encodeApng } from './apng';
import { decodeVideo, encodeMp4, isVideoFile, probeVideo, requireFfmpeg, videoFrameSize } from './ffmpeg';
import { decodeImageFile, imageSize } from './image';
import { IfExists, writeOutputFile } from './output-file';

/*
 * A clip's frames from files, and back: a folder of frames (sorted
 * naturally, frame_2 before frame_10), an animated GIF or WebP (sharp reads
 * its pages, their delays and its loop count, and writes them again), an
 * animated PNG (apng.ts: libvips reads only its first frame), or a video
 * through an ffmpeg on the PATH (ffmpeg.ts), in and out as MP4.
 */

/** Frames a clip may have: each is held in memory as RGB while the clip is painted. */
export const MAX_CLIP_FRAMES = 1000;

/** The file names a folder of frames takes as frames. */
const FRAME_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.bmp', '.gif', '.avif']);

/** How an animation plays: each frame's delay in ms, how many times it loops (0: for ever), a video's frame rate. */
export interface Timing { delays: number[]; loop: number; fps?: number }

export interface ClipFrames { frames: RgbImage[]; timing: Timing | null }

export interface ClipReadOptions { longestSide: number; maxInputPixels: number }

/**
 * Whether `source` is a clip: a folder, a video (by its extension), an animated PNG, or an image file of two or more
 * pages (frames).
 */
export async function isClip(source: string): Promise<boolean> {
  const stat = await fs.promises.stat(source).catch(() => null);
  if (!stat) return false;
  if (stat.isDirectory() || isVideoFile(source) || (apngHeader(source)?.frames ?? 0) > 1) return true;
  const pages = await sharp(source).metadata().then((m) => m.pages ?? 1, () => 1);
  return pages > 1;
}

/** A clip's frames, each with its longest side `longestSide`: from a folder of frames or an animated image. */
export async function readClip(source: string, options: ClipReadOptions): Promise<ClipFrames> {
  const stat = await fs.promises.stat(source).catch(() => null);
  if (!stat) throw new NeuralStyleError(`${shown(source)} does not exist.`, 'ENOENT');
  if (stat.isDirectory()) return { frames: await readFrameFolder(source, options), timing: null };
  if (isVideoFile(source)) return readVideo(source, options);
  return apngHeader(source) ? readApng(source, options) : readAnimation(source, options);
}

/** An animated PNG's frames, each resized, and its timing; its size and frame count checked before it is decoded. */
async function readApng(file: string, { longestSide, maxInputPixels }: ClipReadOptions): Promise<ClipFrames> {
  const { frames: count, loop } = apngHeader(file)!;
  checkFrameCount(count, file);
  await imageSize(file, maxInputPixels);
  const { frames, delays } = await decodeApng(await fs.promises.readFile(file));
  return { frames: await Promise.all(frames.map((f) => sizedFrame(f, longestSide))), timing: { delays, loop } };
}

/** A frame with its longest side `longestSide` (lanczos3, as a still's photo). */
async function sizedFrame(frame: RgbImage, longestSide: number): Promise<RgbImage> {
  const raw = { width: frame.width, height: frame.height, channels: 3 as const };
  const { data, info } = await sharp(frame.data, { raw })
    .resize(longestSide, longestSide, { fit: 'inside', kernel: 'lanczos3' }).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** A video's frames through ffmpeg, each resized, and its frame rate. */
async function readVideo(file: string, { longestSide, maxInputPixels }: ClipReadOptions): Promise<ClipFrames> {
  const tools = requireFfmpeg(`Reading ${shown(file)}`);
  const info = await probeVideo(file, tools);
  if (info.width * info.height > maxInputPixels) {
    throw new NeuralStyleError(`${shown(file)} is too large: its frames have more pixels than the limit of the `
      + 'maxInputPixels option.', 'ETOOBIG');
  }
  if (info.frames !== null) checkFrameCount(info.frames, file);
  const { width, height } = videoFrameSize(info, longestSide);
  const frames = await decodeVideo(file, tools, width, height, MAX_CLIP_FRAMES);
  checkFrameCount(frames.length, file);
  if (frames.length === 0) throw new NeuralStyleError(`${shown(file)} has no frames ffmpeg can read.`, 'EIMAGE');
  const delay = Math.round(1000 / info.fps);
  return { frames, timing: { delays: frames.map(() => delay), loop: 0, fps: info.fps } };
}

/** The frame files of a folder, in natural order (the numbers in their names compared as numbers). */
export function frameFiles(folder: string): string[] {
  const names = fs.readdirSync(folder).filter((name) => FRAME_EXTENSIONS.has(path.extname(name).toLowerCase())
    && !name.startsWith('.'));
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  return names.sort(collator.compare).map((name) => path.join(folder, name));
}

async function readFrameFolder(folder: string, options: ClipReadOptions): Promise<RgbImage[]> {
  const files = frameFiles(folder);
  if (files.length === 0) {
    throw new NeuralStyleError(`${shown(folder)} has no frames: put the frames in it as png, jpeg, webp, tiff or bmp `
      + 'files, named in their order (frame_1.png, frame_2.png, …).', 'EIMAGE');
  }
  checkFrameCount(files.length, folder);
  const frames: RgbImage[] = [];
  for (const file of files) {
    const frame = await decodeImageFile(file, options);
    if (frames.length && (frame.width !== frames[0].width || frame.height !== frames[0].height)) {
      throw new NeuralStyleError(`${shown(file)} is ${frame.width}×${frame.height} at this size, the first frame `
        + `${frames[0].width}×${frames[0].height}: every frame of a clip must have the first's size.`, 'EIMAGE');
    }
    frames.push(frame);
  }
  return frames;
}

function checkFrameCount(count: number, source: string): void {
  if (count <= MAX_CLIP_FRAMES) return;
  throw new NeuralStyleError(`${shown(source)} has ${count} frames; a clip may have at most ${MAX_CLIP_FRAMES}. `
    + 'Cut it into parts.', 'ETOOBIG');
}

/** An animated image's frames (transparency on white), each resized, and its timing. */
async function readAnimation(file: string, { longestSide, maxInputPixels }: ClipReadOptions): Promise<ClipFrames> {
  const meta = await sharp(file, { pages: -1, limitInputPixels: false }).metadata()
    .catch(() => decodeImageFile(file, { maxInputPixels }).then(() => {
      throw new NeuralStyleError(`${shown(file)} could not be read as an animation.`, 'EIMAGE');
    }));
  const pages = meta.pages ?? 1;
  const width = meta.width ?? 0;
  const pageHeight = meta.pageHeight ?? meta.height ?? 0;
  if (pages < 2) {
    throw new NeuralStyleError(`${shown(file)} is a still picture: a clip is a folder of frames or an animated GIF `
      + 'or WebP.', 'EIMAGE');
  }
  checkFrameCount(pages, file);
  if (width * pageHeight > maxInputPixels) {
    throw new NeuralStyleError(`${shown(file)} is too large: its frames declare more pixels than the limit of the `
      + 'maxInputPixels option.', 'ETOOBIG');
  }
  const { data, info } = await sharp(file, { pages: -1, limitInputPixels: false, failOn: 'truncated' })
    .flatten({ background: '#ffffff' }).toColourspace('srgb').removeAlpha().raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const frameBytes = info.width * pageHeight * 3;
  const frames: RgbImage[] = [];
  for (let i = 0; i < pages; i++) {
    const page = data.subarray(i * frameBytes, (i + 1) * frameBytes);
    frames.push(await sizedFrame({ width: info.width, height: pageHeight, data: page }, longestSide));
  }
  const delays = Array.from({ length: pages }, (_, i) => meta.delay?.[i] ?? 100);
  return { frames, timing: { delays, loop: meta.loop ?? 0 } };
}

const ANIMATION_FORMATS = { '.gif': 'gif', '.webp': 'webp', '.png': 'apng', '.mp4': 'mp4' } as const;

/** The formats an animation is written in, by the output's extension (a .png: an animated PNG; MP4 through ffmpeg). */
export function animationFormat(file: string): 'gif' | 'webp' | 'apng' | 'mp4' | null {
  const extension = path.extname(file).toLowerCase();
  return Object.hasOwn(ANIMATION_FORMATS, extension)
    ? ANIMATION_FORMATS[extension as keyof typeof ANIMATION_FORMATS] : null;
}

/** Writes `frames` as an animation (GIF, WebP, APNG or MP4, by `file`'s extension) with `timing`, atomically. */
export async function writeAnimation(frames: readonly RgbImage[], file: string, timing: Timing,
  ifExists: IfExists = 'refuse'): Promise<string> {
  const format = animationFormat(file);
  if (!format) {
    throw new NeuralStyleError(`${shown(file)}: an animation is written as .gif, .webp, .png or .mp4 (or give a `
      + 'folder for the frames).', 'EOUTPUT');
  }
  if (format === 'apng') return writeOutputFile(file, encodeApng(frames, timing.delays, timing.loop), ifExists);
  if (format === 'mp4') {
    // A video plays at one rate: the source's, or the mean of the delays an animation had.
    const fps = timing.fps ?? 1000 / (timing.delays.reduce((a, b) => a + b, 0) / timing.delays.length);
    return writeOutputFile(file, await encodeMp4(frames, fps, requireFfmpeg(`Writing ${shown(file)}`)), ifExists);
  }
  const [{ width, height }] = frames;
  const stacked = Buffer.concat(frames.map((f) => Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength)));
  const image = sharp(stacked, { raw: { width, height: height * frames.length, channels: 3, pageHeight: height } });
  const animation = { delay: timing.delays, loop: timing.loop };
  const bytes = await (format === 'gif' ? image.gif(animation) : image.webp({ ...animation, quality: 90 })).toBuffer();
  return writeOutputFile(file, bytes, ifExists);
}

/**
 * Where a clip's frames are written as each is painted: the output when it is a folder, else a folder beside the
 * animation (clip.starry.gif.frames), removed once the animation is written. An interrupted run's frames stay in it,
 * and a run with `resume` goes on from them.
 */
export function clipFramesFolder(output: string): string {
  return animationFormat(output) ? `${output}.frames` : output;
}

/** The name of frame `index` (0-based) of a clip written as a folder: frame_00001.png, … */
export const frameName = (index: number): string => `frame_${String(index + 1).padStart(5, '0')}.png`;
