import { expect } from 'chai';
import { CHANNELS, deepestLayer } from '../../../packages/engine/src/core/geometry';
import { VGG_LAYERS } from '../../../packages/engine/src/core/options';
import { planStylization } from '../../../packages/engine/src/core/plan';
import { vggStages } from '../../../packages/engine/src/core/tiling/stages';
import { stageOutputLength, stageTiles } from '../../../packages/engine/src/core/tiling/tile-grid';
import { tileShapes } from '../../../packages/engine/src/core/tiling/tile-shapes';
import { validateOptions } from '../../../packages/engine/src/core/validate';

/**
 * The side of the texture tfjs's WebGL backend makes for a packed [rows, cols]
 * matrix (webgl_util.getTextureShapeFromLogicalShape): as it is, two values a
 * side to a texel, when both fit; else a square of all its texels.
 */
function packedTextureSide(rows: number, cols: number, max: number): number {
  const [r, c] = [Math.ceil(rows / 2), Math.ceil(cols / 2)];
  return r <= max && c <= max ? Math.max(r, c) : Math.ceil(Math.sqrt(r * c));
}

/**
 * The largest texture side of a run of `tileSize` tiles (null: whole) over a height × width image: each conv's im2col
 * matrix, [9·inChannels, pixels].
 */
function largestTextureSide(tileSize: number | null, height: number, width: number, max: number): number {
  const layers = validateOptions({}).styleLayers.concat(validateOptions({}).contentLayer);
  let [h, w] = [height, width];
  let largest = 0;
  for (const stage of vggStages(deepestLayer(layers))) {
    const { rows, cols } = tileSize === null ? { rows: h, cols: w } : tileShapes(tileSize)(stage);
    for (const tile of stageTiles(stage, h, w, rows, cols)) {
      for (const layer of stage.layers) {
        const index = VGG_LAYERS.indexOf(layer);
        const inChannels = index === 0 ? 3 : CHANNELS[VGG_LAYERS[index - 1]];
        const scale = stage.layerScale.get(layer)!;
        const pixels = Math.floor(tile.crop.height / scale) * Math.floor(tile.crop.width / scale);
        largest = Math.max(largest, packedTextureSide(9 * inChannels, pixels, max));
      }
    }
    [h, w] = [stageOutputLength(stage, h), stageOutputLength(stage, w)];
  }
  return largest;
}

describe('tiles within WebGL\'s texture limit', () => {
  const plan = (size: number, maxTextureSize?: number) =>
    planStylization(validateOptions({ size, multiScale: false }), { width: size, height: size }, [{ width: size, height: size }], 'webgl', { hostBytes: 8e9, maxTextureSize });

  it('a 2048 px plan with maxTextureSize 4096 has tiles whose largest texture fits (the default tiles do not)', () => {
    const scale = plan(2048, 4096).scales[0];
    expect(scale.tileSize).to.be.a('number').and.above(0);
    expect(largestTextureSide(scale.tileSize, 2048, 2048, 4096)).to.be.at.most(4096);
    expect(plan(2048).scales[0].tileSize, 'no limit: the default tiles').to.equal(0);
    expect(largestTextureSide(0, 2048, 2048, 4096), 'the default tiles').to.be.above(4096);
  });

  it('a whole image too large for the textures is tiled; one that fits stays whole', () => {
    expect(plan(640, 4096).scales[0].tileSize, '640 px at 4096').to.be.a('number');
    expect(largestTextureSide(null, 640, 640, 4096), '640 px whole').to.be.above(4096);
    expect(plan(640, 16384).scales[0].tileSize, '640 px at 16384').to.equal(null);
    expect(largestTextureSide(null, 640, 640, 16384)).to.be.at.most(16384);
    expect(plan(256, 4096).scales[0].tileSize, '256 px at 4096').to.equal(null);
  });

  it('a tileSize asked for is kept where it fits and lowered where it does not', () => {
    const ask = (tileSize: number, max: number) => planStylization(validateOptions({ size: 1024, multiScale: false, tileSize }), { width: 1024, height: 1024 }, [{ width: 1024, height: 1024 }], 'webgl',
      { hostBytes: 8e9, maxTextureSize: max }).scales[0].tileSize!;
    expect(ask(128, 4096)).to.equal(128);
    const lowered = ask(2048, 4096);
    expect(lowered).to.be.below(2048);
    expect(largestTextureSide(lowered, 1024, 1024, 4096)).to.be.at.most(4096);
  });
});
