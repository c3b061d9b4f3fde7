import { Rect } from '../image/host-image';
import { VggLayer } from '../options';
import { Stage } from './stages';

/*
 * A stage's tiles. The stage's output is cut into interiors that partition
 * it; each tile computes its interior from a crop of the stage's input with a
 * halo of the stage's receptive field around it. Crops start on the stage's
 * pooling grid (a multiple of its factor), so every pool window in a crop is
 * the whole input's; a crop that reaches an edge of the input keeps the
 * network's zero padding there. So every value inside an interior, at every
 * layer of the stage, is exactly the whole input's, and so is its derivative
 * with respect to the crop.
 */

/** One axis of a tile: its interior at the stage's output and its crop of the stage's input. */
interface Span { interiorStart: number; interiorEnd: number; cropStart: number; cropEnd: number; last: boolean }

export interface StageTile {
  /** The crop of the stage's input (stage-input coordinates). */
  readonly crop: Rect;
  /** The interior at the stage's output, in stage-output coordinates. */
  readonly output: Rect;
  /** The same interior in the crop's output coordinates. */
  readonly outputInCrop: Rect;
  /** Each layer's interior in the crop's coordinates at that layer's resolution. */
  readonly layers: ReadonlyMap<VggLayer, Rect>;
}

/** How long a stage's output is for an input of `length` (each pool floors, so together they floor once). */
export function stageOutputLength(stage: Stage, length: number): number {
  return Math.floor(length / stage.factor);
}

/**
 * On a torus (`circular`, seamless) a crop is not clamped to the input: its halo runs past the edge and is read from
 * the opposite one (image/stored-image.ts), so every tile's interior is the torus's.
 */
function spans(stage: Stage, inputLength: number, tileLength: number, circular: boolean): Span[] {
  const f = stage.factor;
  const outputLength = stageOutputLength(stage, inputLength);
  const before = Math.ceil(stage.before / f) * f;
  const after = Math.ceil(stage.after / f) * f;
  const count = Math.max(1, Math.ceil(outputLength / tileLength));
  const out: Span[] = [];
  for (let t = 0; t < count; t++) {
    // Interiors as even as the grid allows, so that no tile is a sliver.
    const interiorStart = Math.round((t * outputLength) / count);
    const interiorEnd = Math.round(((t + 1) * outputLength) / count);
    const last = t === count - 1;
    if (circular) {
      const [cropStart, cropEnd] = [f * interiorStart - before, f * interiorEnd + after];
      out.push({ interiorStart, interiorEnd, last, cropStart, cropEnd });
      continue;
    }
    out.push({
      interiorStart, interiorEnd, last,
      cropStart: Math.max(0, f * interiorStart - before),
      cropEnd: last ? inputLength : Math.min(inputLength, f * interiorEnd + after),
    });
  }
  return out;
}

/** The interior of a layer of the stage, along one axis, in crop coordinates. */
function layerSpan(span: Span, stage: Stage, layerScale: number, inputLength: number): [number, number] {
  const toLayer = stage.factor / layerScale;
  const start = span.interiorStart * toLayer;
  const end = span.last ? Math.floor(inputLength / layerScale) : span.interiorEnd * toLayer;
  const offset = span.cropStart / layerScale;
  return [start - offset, end - offset];
}

/**
 * The tiles of `stage` over an input of height × width, each interior at
 * most `tileRows` × `tileCols` at the stage's output resolution.
 */
export function stageTiles(stage: Stage, height: number, width: number, tileRows: number, tileCols: number,
  circular = false): StageTile[] {
  const rows = spans(stage, height, tileRows, circular);
  const cols = spans(stage, width, tileCols, circular);
  const f = stage.factor;
  const tiles: StageTile[] = [];
  for (const r of rows) {
    for (const c of cols) {
      const layers = new Map<VggLayer, Rect>();
      for (const [layer, scale] of stage.layerScale) {
        const [top, bottom] = layerSpan(r, stage, scale, height);
        const [left, right] = layerSpan(c, stage, scale, width);
        layers.set(layer, { top, left, height: bottom - top, width: right - left });
      }
      const output = { top: r.interiorStart, left: c.interiorStart, height: r.interiorEnd - r.interiorStart,
        width: c.interiorEnd - c.interiorStart };
      tiles.push({
        crop: { top: r.cropStart, left: c.cropStart, height: r.cropEnd - r.cropStart, width: c.cropEnd - c.cropStart },
        output,
        outputInCrop: { ...output, top: output.top - r.cropStart / f, left: output.left - c.cropStart / f },
        layers,
      });
    }
  }
  return tiles;
}
