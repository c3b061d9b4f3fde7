import { CHANNELS } from '../geometry';
import { TILING } from '../tuning';
import { Stage } from './stages';

/** Activation values a stage's layers hold per pixel of its input. */
function valuesPerInputPixel(stage: Stage): number {
  return stage.layers.reduce((sum, layer) => sum + CHANNELS[layer] / stage.layerScale.get(layer)! ** 2, 0);
}

/** The largest crop side, in a stage's input pixels, that keeps its layers in their fast regime (see TILING). */
export function fastCropSide(stage: Stage): number {
  const side = Math.sqrt(TILING.tileActivations / valuesPerInputPixel(stage));
  return stage.inputScale === 1 ? Math.min(side, TILING.firstStageTile) : side;
}

/**
 * Each stage's largest tile interior (at its output resolution): crops in
 * the fast regime, all scaled by firstStageTile / TILING.firstStageTile (the
 * tileSize option; 0 is the default).
 */
export function tileShapes(firstStageTile: number): (stage: Stage) => { rows: number; cols: number } {
  const ratio = (firstStageTile || TILING.firstStageTile) / TILING.firstStageTile;
  return (stage) => {
    const whole = (pixels: number) => Math.ceil(pixels / stage.factor) * stage.factor;
  const halo = whole(stage.before) + whole(stage.after);
    const n = Math.max(1, Math.floor((fastCropSide(stage) * ratio - halo) / stage.factor));
    return { rows: n, cols: n };
  };
}
