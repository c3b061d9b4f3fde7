import { StylizeOptions } from '../core/options';
import { Size, styleSize } from '../core/plan';
import { RgbImage } from '../core/pixels';
import { textureCanvas } from '../core/texture';
import { checkStyleCount } from '../core/validate';
import { decodeImageFile, imageSize } from './image';

export interface JobImages { content: RgbImage; styles: RgbImage[] }

/**
 * A job's images as pixels at the sizes its finest scale needs: the content
 * with its longest side `options.size` (a texture's flat canvas of its size), each style at plan.ts's styleSize
 * (enlarged where it is too small for the style layers). `styleSizes` are the
 * styles' header sizes when the caller has them (checkJob).
 */
export async function decodeJobImages(content: string | Size, styles: readonly string[], options: StylizeOptions,
  maxInputPixels: number,
  styleSizes?: readonly Size[]): Promise<JobImages> {
  checkStyleCount(styles.length); // before any decoding: the image process gets no checkJob
  const final = { width: options.size, height: options.size };
  const decodeStyle = async (file: string, i: number) => {
    const dims = styleSize(options, styleSizes?.[i] ?? await imageSize(file, maxInputPixels), final);
    return decodeImageFile(file, { longestSide: Math.max(dims.width, dims.height), maxInputPixels });
  };
  return {
    content: typeof content === 'string' ? await decodeImageFile(content, { longestSide: options.size, maxInputPixels })
      : textureCanvas(content),
    styles: await Promise.all(styles.map(decodeStyle)),
  };
}
