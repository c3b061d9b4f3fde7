import { NeuralStyleError } from './errors';
import { HostImage } from './image/host-image';
import { resizeHost } from './image/resize';
import { MaskImage, masksAt, StyleRegion, styleRegion } from './regions';
import { Size } from './plan';

/*
 * The part of a painting a style is taken from (Gatys et al. 2017, spatial
 * control, on the style's side): a grey mask the painting's size, white where
 * its style is. The style's Gram targets are then taken over that part alone,
 * Σ_p m_p² F_p F_pᵀ / Σ_p m_p², the masks brought to each layer as a photo's
 * regions are (regions.ts), and a start in the painting's colours takes the
 * part's colours. A painting without a mask counts whole.
 */

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One entry a style, in the styles' order: its painting's mask, or null where the whole painting counts. */
export type StyleMasks = ReadonlyArray<MaskImage | null>;

/**
 * Refuses style masks that cannot be what the run needs: one entry a style, each mask its painting's size (as
 * decoded), not black everywhere. `names`: how the user gave each mask (its file), for the message.
 */
export function checkStyleMasks(masks: StyleMasks, styles: readonly Size[],
  names: readonly (string | null)[] = masks.map((_, i) => `#${i + 1}`)): void {
  checkStyleMaskCount(masks.length, styles.length);
  for (const [i, mask] of masks.entries()) {
    if (!mask) continue;
    checkStyleMaskSize(names[i] ?? `#${i + 1}`, mask, styles[i]);
    if (mask.data.every((v) => v === 0)) {
      throw new NeuralStyleError(`The style mask ${names[i]} is black everywhere: it would take nothing from its `
        + 'painting. Paint white where the style is taken from.');
    }
  }
}

export function checkStyleMaskCount(masks: number, styles: number): void {
  if (masks === styles) return;
  throw new NeuralStyleError(`Give the style masks in the styles' order, one entry a style (none: the whole `
    + `painting): ${count(styles, 'style')}, ${count(masks, 'entry', 'entries')}.`);
}

/** Throws unless the style mask `name` has its painting's size; `styleName`: how the user knows the painting. */
export function checkStyleMaskSize(name: string, mask: Size, style: Size, styleName?: string): void {
  if (mask.width === style.width && mask.height === style.height) return;
  throw new NeuralStyleError(`The style mask ${name} is ${mask.width}×${mask.height}; a style mask must be its `
    + `painting's size, ${style.width}×${style.height}${styleName ? ` (${styleName})` : ''}.`);
}

/** Each mask as 0..1 values at its painting's size (null where the style has none). */
export function styleMaskImages(masks: StyleMasks): (HostImage | null)[] {
  return masks.map((mask) => mask && masksAt([mask], mask.height, mask.width)[0]);
}

/** A painting's mask at the painting's size for a scale, at each style layer: the region its Grams are taken over. */
export function styleMaskRegion(mask: HostImage, painting: Size, layers: Parameters<typeof styleRegion>[1])
  : StyleRegion {
  const sized = mask.height === painting.height && mask.width === painting.width ? mask
    : resizeHost(mask, painting.height, painting.width);
  return styleRegion(sized, layers);
}
