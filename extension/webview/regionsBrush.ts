/**
 * The regions as the brush paints them: one label a pixel of the photo, at
 * the photo's own size (the masks must be), 0 the first style (the default:
 * an unpainted photo is painted as without regions), 1 the second, KEEP where
 * the photo stays. Round stamps, without antialiasing: a mask is white or
 * black, never a mix of two styles. No DOM: the surface (regionsPainter.ts)
 * draws it, the masks are read from it.
 */

/** The label of "Keep the photo": no style's mask is white there. */
export const KEEP = 255;

/** A rectangle of pixels that changed, right and bottom exclusive. */
export interface Dirty { x0: number; y0: number; x1: number; y1: number }

export class RegionPainting {
  readonly labels: Uint8Array;

  constructor(readonly width: number, readonly height: number) {
    this.labels = new Uint8Array(width * height);
  }

  /** A disc of `label` centred at (x, y), `radius` px; returns the rectangle it touched. */
  stamp(x: number, y: number, radius: number, label: number): Dirty {
    const r = Math.max(0.5, radius);
    const x0 = Math.max(0, Math.floor(x - r));
    const y0 = Math.max(0, Math.floor(y - r));
    const x1 = Math.min(this.width, Math.ceil(x + r));
    const y1 = Math.min(this.height, Math.ceil(y + r));
    for (let py = y0; py < y1; py++) {
      const dy = py + 0.5 - y;
      for (let px = x0; px < x1; px++) {
        const dx = px + 0.5 - x;
        if (dx * dx + dy * dy <= r * r) this.labels[py * this.width + px] = label;
      }
    }
    return { x0, y0, x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
  }

  /** Stamps from (ax, ay) to (bx, by) close enough that the stroke has no gaps. */
  stroke(ax: number, ay: number, bx: number, by: number, radius: number, label: number): Dirty {
    const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / Math.max(1, radius / 2)));
    let dirty = this.stamp(ax, ay, radius, label);
    for (let i = 1; i <= steps; i++) {
      const t = i / steps;
      dirty = union(dirty, this.stamp(ax + (bx - ax) * t, ay + (by - ay) * t, radius, label));
    }
    return dirty;
  }

  /** Everything back to the default (the first style). */
  clear(): void {
    this.labels.fill(0);
  }

  /** Whether nothing differs from the default: the job then runs as without regions. */
  isDefault(): boolean {
    return this.labels.every((v) => v === 0);
  }

  /** Labels of styles the surface no longer offers (a second style set to None) back to the default. */
  keepStyles(styles: number): void {
    for (let i = 0; i < this.labels.length; i++) {
      if (this.labels[i] !== KEEP && this.labels[i] >= styles) this.labels[i] = 0;
    }
  }

  /** The grey mask of style `index`: 255 where it goes, 0 elsewhere. */
  mask(index: number): Uint8Array {
    return Uint8Array.from(this.labels, (v) => (v === index ? 255 : 0));
  }

  /** The painting a saved set of masks says (grey values, one array a style): the first mask white wins. */
  static fromMasks(width: number, height: number, masks: readonly Uint8Array[]): RegionPainting {
    const painting = new RegionPainting(width, height);
    for (let p = 0; p < painting.labels.length; p++) {
      const index = masks.findIndex((m) => m[p] >= 128);
      painting.labels[p] = index < 0 ? KEEP : index;
    }
    return painting;
  }
}

const union = (a: Dirty, b: Dirty): Dirty =>
  ({ x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) });
