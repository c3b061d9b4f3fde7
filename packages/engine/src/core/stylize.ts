import * as tf from '@tensorflow/tfjs';
import { matchColourStatistics } from './color-transfer';
import { NeuralStyleError } from './errors';
import { LoopHooks, optimizeScale, RunClock, throwIfCancelled } from './loop';
import { createObjective } from './objective';
import { StylizeOptions } from './options';
import { Plan, planStylization } from './plan';
import { fitLongestSide, fromVggInput, keepContentColors, resizeImage, RgbImage, toVggInput } from './pixels';
import { LossTerms, Progress } from './progress';
import { validateOptions } from './validate';
import { FeatureExtractor, MEAN_BGR } from './vgg19';

export type { LossTerms, Progress };

export interface StylizeRequest {
  content: RgbImage;
  /** One or more style images; blended by options.styleBlendWeights. */
  styles: RgbImage[];
  options?: Partial<StylizeOptions>;
}

export type StylizeHooks = LoopHooks;

export interface StylizeResult {
  image: RgbImage;
  losses: LossTerms;
  steps: number;
  elapsedMs: number;
  backend: string;
  options: StylizeOptions;
}

/** Tensors a run owns until it ends, however it ends. */
class Owned {
  private readonly tensors: tf.Tensor[] = [];
  add<T extends tf.Tensor>(t: T): T { this.tensors.push(t); return t; }
  dispose(): void { tf.dispose(this.tensors); }
}

/**
 * Paints `content` in the style of `styles` (Gatys et al. 2015): plan the
 * scales, then per scale build its objective and optimise, coarse to fine.
 * Runs on the current tfjs backend; frees every tensor it made, also when
 * cancelled or failing.
 */
export async function stylize(vgg: FeatureExtractor, request: StylizeRequest, hooks: StylizeHooks = {}): Promise<StylizeResult> {
  const o = validateOptions(request.options);
  if (request.styles.length === 0) throw new NeuralStyleError('At least one style image is needed.');
  const backend = tf.getBackend();
  const plan = planStylization(o, request.content, request.styles.length, backend);
  const clock = new RunClock(plan, backend);
  vgg.prepare(plan.layers, o.pooling);
  const owned = new Owned();
  let x: tf.Tensor4D | null = null;
  let terms: LossTerms = { content: 0, style: 0, tv: 0, total: 0 };
  try {
    const clip = pixelRange(owned);
    const contentFull = owned.add(toVggInput(request.content));
    const styles = request.styles.map((s) => owned.add(toVggInput(s)));
    for (const scale of plan.scales) {
      throwIfCancelled(hooks.signal);
      const content = owned.add(resizeImage(contentFull, scale.height, scale.width));
      const objective = createObjective(vgg, { content, styles }, plan, scale);
      try {
        const unclipped = x ? upscaleWithContentDetail(x, content) : initialImage(plan, content, styles);
        x?.dispose();
        x = null;
        const start = clip(unclipped) as tf.Tensor4D;
        unclipped.dispose();
        ({ image: x, terms } = await optimizeScale({ plan, scale, objective, start, clip, clock, backend, preview: (image) => preview(image, content, o) }, hooks));
      } finally {
        objective.dispose();
      }
    }
    const image = finalImage(x!, contentFull, plan);
    return { image, losses: terms, steps: clock.steps, elapsedMs: clock.elapsedMs, backend, options: o };
  } finally {
    x?.dispose();
    owned.dispose();
  }
}

/**
 * Onto 0..255 (in VGG's BGR − mean units): every step stays inside it, so
 * what is optimised is what is saved.
 */
function pixelRange(owned: Owned): (candidate: tf.Tensor) => tf.Tensor {
  const low = owned.add(tf.tidy(() => tf.neg(tf.tensor1d([...MEAN_BGR]))));
  const high = owned.add(tf.tidy(() => tf.sub(255, tf.tensor1d([...MEAN_BGR]))));
  return (candidate) => tf.tidy(() => tf.minimum(tf.maximum(candidate, low), high));
}

function initialImage(plan: Plan, content: tf.Tensor4D, styles: tf.Tensor4D[]): tf.Tensor4D {
  const o = plan.options;
  if (o.init === 'content-in-style-colors') return matchColourStatistics(content, styles, plan.styleBlend);
  if (o.init === 'content') return tf.clone(content);
  return tf.tidy(() => {
    const noise = tf.randomUniform(content.shape, -128, 128, 'float32', o.seed) as tf.Tensor4D;
    return o.init === 'noise' ? noise : tf.add(tf.mul(noise, o.noiseRatio), tf.mul(content, 1 - o.noiseRatio)) as tf.Tensor4D;
  });
}

/**
 * The start of a finer scale: the coarser result upsampled, plus the content's
 * detail that upsampling cannot bring back (content − up(down(content))). A
 * plain upsample is blurred, which the finer scale's style (conv1_1 Grams)
 * and content terms both punish.
 */
function upscaleWithContentDetail(x: tf.Tensor4D, content: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = content.shape;
  const [, ch, cw] = x.shape;
  return tf.tidy(() => {
    const blurredContent = resizeImage(resizeImage(content, ch, cw), h, w);
    return tf.add(resizeImage(x, h, w), tf.sub(content, blurredContent)) as tf.Tensor4D;
  });
}

function finalImage(x: tf.Tensor4D, contentFull: tf.Tensor4D, plan: Plan): RgbImage {
  const { width, height } = plan.final;
  const result = tf.tidy(() => (plan.options.preserveColors ? keepContentColors(x, resizeImage(contentFull, height, width)) : tf.clone(x)));
  try {
    return fromVggInput(result);
  } finally {
    result.dispose();
  }
}

function preview(x: tf.Tensor4D, content: tf.Tensor4D, o: StylizeOptions): RgbImage {
  const [, h, w] = x.shape;
  const dims = fitLongestSide(w, h, Math.min(o.previewSize, Math.max(w, h)));
  const small = tf.tidy(() => resizeImage(o.preserveColors ? keepContentColors(x, content) : x, dims.height, dims.width));
  try {
    return fromVggInput(small);
  } finally {
    small.dispose();
  }
}
