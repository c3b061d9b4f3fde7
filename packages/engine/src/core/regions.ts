import { NeuralStyleError } from './errors';
import { featureSize, poolsBefore, positions } from './geometry';
import { HostImage, hostImage } from './image/host-image';
import { matchColourStatistics } from './image/colour';
import { halve, resizeHost } from './image/resize';
import { StylizeOptions, VggLayer } from './options';

/*
 * Regions with their own style (Gatys et al. 2017, "Controlling Perceptual
 * Factors in Neural Style Transfer", spatial control): a grey mask per style,
 * the photo's size, white where that style goes. Style r's Gram at layer l is
 * taken over its region, G_rl = Σ_p m_p² F_p F_pᵀ / a_rl with a_rl = Σ_p m_p²
 * (the features multiplied by the mask, as the paper does), the mask brought
 * to each layer by the 2x2 means VGG's pooling takes. Its distance to the
 * style's Gram counts with weight a_rl / M_l, the region's share of the
 * layer's positions: an all-white mask is exactly the unmasked loss, and a
 * region is painted as strongly as a whole picture would be. Where no mask is
 * white, no style pulls: the photo stays (the content term alone holds it).
 * Sums over positions, so the tiled objective takes them tile by tile, exact.
 * No tfjs here (the CLI checks masks before the engine loads): the masked
 * features are region-features.ts's.
 */

/** A region mask: one grey value a pixel (rows top to bottom), 0 none of its style … 255 all of it. */
export interface MaskImage { width: number; height: number; data: Uint8Array }

/** One style's region at one layer: the mask at the layer's size (0..1), a = Σ m², and a / M. */
export interface LayerRegion { mask: HostImage; area: number; share: number }

/** One style's region at every style layer. */
export type StyleRegion = Map<VggLayer, LayerRegion>;

/**
 * Refuses masks that cannot be what the run needs, before any work: one per
 * style, each the photo's size (`photo`: its pixels as decoded), not black
 * everywhere. `names`: how the user gave each mask (its file), for the message.
 */
export function checkMasks(masks: readonly MaskImage[], styleCount: number, photo: { width: number; height: number },
  names: readonly string[] = masks.map((_, i) => `#${i + 1}`)): void {
  checkMaskCount(masks.length, styleCount);
  for (const [i, mask] of masks.entries()) {
    checkMaskSize(names[i], mask, photo);
    if (mask.data.every((v) => v === 0)) {
      throw new NeuralStyleError(`The mask ${names[i]} is black everywhere: its style would paint nothing. `
        + 'Paint white where the style goes.');
    }
  }
}

/** Throws unless the mask `name` has the photo's size; `photoName`: how the user knows the photo, where known. */
export function checkMaskSize(name: string, mask: { width: number; height: number },
  photo: { width: number; height: number }, photoName?: string): void {
  if (mask.width === photo.width && mask.height === photo.height) return;
  throw new NeuralStyleError(`The mask ${name} is ${mask.width}×${mask.height}; a mask must be the photo's size, `
    + `${photo.width}×${photo.height}${photoName ? ` (${photoName})` : ''}.`);
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function checkMaskCount(masks: number, styles: number): void {
  if (masks !== styles) throw new NeuralStyleError(`Give one mask per style: ${count(styles, 'style')}, ${count(masks, 'mask')}.`);
}

/** Masks say where each style goes: a blend of the styles everywhere says otherwise. */
export function checkRegionOptions(o: StylizeOptions): void {
  if (o.styleBlendWeights.length === 0) return;
  throw new NeuralStyleError('styleBlendWeights and masks do not go together: with masks each style paints its own '
    + 'region. Leave out styleBlendWeights.');
}

/** The masks at a scale's size, 0..1, one channel. */
export function masksAt(masks: readonly MaskImage[], height: number, width: number): HostImage[] {
  return masks.map((mask) => {
    const values = Float32Array.from(mask.data, (v) => v / 255);
    const full = hostImage(mask.height, mask.width, 1, values);
    return full.height === height && full.width === width ? full : resizeHost(full, height, width);
  });
}

/** A scale-sized mask at each style layer: halved at each pool before the layer, as the features are. */
export function styleRegion(mask: HostImage, layers: readonly VggLayer[]): StyleRegion {
  const region: StyleRegion = new Map();
  for (const layer of layers) {
    let atLayer = mask;
    for (let p = 0; p < poolsBefore(layer); p++) atLayer = halve(atLayer);
    const size = featureSize(layer, mask.height, mask.width);
    if (atLayer.height !== size.height || atLayer.width !== size.width) throw new Error('styleRegion: geometry');
    let area = 0;
    for (const m of atLayer.data) area += m * m;
    region.set(layer, { mask: atLayer, area, share: area / positions(layer, mask.height, mask.width) });
  }
  return region;
}

/**
 * The photo recoloured per region, the start of 'content-in-style-colors':
 * where a mask is white the photo in its style's colours (its painting's
 * part's, with `styleMasks`), where none is the photo as it is, and blends
 * between (masks that overlap share the pixel).
 */
export function recolourByRegion(content: HostImage, styles: readonly HostImage[],
  masks: readonly HostImage[], styleMasks?: readonly (HostImage | null)[]): HostImage {
  const recoloured = styles.map((style, i) =>
    matchColourStatistics(content, [style], [1], false, [styleMasks?.[i] ?? null]));
  const out = new Float32Array(content.data.length);
  for (let p = 0; p < content.width * content.height; p++) {
    let covered = 0;
    for (const mask of masks) covered += mask.data[p];
    const scale = covered > 1 ? 1 / covered : 1;
    for (let k = 0; k < 3; k++) {
      let value = content.data[3 * p + k] * (1 - covered * scale);
      for (const [r, mask] of masks.entries()) value += mask.data[p] * scale * recoloured[r].data[3 * p + k];
      out[3 * p + k] = value;
    }
  }
  return hostImage(content.height, content.width, 3, out);
}
