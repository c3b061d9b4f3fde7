/**
 * How long a run will take and has left, in words: the panel, the
 * notification and the warning before a long or enlarged run say it. Between
 * the engine's reports (seconds apart at a large scale) the clock runs on
 * here, so that "elapsed" and "left" move every second. Pure: no `vscode`,
 * no DOM.
 */
import * as l10n from '@vscode/l10n';
import type { EstimateView, ProgressView } from './protocol';

type Format = (ms: number) => string;

/** A report's elapsed time and ETA `sinceMs` after it came: the clock moved on, the run's pace did not change. */
export function runningClock(p: Pick<ProgressView, 'elapsedMs' | 'etaMs'>, sinceMs: number)
  : { elapsedMs: number; etaMs: number } {
  const since = Math.max(0, sinceMs);
  return { elapsedMs: p.elapsedMs + since, etaMs: Math.max(0, p.etaMs - since) };
}

/** "2 scales (512×341, 1024×681), about 3:20 at this machine's speed on wasm" (or "… a first guess for wasm"). */
export function estimateText(e: EstimateView, format: Format, sinceMs = 0): string {
  const sizes = e.scales.map((s) => `${s.width}×${s.height}`).join(', ');
  const left = format(Math.max(0, e.estimateMs - Math.max(0, sinceMs)));
  return e.measured
    ? l10n.t('{0} scales ({1}), about {2} at this machine\'s speed on {3}', e.scales.length, sizes, left, e.backend)
    : l10n.t('{0} scales ({1}), about {2} (a first guess for {3}: no run here has measured it yet)',
      e.scales.length, sizes, left, e.backend);
}

/** "The photo is 600×400 px: it is painted enlarged, at 1024×683 px." Undefined when the output is not larger. */
export function enlargedText(e: EstimateView): string | undefined {
  if (!e.upscaled) return undefined;
  return l10n.t('The photo is {0}×{1} px: it is painted enlarged, at {2}×{3} px.', e.content.width, e.content.height,
    e.final.width, e.final.height);
}

/** A run worth a word before it goes on: its output larger than the photo, or its estimate over `longMs`. */
export function worthAWarning(e: EstimateView, longMs: number): boolean {
  return e.upscaled || e.estimateMs > longMs;
}
