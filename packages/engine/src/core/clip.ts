import * as tf from '@tensorflow/tfjs';
import { ClipClock } from './clip-clock';
import { NeuralStyleError } from './errors';
import { consistencyMask } from './flow/consistency';
import { tvL1Flow } from './flow/tv-l1';
import { warp } from './flow/warp';
import { hostImage } from './image/host-image';
import { resizeHost } from './image/resize';
import { throwIfCancelled } from './loop';
import { DEFAULT_TEMPORAL_WEIGHT, StylizeOptions } from './options';
import { RgbImage } from './pixels';
import { StyleTargetCache } from './style-cache';
import { validateOptions } from './validate';
import { ClipTemporal, stylize, StylizeHooks, StylizeRequest, StylizeResult } from './stylize';
import { FeatureExtractor } from './vgg19';

/*
 * A clip stylized frame by frame without flicker (Ruder, Dosovitskiy and
 * Brox 2016, "Artistic style transfer for videos"): the first frame is
 * painted as a still; each next one at the output's size (one scale),
 * started from the previous result warped to it by the optical flow, and
 * held to it by the temporal loss where the flow holds (temporal.ts; the
 * flow and its mask, flow/).
 */

export { DEFAULT_TEMPORAL_WEIGHT };

export interface ClipRequest extends Omit<StylizeRequest, 'content' | 'start' | 'temporal' | 'resume'> {
  /** The frames in order, each the same size. */
  frames: RgbImage[];
  /** The temporal loss's weight (default DEFAULT_TEMPORAL_WEIGHT; 0: each frame only starts from the last). */
  temporalWeight?: number;
  /**
   * Go on after an interrupted run of this request: its first `done` frames are painted, `last` the last one's result
   * (as it was written: a lossless file gives back the very pixels, so the clip goes on as if never stopped).
   */
  resume?: { done: number; last: RgbImage };
}

export interface ClipHooks extends StylizeHooks {
  /**
   * A frame begins (0-based), of `count`: its progress follows through onProgress, with the frame said and the
   * fraction and ETA the clip's (clip-clock.ts).
   */
  onFrameStart?: (index: number, count: number) => void;
  /** A frame is done: its result (the caller keeps or writes it; the clip keeps only the last). Awaited. */
  onFrame?: (index: number, result: StylizeResult) => void | Promise<void>;
}

/**
 * Stylizes `request.frames` in order (from the first not done, resumed); returns each painted frame's result without
 * its image (onFrame had it).
 */
export async function stylizeClip(vgg: FeatureExtractor, request: ClipRequest,
  hooks: ClipHooks = {}): Promise<Omit<StylizeResult, 'image'>[]> {
  const { frames, temporalWeight = DEFAULT_TEMPORAL_WEIGHT, resume, ...still } = request;
  checkFrames(frames);
  const first = resume ? checkResume(resume, frames.length) : 0;
  const clock = new ClipClock(frames.length, validateOptions(still.options).iterations);
  const styleCache = new StyleTargetCache();
  try {
    const run: ClipRun = { frames, still: { ...still, styleCache }, temporalWeight, clock };
    return await paintFrames(vgg, run, first, resume?.last ?? null, hooks);
  } finally {
    styleCache.dispose();
  }
}

/** What every frame of a clip is painted with. */
interface ClipRun {
  frames: RgbImage[];
  still: Omit<StylizeRequest, 'content' | 'start' | 'temporal' | 'resume'>;
  temporalWeight: number;
  clock: ClipClock;
}

