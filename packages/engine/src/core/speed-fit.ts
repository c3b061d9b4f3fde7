import { iterationMs, MachineSpeed, ScaleWork } from './cost';

/** A scale's steady iterations as a run measured them: the scale's work, and ms per iteration over `count` of them. */
export interface SpeedSample {
  scale: ScaleWork;
  ms: number;
  count: number;
}

/**
 * The speed that explains `samples` best. Two scales of different shapes
 * separate the two costs (ms per GMAC, ms per iteration's dispatches): a
 * least-squares fit, each scale weighted by its iterations. One scale, or a
 * fit that makes either cost negative (timings on a loaded machine are
 * noisy), scales `base` (earlier runs' speed, or the backend's guess) to the
 * measured times instead, keeping its split between the two.
 */
export function fitSpeed(samples: readonly SpeedSample[], base: MachineSpeed): MachineSpeed {
  if (samples.length === 0) return base;
  const fitted = samples.length > 1 ? leastSquares(samples) : null;
  const split = fitted && fitted.msPerIteration >= 0 && fitted.msPerWork > 0 ? fitted : null;
  const scaled = split ?? scaledTo(samples, base);
  return { ...scaled, warmupIterations: base.warmupIterations };
}

function scaledTo(samples: readonly SpeedSample[], base: MachineSpeed): Omit<MachineSpeed, 'warmupIterations'> {
  const measured = samples.reduce((sum, s) => sum + s.ms * s.count, 0);
  const predicted = samples.reduce((sum, s) => sum + iterationMs(s.scale, base) * s.count, 0);
  const ratio = measured / predicted;
  return { msPerWork: base.msPerWork * ratio, msPerIteration: base.msPerIteration * ratio };
}

/** ms = a · ops + b · work over the samples; null when they cannot tell a from b (one shape, repeated). */
function leastSquares(samples: readonly SpeedSample[]): Omit<MachineSpeed, 'warmupIterations'> | null {
  let [oo, ow, ww, ot, wt] = [0, 0, 0, 0, 0];
  for (const { scale, ms, count } of samples) {
    const [o, w] = [scale.ops, scale.iteration];
    oo += count * o * o;
    ow += count * o * w;
    ww += count * w * w;
    ot += count * o * ms;
    wt += count * w * ms;
  }
  const det = oo * ww - ow * ow;
  if (Math.abs(det) <= 1e-9 * oo * ww) return null;
  return { msPerIteration: (ot * ww - wt * ow) / det, msPerWork: (wt * oo - ot * ow) / det };
}
