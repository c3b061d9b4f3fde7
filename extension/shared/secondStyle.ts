/**
 * A second style in the panel: one of the styles the host offered (the
 * webview names it by its index, never by a path: a message is outside data),
 * and the blend, how much of the second style the picture takes, in percent.
 * The blend becomes the engine's styleBlendWeights, checked by its own checks.
 * Plain TypeScript (no vscode): the host, the webview and the unit tests use it.
 */
import { checkOption, DEFAULTS, OPTION_SPECS, styleBlend } from '@neural-style/engine/options';
import * as l10n from '@vscode/l10n';

/** The blend slider: percent of the second style. */
export const BLEND_SLIDER = { min: 0, max: 100, step: 1 } as const;
/** Half of each, as the engine blends two styles when no weights are given. */
export const DEFAULT_BLEND = 50;

/** What the webview sends: an index into the state's styleChoices, and the blend in percent. */
export interface SecondStylePick {
  choice: number;
  blend: number;
}

/** The styleBlendWeights of `blend` percent of the second style: [100 − blend, blend] (the engine normalises them). */
export function blendWeights(blend: number): number[] {
  if (!Number.isFinite(blend) || blend < BLEND_SLIDER.min || blend > BLEND_SLIDER.max) {
    throw new Error(l10n.t('Blend: Invalid blend {0}. Use a percentage from 0 to 100 (how much of the second style).', JSON.stringify(blend)));
  }
  try {
    const weights = checkOption('styleBlendWeights', OPTION_SPECS.styleBlendWeights, [100 - blend, blend]) as number[];
    styleBlend({ ...DEFAULTS, styleBlendWeights: weights }, 2);
    return weights;
  } catch (e) {
    throw new Error(l10n.t('Blend: {0}', (e as Error).message));
  }
}

/** The blend in percent that `weights` (a job's or a picture's styleBlendWeights) give the second of two styles. */
export function blendOf(weights: readonly number[]): number {
  if (weights.length !== 2) return DEFAULT_BLEND;
  const sum = weights[0] + weights[1];
  return sum > 0 ? Math.round((weights[1] / sum) * 100) : DEFAULT_BLEND;
}

/** The offered choice `pick` names, with its weights; throws a message naming what is wrong. */
export function resolvePick<C>(choices: readonly C[], pick: SecondStylePick): { style: C; weights: number[] } {
  const { choice } = pick;
  if (!Number.isInteger(choice) || choice < 0 || choice >= choices.length) {
    throw new Error(l10n.t('Second style: choice {0} is not one the panel offered (it offered {1}).', JSON.stringify(choice), choices.length));
  }
  return { style: choices[choice], weights: blendWeights(pick.blend) };
}

/** "The Starry Night + wave.jpg": the styles of a job, as its tab, its queue entry and its history say. */
export function stylesLabel(first: string, second?: { name: string }): string {
  return second ? `${first} + ${second.name}` : first;
}