/** Paints frames `first`… in order, each from the last one's result (`last`: the one before `first`, resumed). */
async function paintFrames(vgg: FeatureExtractor, { frames, still, temporalWeight, clock }: ClipRun, first: number,
  last: RgbImage | null, hooks: ClipHooks): Promise<Omit<StylizeResult, 'image'>[]> {
  const done: Omit<StylizeResult, 'image'>[] = [];
  let previous = last && first > 0 ? { frame: frames[first - 1], result: last } : null;
  for (let index = first; index < frames.length; index++) {
    throwIfCancelled(hooks.signal);
    const began = Date.now();
    const frame = frames[index];
    hooks.onFrameStart?.(index, frames.length);
    const options: Partial<StylizeOptions> = previous ? { ...still.options, multiScale: false } : { ...still.options };
    const temporal = previous && warpedPrevious(previous.frame, previous.result, frame, temporalWeight);
    // The plan the hooks hear is the first frame's (the next ones are one scale each); the reports are the clip's.
    const frameHooks: StylizeHooks = { ...hooks,
      onPlan: (estimate) => {
        clock.plan(index, estimate);
        if (index === first) hooks.onPlan?.(estimate);
      },
      onProgress: hooks.onProgress && ((p) => hooks.onProgress!(clock.report(index, p))) };
    const result = await stylize(vgg, { ...still, content: frame, options,
      ...(temporal ? { start: temporal.image, temporal } : {}) }, frameHooks);
    await hooks.onFrame?.(index, result);
    clock.frameDone(index, Date.now() - began);
    const { image, ...summary } = result;
    done.push(summary);
    previous = { frame, result: image };
  }
  return done;
}

/** The first frame to paint of a resumed clip of `count` frames. */
function checkResume({ done, last }: NonNullable<ClipRequest['resume']>, count: number): number {
  if (!Number.isInteger(done) || done < 0 || done > count) {
    throw new NeuralStyleError(`A clip of ${count} frames cannot go on after ${done} frames.`);
  }
  if (done > 0 && (last.width === 0 || last.data.length !== last.width * last.height * 3)) {
    throw new NeuralStyleError('The last painted frame of a resumed clip is not an RGB image.');
  }
  return done;
}

function checkFrames(frames: readonly RgbImage[]): void {
  if (frames.length === 0) throw new NeuralStyleError('A clip needs at least one frame.');
  const [{ width, height }] = frames;
  const other = frames.findIndex((f) => f.width !== width || f.height !== height);
  if (other >= 0) {
    throw new NeuralStyleError(`Frame ${other + 1} is ${frames[other].width}×${frames[other].height}; every frame `
      + `of a clip must be the first's size, ${width}×${height}.`);
  }
}

/**
 * The previous frame's result brought to `frame` by the flow from `frame` to `previousFrame` (for each of its pixels,
 * where it was), and where that flow holds (the flow back agrees: consistency.ts), at the result's size. All a frame
 * spends on the optical flow (bench/clip.mjs times it).
 */
export function warpedPrevious(previousFrame: RgbImage, previousResult: RgbImage, frame: RgbImage,
  weight: number): ClipTemporal {
  const { width, height } = previousResult;
  const [image, weights] = tf.tidy(() => {
    const [now, before] = [greyAt(frame, height, width), greyAt(previousFrame, height, width)];
    const back = tvL1Flow(now, before);
    const forward = tvL1Flow(before, now);
    const mask = consistencyMask(back, forward);
    const result = tf.tensor3d(Float32Array.from(previousResult.data), [height, width, 3]);
    return [tf.clipByValue(tf.round(warp(result, back)), 0, 255), mask];
  });
  try {
    const warped = { width, height, data: Uint8Array.from(image.dataSync()) };
    return { image: warped, weights: weights.dataSync() as Float32Array, weight };
  } finally {
    tf.dispose([image, weights]);
  }
}

/** A frame's luminance (0..255) at height × width, on the backend. */
function greyAt(frame: RgbImage, height: number, width: number): tf.Tensor2D {
  const { data } = frame;
  const grey = Float32Array.from({ length: frame.width * frame.height },
    (_, p) => 0.299 * data[3 * p] + 0.587 * data[3 * p + 1] + 0.114 * data[3 * p + 2]);
  const sized = resizeHost(hostImage(frame.height, frame.width, 1, grey), height, width);
  return tf.tensor2d(sized.data as Float32Array<ArrayBuffer>, [height, width]);
}
