import { CHANNELS } from '../geometry';
import { TILING } from '../tuning';
import { Stage } from './stages';
import { fastCropSide } from './tile-shapes';

/*
 * WebGL's MAX_TEXTURE_SIZE bounds every tensor: tfjs lays one out as a 2-D
 * texture, and one too large for a row or column as a square of
 * ceil(√texels) per side, which must not exceed the limit (4096 on some
 * laptops, 16384 on desktops; tensorflow/tfjs #1686). The largest textures
 * are the convolutions' im2col matrices: 3·3·inChannels values per output
 * pixel, four to a packed texel, far more than any activation.
 */

/** Texels of the largest texture per pixel of a stage's input. */
export function texelsPerInputPixel(stage: Stage): number {
  let inChannels = stage.inputChannels;
  let most = 0;
  for (const layer of stage.layers) {
    most = Math.max(most, (9 * inChannels) / 4 / stage.layerScale.get(layer)! ** 2);
    inChannels = CHANNELS[layer];
  }
  return most;
}

/** Whether a whole width × height image's textures fit `maxTextureSize`. */
export function wholeImageTexturesFit(stages: readonly Stage[], width: number, height: number,
  maxTextureSize: number): boolean {
  const texels = (stage: Stage) =>
    texelsPerInputPixel(stage) * (width / stage.inputScale) * (height / stage.inputScale);
  return stages.every((stage) => texels(stage) <= maxTextureSize ** 2);
}

/**
 * The largest tileSize (the first stage's crop side; tile-shapes.ts scales
 * every stage's crop by it) whose crops' textures fit `maxTextureSize`.
 */
export function textureTileSize(stages: readonly Stage[], maxTextureSize: number): number {
  const ratioOf = (stage: Stage) => maxTextureSize / Math.sqrt(texelsPerInputPixel(stage)) / fastCropSide(stage);
  const ratio = Math.min(...stages.map(ratioOf));
  return Math.max(1, Math.floor(ratio * TILING.firstStageTile));
}
