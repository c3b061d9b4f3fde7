import { NeuralStyleError } from './errors';
import { OPTION_SPECS, StylizeOptions } from './options';
import type { RgbImage } from './pixels';
import type { Size } from './plan';
import { validateOptions } from './validate';

/*
 * A texture without a photo (Gatys et al. 2015's texture synthesis, from
 * noise): a run whose content loss has no weight, started from noise, at the
 * size asked for. It is a stylization of a flat grey "photo" of that size, so
 * the plan, the tiles, the scales and seamless wrapping are the photo's.
 */

/** What a texture sets itself; given by the user too, they would contradict it. */
const SET_BY_TEXTURE = ['contentWeight', 'init', 'preserveColors', 'size'] as const;

const { min, max } = OPTION_SPECS.size;

/**
 * A texture's size from `WxH` or `N` (square), each side within the size
 * option's range; throws naming the value.
 */
export function parseTextureSize(text: string): Size {
  const match = /^(\d{1,5})(?:x(\d{1,5}))?$/i.exec(text.trim());
  const width = Number(match?.[1]);
  const height = Number(match?.[2] ?? match?.[1]);
  const size = { width, height };
  checkTextureSize(size, JSON.stringify(text));
  return size;
}

/** Refuses a texture whose sides are not whole numbers of pixels within the size option's range. */
export function checkTextureSize({ width, height }: Size, shown = `${width}x${height}`): void {
  const fits = (n: number) => Number.isInteger(n) && n >= min && n <= max;
  if (!fits(width) || !fits(height)) {
    throw new NeuralStyleError(`Invalid texture size ${shown}: give WIDTHxHEIGHT or one side for a square, `
      + `each from ${min} to ${max} px (e.g. 1024x512).`);
  }
}

/**
 * A texture run's options: the user's, with no content weight, a start from
 * noise and the texture's longest side; one the user gave that says
 * otherwise is refused, named.
 */
export function textureOptions(given: Partial<StylizeOptions> | undefined, size: Size): StylizeOptions {
  const longest = Math.max(size.width, size.height);
  const own: Partial<StylizeOptions> = { contentWeight: 0, init: 'noise', preserveColors: false, size: longest };
  for (const name of SET_BY_TEXTURE) {
    const value = given?.[name];
    if (value !== undefined && value !== own[name]) {
      throw new NeuralStyleError(`${name} ${JSON.stringify(value)} does not go with a texture: a texture has no photo `
        + `(its content weight is 0, it starts from noise, and its size is the texture's, ${size.width}x${size.height}).`);
    }
  }
  return validateOptions({ ...given, ...own });
}

/** The flat grey stand-in for the photo a texture has none of. */
export function textureCanvas({ width, height }: Size): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3).fill(128) };
}
