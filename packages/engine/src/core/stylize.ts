import * as tf from '@tensorflow/tfjs';
import { contentLoss, normalizedGram, styleLayerLoss, totalVariationLoss } from './losses';
import { createOptimizer } from './optimizers';
import { StylizeOptions, VggLayer } from './options';
import { fitLongestSide, fromVggInput, keepContentColors, resizeImage, RgbImage, toVggInput } from './pixels';
import { CancelledError, NeuralStyleError } from './errors';
import { styleBlend, validateOptions } from './validate';
import { FeatureExtractor, MEAN_BGR, minimumSide, poolsBefore } from './vgg19';
import { GradientArena } from './fast-ops';
import { PyramidParameterization } from './pyramid';
import { ImageVariable } from './image-variable';
import { matchColourStatistics } from './color-transfer';
import { checkMemory, explainFailure, historyFor } from './memory';
import { LossTerms, Progress } from './progress';

export type { LossTerms, Progress };

export interface StylizeRequest {
  content: RgbImage;
  /** One or more style images; blended by options.styleBlendWeights. */
  styles: RgbImage[];
  options?: Partial<StylizeOptions>;
}

export interface StylizeHooks {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

export interface StylizeResult {
  image: RgbImage;
  losses: LossTerms;
  steps: number;
  elapsedMs: number;
  backend: string;
  options: StylizeOptions;
}

/** Longest sides of the scales, coarse to fine: 1/4, 1/2, 1 of the size, none under 64 px. */
export function scaleSizes(options: StylizeOptions): number[] {
  if (!options.multiScale) return [options.size];
  const sizes = [Math.round(options.size / 4), Math.round(options.size / 2)].filter((s) => s >= 64);
  return [...sizes, options.size];
}

/** Coarse scales are cheap (1/16, 1/4 of the pixels); each gets options.coarseIterations × the final one's iterations. */
export function scaleIterations(options: StylizeOptions, scaleCount: number): number[] {
  return Array.from({ length: scaleCount }, (_, i) => (i === scaleCount - 1
    ? options.iterations : Math.max(1, Math.ceil(options.iterations * options.coarseIterations))));
}

/**
 * The start of a finer scale: the coarser result upsampled, plus the content's
 * detail that upsampling cannot bring back (content − up(down(content))).
 * A plain upsample is blurred, which the finer scale's style (conv1_1 Grams)
 * and content terms both punish: its loss started ~10x above the coarse
 * scale's end. Adding the missing band of the content photo starts it where
 * an init from content would have those frequencies.
 */
function upscaleWithContentDetail(x: tf.Tensor4D, content: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = content.shape;
  const [, ch, cw] = x.shape;
  return tf.tidy(() => {
    const blurredContent = resizeImage(resizeImage(content, ch, cw), h, w);
    return tf.add(resizeImage(x, h, w), tf.sub(content, blurredContent)) as tf.Tensor4D;
  });
}

/**
 * The content loss is a sum over conv4_2's positions, the style loss is not
 * (E_l divides by M_l²): at a coarse scale with 1/4 of the pixels the same
 * contentWeight would paint 4x more style than the final scale wants, and the
 * final scale would spend its (expensive) iterations pulling the picture back
 * towards the photo. Scaling contentWeight by the ratio of positions makes
 * every scale aim at the final scale's balance.
 */
function contentBalance(layer: VggLayer, final: { width: number; height: number }, scale: { width: number; height: number }): number {
  return positions(layer, final.height, final.width) / positions(layer, scale.height, scale.width);
}

interface Targets { content: tf.Tensor4D | null; grams: Map<VggLayer, tf.Tensor2D> }

/** Positions M of a VGG layer's features for an image of height × width (2x2 'valid' pools floor). */
function positions(layer: VggLayer, height: number, width: number): number {
  const pools = poolsBefore(layer);
  return Math.max(1, Math.floor(height / 2 ** pools)) * Math.max(1, Math.floor(width / 2 ** pools));
}

function computeTargets(vgg: FeatureExtractor, content: tf.Tensor4D, styles: tf.Tensor4D[], blend: number[],
  o: StylizeOptions, height: number, width: number): Targets {
  // One tidy per image: a VGG forward pass holds every activation until its
  // tidy ends, and the targets are what bounds peak memory at large sizes.
  const grams = new Map<VggLayer, tf.Tensor2D>();
  const styleSide = Math.max(16, Math.round(o.styleScale * Math.max(height, width)));
  styles.forEach((style, i) => {
    const dims = fitLongestSide(style.shape[2], style.shape[1], styleSide);
    const layerGrams = tf.tidy(() => {
      const feats = vgg.extract(resizeImage(style, dims.height, dims.width), o.styleLayers, o.pooling);
      return o.styleLayers.map((layer) => {
        // 'paper': A/M with the output's M, not the style's M' (see losses.ts).
        const scale = o.gramNormalization === 'paper' ? positions(layer, dims.height, dims.width) / positions(layer, height, width) : 1;
        return tf.mul(normalizedGram(feats.get(layer)!), blend[i] * scale) as tf.Tensor2D;
      });
    });
    o.styleLayers.forEach((layer, j) => {
      const prev = grams.get(layer);
      grams.set(layer, prev ? tf.add(prev, layerGrams[j]) : layerGrams[j]);
      if (prev) tf.dispose([prev, layerGrams[j]]);
    });
  });
  const contentFeatures = o.contentWeight > 0
    ? tf.tidy(() => vgg.extract(content, [o.contentLayer], o.pooling).get(o.contentLayer)!)
    : null;
  return { content: contentFeatures, grams };
}

function initialImage(o: StylizeOptions, content: tf.Tensor4D, styles: tf.Tensor4D[], blend: number[]): tf.Tensor4D {
  if (o.init === 'content-in-style-colors') return matchColourStatistics(content, styles, blend);
  if (o.init === 'content') return tf.clone(content);
  return tf.tidy(() => {
    const noise = tf.randomUniform(content.shape, -128, 128, 'float32', o.seed) as tf.Tensor4D;
    return o.init === 'noise' ? noise : tf.add(tf.mul(noise, o.noiseRatio), tf.mul(content, 1 - o.noiseRatio)) as tf.Tensor4D;
  });
}

/** The loss, its terms and its gradient with respect to the image. */
function lossAndGradient(vgg: FeatureExtractor, x: tf.Tensor4D, targets: Targets, o: StylizeOptions,
  layerWeights: number[], contentWeight: number): { terms: LossTerms; grad: tf.Tensor4D } {
  const layers = [...o.styleLayers, ...(targets.content ? [o.contentLayer] : [])];
  let kept: tf.Scalar[] = [];
  const arena = new GradientArena();
  const f = (image: tf.Tensor4D): tf.Scalar => {
    const feats = vgg.extract(image, layers, o.pooling, arena);
    const c = targets.content ? contentLoss(feats.get(o.contentLayer)!, targets.content) : tf.scalar(0);
    let s: tf.Scalar = tf.scalar(0);
    o.styleLayers.forEach((layer, i) => {
      s = tf.add(s, tf.mul(styleLayerLoss(feats.get(layer)!, targets.grams.get(layer)!, arena), layerWeights[i]));
    });
    const tv = o.tvWeight > 0 ? totalVariationLoss(image) : tf.scalar(0);
    kept = [tf.keep(c), tf.keep(s), tf.keep(tv)];
    return tf.addN([tf.mul(c, contentWeight), tf.mul(s, o.styleWeight), tf.mul(tv, o.tvWeight)]) as tf.Scalar;
  };
  let result: { value: tf.Scalar; grad: tf.Tensor };
  try {
    result = tf.valueAndGrad(f)(x);
  } finally {
    arena.dispose();
  }
  const { value, grad } = result;
  const [content, style, tv] = kept.map((t) => t.dataSync()[0]);
  const total = value.dataSync()[0];
  tf.dispose([value, ...kept]);
  return { terms: { content, style, tv, total }, grad: grad as tf.Tensor4D };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A forward pass and a gradient on the smallest image the layers allow,
 * before anything large exists: every layer gets prepared (its Winograd
 * transforms built, outside any gradient: see Vgg19.conv) and the backend
 * builds its operators (XNNPACK keeps a packed copy of every kernel), so
 * these long-lived buffers sit together at the bottom of the wasm heap, not
 * between the activations of the first iterations. The heap never shrinks
 * and its fragmentation sets the peak: at 512 px (`node
 * packages/engine/bench/child.mjs iter wasm 512 3`) 1429-1436 MB with a
 * warm-up, 1448-1464 MB without.
 */
function warmUp(vgg: FeatureExtractor, layers: VggLayer[], pooling: StylizeOptions['pooling']): void {
  const side = minimumSide(layers);
  const image = tf.zeros([1, side, side, 3]) as tf.Tensor4D;
  const arena = new GradientArena();
  try {
    tf.tidy(() => { vgg.extract(image, layers, pooling); });
    tf.tidy(() => { tf.grad((x: tf.Tensor) => tf.addN([...vgg.extract(x as tf.Tensor4D, layers, pooling, arena).values()].map((f) => tf.sum(f))))(image); });
  } finally {
    arena.dispose();
    image.dispose();
  }
}

/**
 * Paints `content` in the style of `styles` (Gatys et al. 2015). Runs on the
 * current tfjs backend; frees every tensor it made, also when cancelled or failing.
 */
export async function stylize(vgg: FeatureExtractor, request: StylizeRequest, hooks: StylizeHooks = {}): Promise<StylizeResult> {
  const o = validateOptions(request.options);
  if (request.styles.length === 0) throw new NeuralStyleError('At least one style image is needed.');
  const blend = styleBlend(o, request.styles.length);
  const weightSum = o.styleLayerWeights.reduce((a, b) => a + b, 0);
  const layerWeights = o.styleLayerWeights.map((w) => w / weightSum);
  const backend = tf.getBackend();
  const started = performance.now();
  const final = fitLongestSide(request.content.width, request.content.height, o.size);
  const minSide = minimumSide([...o.styleLayers, o.contentLayer]);
  if (Math.min(final.width, final.height) < minSide) {
    throw new NeuralStyleError(`The output would be ${final.width}×${final.height} px; VGG19 needs at least ${minSide} px on the shorter side for these layers. Raise size.`);
  }
  // Coarse scales too small for the network are left out.
  const sizes = scaleSizes(o).filter((s) => { const d = fitLongestSide(final.width, final.height, s); return Math.min(d.width, d.height) >= minSide; });
  const iterations = scaleIterations(o, sizes.length);
  const dims = sizes.map((s) => fitLongestSide(final.width, final.height, s));
  checkMemory(final.width, final.height, backend);
  const work = dims.map((d, i) => d.width * d.height * iterations[i]);
  const totalSteps = iterations.reduce((a, b) => a + b, 0);

  warmUp(vgg, [...o.styleLayers, o.contentLayer], o.pooling);
  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => { owned.push(t); return t; };
  let x: tf.Tensor4D | null = null;
  let step = 0;
  let lastTerms: LossTerms = { content: 0, style: 0, tv: 0, total: 0 };
  let msPerPixelIteration = 0;
  try {
    // The optimiser stays inside 0..255 (in VGG's BGR − mean units): what it
    // optimises is what gets saved (see Lbfgs).
    const pixelRange = {
      low: own(tf.tidy(() => tf.neg(tf.tensor1d([...MEAN_BGR])))),
      high: own(tf.tidy(() => tf.sub(255, tf.tensor1d([...MEAN_BGR])))),
    };
    const clip = (candidate: tf.Tensor) => tf.tidy(() => tf.minimum(tf.maximum(candidate, pixelRange.low), pixelRange.high));
    const contentFull = own(toVggInput(request.content));
    const styles = request.styles.map((s) => own(toVggInput(s)));
    for (let k = 0; k < sizes.length; k++) {
      const { width, height } = dims[k];
      const content = own(resizeImage(contentFull, height, width));
      const targets = computeTargets(vgg, content, styles, blend, o, height, width);
      if (targets.content) own(targets.content);
      targets.grams.forEach((g) => own(g));
      const unclipped: tf.Tensor4D = x ? upscaleWithContentDetail(x, content) : initialImage(o, content, styles, blend);
      x?.dispose();
      x = null;
      const start = clip(unclipped) as tf.Tensor4D;
      unclipped.dispose();
      // Adam adapts its step per coordinate, which undoes what the pyramid is for (and was not tuned): pixels.
      const pyramid = o.parameterization === 'pyramid' && o.optimizer === 'lbfgs' ? new PyramidParameterization(height, width) : null;
      const image = new ImageVariable(start, pyramid);
      const contentWeight = o.contentWeight * contentBalance(o.contentLayer, final, dims[k]);
      const optimizer = createOptimizer(o.optimizer, { ...o, lbfgsHistory: historyFor(o.lbfgsHistory, image.value.size, backend) },
        image.projection(clip));
      const scaleStarted = performance.now();
      const history: number[] = [];
      try {
        for (let i = 1; i <= iterations[k]; i++) {
          await yieldToEventLoop();
          if (hooks.signal?.aborted) throw new CancelledError();
          let evaluated: { terms: LossTerms; grad: tf.Tensor4D };
          try {
            evaluated = lossAndGradient(vgg, image.image, targets, o, layerWeights, contentWeight);
          } catch (error) {
            throw explainFailure(error, width, height, backend);
          }
          const { terms } = evaluated;
          const grad = image.gradient(evaluated.grad);
          evaluated.grad.dispose();
          if (!Number.isFinite(terms.total)) {
            grad.dispose();
            throw new NeuralStyleError(`The loss became ${terms.total} at scale ${k + 1}, iteration ${i}. Lower the weights or the learning rate.`, 'EDIVERGED');
          }
          step += 1;
          lastTerms = terms;
          history.push(terms.total);
          const converged = o.tolerance > 0 && history.length > 10
            && Math.abs(history[history.length - 11] - terms.total) < o.tolerance * Math.abs(terms.total);
          const last = i === iterations[k] || converged;
          // Previews show the point whose losses are reported, and the last
          // point evaluated is the result: a final step would be unmeasured.
          const wantPreview = o.previewEvery > 0 && (i % o.previewEvery === 0 || last);
          const shown = wantPreview ? preview(image.image, content, o) : undefined;
          if (!last) image.moveTo(optimizer.next(image.value, terms.total, grad));
          grad.dispose();
          msPerPixelIteration = (performance.now() - scaleStarted) / (width * height * i);
          const remaining = work.slice(k + 1).reduce((a, b) => a + b, 0) + width * height * (iterations[k] - i);
          hooks.onProgress?.({
            scale: k + 1, scales: sizes.length, width, height, iteration: i, iterations: iterations[k], step, totalSteps,
            losses: terms, elapsedMs: performance.now() - started, etaMs: remaining * msPerPixelIteration, backend,
            preview: shown,
          });
          if (converged) break;
        }
        x = image.release();
      } finally {
        optimizer.dispose();
        image.dispose();
      }
    }
    const result = o.preserveColors ? keepContentColors(x!, own(resizeImage(contentFull, final.height, final.width))) : tf.clone(x!);
    const image = fromVggInput(result);
    result.dispose();
    return { image, losses: lastTerms, steps: step, elapsedMs: performance.now() - started, backend, options: o };
  } finally {
    x?.dispose();
    tf.dispose(owned);
  }
}

function preview(x: tf.Tensor4D, content: tf.Tensor4D, o: StylizeOptions): RgbImage {
  const [, h, w] = x.shape;
  const dims = fitLongestSide(w, h, Math.min(o.previewSize, Math.max(w, h)));
  const small = tf.tidy(() => {
    const colored = o.preserveColors ? keepContentColors(x, content) : x;
    return resizeImage(colored, dims.height, dims.width);
  });
  const image = fromVggInput(small);
  small.dispose();
  return image;
}
