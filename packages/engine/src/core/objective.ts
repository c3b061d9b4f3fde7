import * as tf from '@tensorflow/tfjs';
import { positions } from './geometry';
import { HostImage } from './image/host-image';
import { resizeHost } from './image/resize';
import { StylizeOptions, VggLayer } from './options';
import { Plan, ScalePlan, styleSize } from './plan';
import { LossTerms } from './progress';
import { StyleRegion } from './regions';
import { styleMaskRegion } from './style-masks';
import type { StyleTargetCache } from './style-cache';
import type { TemporalTarget } from './temporal';

/** The loss terms at an image, and the gradient of their weighted sum with respect to it (the caller owns it). */
export interface Evaluation<I> { terms: LossTerms; gradient: I }

export interface EvaluationHooks {
  signal?: AbortSignal;
  /** A tiled evaluation reports each tile done: `done` of `total` this evaluation. */
  onTile?: (done: number, total: number) => void;
}

/**
 * The function a scale minimises: loss and gradient of an image (the
 * network's convention) of the scale's size. It owns its targets and weights.
 * Computed on the whole image as a tensor (whole-objective.ts), or tile by
 * tile on an image in ordinary memory (tiling/tiled-objective.ts): the same
 * function either way.
 */
export interface Objective<I> {
  evaluate(image: I, hooks?: EvaluationHooks): Promise<Evaluation<I>>;
  dispose(): void;
}

/**
 * The images one scale compares with: the content at the scale's size, the styles at any size, with regions
 * (regions.ts) each style's region at the scale's size, and with style masks (style-masks.ts) each painting's part
 * its style is taken from, at the painting's size (null: the whole painting).
 */
export interface ObjectiveInputs {
  content: HostImage;
  styles: HostImage[];
  regions?: StyleRegion[];
  styleMasks?: (HostImage | null)[];
  /** A clip's frame: the previous frame's result warped to this one, where the flow holds (temporal.ts). */
  temporal?: TemporalTarget;
  /** A clip's style targets, computed once for all its frames (style-cache.ts); the Gram's without regions. */
  styleCache?: StyleTargetCache;
}

/** What pulls the image towards a style: its target Grams A/M', and where (null: the whole image). */
export interface StylePull { targets: Map<VggLayer, tf.Tensor2D>; region: StyleRegion | null }

/** The weights of the loss's terms at one scale. */
export interface TermWeights { content: number; style: number; tv: number; styleLayers: readonly number[] }

/**
 * The size the 'size-independent' normalisation refers its sums to: at
 * 256×256 the loss is the paper's, at any other size the content and TV sums
 * are scaled by (that size's positions) / (the scale's), as a mean over
 * positions would be. The style term is per position already (E_l divides by
 * M_l²), so content and style keep their balance at every size: a 2048 px
 * picture gets as much paint as a 256 px one. Not in the paper, whose sums
 * give larger pictures less paint.
 */
export const REFERENCE_SIDE = 256;

/**
 * The weights of one scale's terms. 'paper': the sums as they are, and at a
 * coarse scale of a multi-scale run contentWeight scaled by the final
 * scale's positions over this one's, so that every scale aims at the final
 * scale's balance; 'size-independent': content and TV scaled to REFERENCE_SIDE.
 */
export function termWeights(plan: Plan, scale: ScalePlan): TermWeights {
  const o = plan.options;
  const layer = o.contentLayer;
  const contentPositions = positions(layer, scale.height, scale.width);
  const styleLayers = plan.styleLayerWeights;
  if (o.normalization === 'paper') {
    const balance = positions(layer, plan.final.height, plan.final.width) / contentPositions;
    return { content: o.contentWeight * balance, style: o.styleWeight, tv: o.tvWeight, styleLayers };
  }
  return {
    content: o.contentWeight * positions(layer, REFERENCE_SIDE, REFERENCE_SIDE) / contentPositions,
    style: o.styleWeight,
    tv: o.tvWeight * (REFERENCE_SIDE * REFERENCE_SIDE) / (scale.width * scale.height),
    styleLayers,
  };
}

/**
 * The Grams G/M of an image's features at `layers` (M: each layer's positions); with `region`, over its positions
 * alone, Σ m² F Fᵀ / Σ m² (a painting's part, style-masks.ts).
 */
export type GramsOf = (image: HostImage, region?: StyleRegion) => Promise<Map<VggLayer, tf.Tensor2D>>;

/**
 * The style pulls of one scale: one of the blended styles over the whole
 * image, or with regions one per style in its own region.
 */
export async function stylePulls(inputs: ObjectiveInputs, plan: Plan, scale: ScalePlan,
  gramsOf: GramsOf): Promise<StylePull[]> {
  const { styles, regions, styleMasks } = inputs;
  const paintings = styles.map((image, i) => ({ image, mask: styleMasks?.[i] ?? null }));
  if (!regions) {
    const compute = () => styleTargets(paintings, plan.styleBlend, plan, scale, gramsOf);
    const cache = inputs.styleCache;
    return [{ targets: cache ? await cache.targets(`${scale.width}×${scale.height}`, compute) : await compute(),
      region: null }];
  }
  const pulls: StylePull[] = [];
  try {
    for (const [i, painting] of paintings.entries()) {
      pulls.push({ targets: await styleTargets([painting], [1], plan, scale, gramsOf), region: regions[i] });
    }
    return pulls;
  } catch (error) {
    disposePulls(pulls);
    throw error;
  }
}

export function disposePulls(pulls: readonly StylePull[]): void {
  for (const pull of pulls) tf.dispose([...pull.targets.values()]);
}

/** A style image and the part of it its style is taken from (null: all of it). */
interface Painting { image: HostImage; mask: HostImage | null }

/**
 * The style target A/M' of each style layer, the styles blended by `blend`,
 * each style image at its size for the scale (M': its positions, or its
 * part's Σ m² where it has a mask). With normalization 'paper' a target is
 * scaled by M'/M (over the output's positions): the paper's E_l, which
 * divides both Grams by the output's M (see losses.ts).
 */
async function styleTargets(paintings: readonly Painting[], blend: readonly number[], plan: Plan, scale: ScalePlan,
  gramsOf: GramsOf): Promise<Map<VggLayer, tf.Tensor2D>> {
  const o = plan.options;
  const targets = new Map<VggLayer, tf.Tensor2D>();
  for (const [i, painting] of paintings.entries()) {
    const sized = styleAtScale(o, painting.image, scale);
    const part = painting.mask ? styleMaskRegion(painting.mask, sized, o.styleLayers) : undefined;
    const grams = await gramsOf(sized, part);
    for (const layer of o.styleLayers) {
      const counted = part ? part.get(layer)!.area : positions(layer, sized.height, sized.width);
      const paper = o.normalization === 'paper' ? counted / positions(layer, scale.height, scale.width) : 1;
      const weighted = tf.mul(grams.get(layer)!, blend[i] * paper) as tf.Tensor2D;
      const previous = targets.get(layer);
      targets.set(layer, previous ? tf.add(previous, weighted) : weighted);
      if (previous) tf.dispose([previous, weighted]);
    }
    tf.dispose([...grams.values()]);
  }
  return targets;
}

/** A style image at its size for `scale`; not copied where it has that size (at a print's, it is the image's). */
export function styleAtScale(o: StylizeOptions, style: HostImage, scale: ScalePlan): HostImage {
  const dims = styleSize(o, style, scale);
  return dims.height === style.height && dims.width === style.width ? style
    : resizeHost(style, dims.height, dims.width);
}
