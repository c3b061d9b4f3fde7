import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NeuralStyleError } from '../core/errors';
import { fitLongestSide, RgbImage } from '../core/pixels';
import { shown } from '../core/text';

/*
 * Video in and out through an ffmpeg found on the PATH (never downloaded, never bundled: its codecs' licences and
 * patents are the user's installation's). ffprobe, installed with it, tells a video's size and rate; ffmpeg decodes
 * it to raw RGB frames and encodes frames to H.264 in an MP4.
 */

/** The video files a clip is read from through ffmpeg, by extension. */
export const VIDEO_EXTENSIONS = new Set(['.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi']);

export const isVideoFile = (file: string): boolean => VIDEO_EXTENSIONS.has(path.extname(file).toLowerCase());

export interface Ffmpeg { ffmpeg: string; ffprobe: string }

/** ffmpeg and ffprobe on `searchPath` (the PATH), or null when either is missing. */
export function findFfmpeg(searchPath = process.env.PATH ?? ''): Ffmpeg | null {
  const names = process.platform === 'win32' ? ['ffmpeg.exe', 'ffprobe.exe'] : ['ffmpeg', 'ffprobe'];
  const [ffmpeg, ffprobe] = names.map((name) => onPath(name, searchPath));
  return ffmpeg && ffprobe ? { ffmpeg, ffprobe } : null;
}

function onPath(name: string, searchPath: string): string | null {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** ffmpeg, or an error saying that `what` needs it and what to do instead. */
export function requireFfmpeg(what: string, searchPath?: string): Ffmpeg {
  const found = findFfmpeg(searchPath);
  if (found) return found;
  throw new NeuralStyleError(`${what} needs ffmpeg (with ffprobe) on the PATH, and none was found. Install ffmpeg `
    + '(e.g. apt install ffmpeg, brew install ffmpeg, winget install ffmpeg), or use a folder of frames or an '
    + 'animated GIF, WebP or PNG.', 'ENOFFMPEG');
}

export interface VideoInfo { width: number; height: number; frames: number | null; fps: number }

/** A video's first stream's size, frame count (where its container says it) and frame rate, by ffprobe. */
export async function probeVideo(file: string, tools: Ffmpeg): Promise<VideoInfo> {
  const { stdout } = await run(tools.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries',
    'stream=width,height,nb_frames,avg_frame_rate:stream_side_data=rotation', '-of', 'json', file], file);
  const stream = (JSON.parse(stdout.toString('utf8')) as { streams?: Record<string, unknown>[] }).streams?.[0];
  const width = Number(stream?.width);
  const height = Number(stream?.height);
  if (!stream || !(width > 0 && height > 0)) {
    throw new NeuralStyleError(`${shown(file)} has no video stream ffmpeg can read.`, 'EIMAGE');
  }
  const [num, den] = String(stream.avg_frame_rate ?? '').split('/').map(Number);
  const fps = num > 0 && den > 0 ? num / den : 25;
  const frames = Number(stream.nb_frames);
  // A phone's portrait video is stored sideways with a rotation, which ffmpeg applies as it decodes.
  const turned = (stream.side_data_list as { rotation?: number }[] | undefined)
    ?.some((d) => Math.abs(d.rotation ?? 0) % 180 === 90) ?? false;
  return { width: turned ? height : width, height: turned ? width : height,
    frames: Number.isInteger(frames) && frames > 0 ? frames : null, fps };
}

/** A video's frames as RGB at width × height, at most `maxFrames` (one more tells the caller there are more). */
export async function decodeVideo(file: string, tools: Ffmpeg, width: number, height: number,
  maxFrames: number): Promise<RgbImage[]> {
  const { stdout } = await run(tools.ffmpeg, ['-v', 'error', '-nostdin', '-i', file, '-frames:v', String(maxFrames + 1),
    '-vf', `scale=${width}:${height}:flags=lanczos`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], file);
  const bytes = width * height * 3;
  const count = Math.floor(stdout.length / bytes);
  return Array.from({ length: count }, (_, i) => ({
    width, height, data: new Uint8Array(stdout.buffer, stdout.byteOffset + i * bytes, bytes),
  }));
}

/** The size a video's frames are read at: its longest side at most `longestSide`. */
export function videoFrameSize(info: VideoInfo, longestSide: number): { width: number; height: number } {
  const { width, height } = fitLongestSide(info.width, info.height, Math.min(longestSide, Math.max(info.width,
    info.height)));
  return { width, height };
}

/**
 * `frames` as an H.264 MP4 at `fps`, its bytes. An odd side loses its last row or column: H.264 in yuv420p (what
 * players take) needs even sides, and a lost row shows less than a black one.
 */
export async function encodeMp4(frames: readonly RgbImage[], fps: number, tools: Ffmpeg): Promise<Buffer> {
  const [{ width, height }] = frames;
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'neural-style-mp4-'));
  const file = path.join(dir, 'clip.mp4');
  try {
    const input = Buffer.concat(frames.map((f) => Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength)));
    await run(tools.ffmpeg, ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`,
      '-r', String(fps), '-i', '-', '-vf', 'crop=trunc(iw/2)*2:trunc(ih/2)*2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p',
      '-crf', '18', '-movflags', '+faststart', file], 'the MP4', input);
    return await fs.promises.readFile(file);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** Runs a tool to its end; its stdout, or an error with the first lines of its stderr. */
function run(command: string, args: string[], what: string, input?: Buffer): Promise<{ stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => { if (err.length < 4000) err += d; });
    child.on('error', (e) => reject(new NeuralStyleError(`Could not run ${shown(command)}: ${e.message}`, 'ENOFFMPEG')));
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout: Buffer.concat(out) });
      else {
        const why = err.trim().split('\n').slice(0, 3).join(' ').slice(0, 400) || `exit code ${code}`;
        reject(new NeuralStyleError(`ffmpeg could not read or write ${shown(what)}: ${why}`, 'EIMAGE'));
      }
    });
    if (input) {
      child.stdin!.on('error', () => undefined); // ffmpeg stopped reading: its exit says why
      child.stdin!.end(input);
    }
  });
}
