import { StylizeOptions } from '../core/options';
import { Size, styleSize } from '../core/plan';
import { RgbImage } from '../core/pixels';
import { MaskImage } from '../core/regions';
import { StyleMasks } from '../core/style-masks';
import { textureCanvas } from '../core/texture';
import { checkStyleCount } from '../core/validate';
import { decodeImageFile, imageSize } from './image';

export interface JobImages { content: RgbImage; styles: RgbImage[]; masks?: MaskImage[]; styleMasks?: StyleMasks }

/**
 * A job's images as pixels at the sizes its finest scale needs: the content
 * with its longest side `options.size` (a texture's flat canvas of its size), each style at plan.ts's styleSize
 * (enlarged where it is too small for the style layers). `styleSizes` are the
 * styles' header sizes when the caller has them (checkJob).
 */
export async function decodeJobImages(content: string | Size, styles: readonly string[], options: StylizeOptions,
  maxInputPixels: number,
  styleSizes?: readonly Size[], masks?: readonly string[],
  styleMasks?: readonly (string | null)[]): Promise<JobImages> {
  checkStyleCount(styles.length); // before any decoding: the image process gets no checkJob
  const photo = typeof content === 'string' ? await decodeImageFile(content, { longestSide: options.size, maxInputPixels })
    : textureCanvas(content);
  // A mask has the photo's size (checkJob), so at the same longest side it has the decoded photo's.
  const decodeMask = async (file: string) => greyOf(await decodeImageFile(file,
    { longestSide: options.size, maxInputPixels, background: '#000000' }));
  return {
    content: photo,
    ...await decodeStyleImages(styles, options, maxInputPixels, styleSizes, styleMasks),
    ...(masks ? { masks: await Promise.all(masks.map(decodeMask)) } : {}),
  };
}

/** The styles (and their masks) of a job as decodeJobImages decodes them: for a clip, whose frames come apart. */
export async function decodeStyleImages(styles: readonly string[], options: StylizeOptions, maxInputPixels: number,
  styleSizes?: readonly Size[], styleMasks?: readonly (string | null)[])
  : Promise<Pick<JobImages, 'styles' | 'styleMasks'>> {
  const final = { width: options.size, height: options.size };
  const styleSide = async (i: number) => {
    const dims = styleSize(options, styleSizes?.[i] ?? await imageSize(styles[i], maxInputPixels), final);
    return Math.max(dims.width, dims.height);
  };
  const decodeStyle = async (file: string, i: number) =>
    decodeImageFile(file, { longestSide: await styleSide(i), maxInputPixels });
  // A style mask has its painting's size (checkJob), so at the same longest side it has the decoded painting's.
  const decodeStyleMask = async (file: string | null, i: number) => (file === null ? null : greyOf(
    await decodeImageFile(file, { longestSide: await styleSide(i), maxInputPixels, background: '#000000' })));
  return {
    styles: await Promise.all(styles.map(decodeStyle)),
    ...(styleMasks ? { styleMasks: await Promise.all(styleMasks.map(decodeStyleMask)) } : {}),
  };
}

/** A mask's grey: the mean of its channels (a mask painted in colours counts by its brightness). */
function greyOf(image: RgbImage): MaskImage {
  const grey = new Uint8Array(image.width * image.height);
  for (let p = 0; p < grey.length; p++) {
    grey[p] = Math.round((image.data[3 * p] + image.data[3 * p + 1] + image.data[3 * p + 2]) / 3);
  }
  return { width: image.width, height: image.height, data: grey };
}
