/**
 * The panel's controls: the few options a painter tweaks between runs, how
 * they map to the engine's options and to the settings, and the log scale of
 * style strength. Every value is checked by the engine's own `checkOption`.
 * Plain TypeScript (no vscode): the host, the webview and the unit tests use it.
 */
import { checkOption, OPTION_SPECS, StylizeOptions } from '@neural-style/engine/options';
import * as l10n from '@vscode/l10n';

/** In the order the panel shows them. */
export const CONTROL_NAMES = [
  'styleWeight', 'size', 'iterations', 'preserveColors', 'seamless', 'styleScale', 'init', 'seed',
] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];
export type Controls = Pick<StylizeOptions, ControlName>;

/**
 * What the panel calls each control: the Settings editor's title of the same
 * setting (VS Code makes it from the key), so that one name means one thing.
 */
export function controlLabels(): Record<ControlName, string> {
  return {
    styleWeight: l10n.t('Style weight'), size: l10n.t('Size (px)'), iterations: l10n.t('Iterations'),
    preserveColors: l10n.t('Preserve colors'), seamless: l10n.t('Seamless'), styleScale: l10n.t('Style scale'), init: l10n.t('Init'), seed: l10n.t('Seed'),
  };
}

/**
 * What each control does, in a painter's words: the panel's tooltips, and the
 * first sentence of the same settings' descriptions (settingsWords.ts).
 */
export function controlHints(): Record<ControlName, string> {
  return {
    size: l10n.t('Size of the picture: the longest side in pixels. Larger pictures take longer and need more memory.'),
    iterations: l10n.t('How long to paint: more iterations make a more finished picture and take longer.'),
    styleWeight: l10n.t('How much paint: more looks more like the painting, less keeps more of the photo.'),
    preserveColors: l10n.t('Keep the photo\'s colours and take only the brushwork from the painting.'),
    seamless: l10n.t('Make a texture that tiles: no seam where copies of the result meet, side by side or one above the other.'),
    styleScale: l10n.t('The brush size: below 1 paints finer strokes, above 1 bolder ones.'),
    init: l10n.t('What the painting starts from.'),
    seed: l10n.t('A number that fixes the randomness: the same number gives the same picture again.'),
  };
}

export function controlsOf(options: StylizeOptions): Controls {
  return Object.fromEntries(CONTROL_NAMES.map((name) => [name, options[name]])) as Controls;
}

/** Checks each control with the engine's checks; throws a message that names the control and the value. */
export function checkControls(given: Controls): Controls {
  const out: Record<string, unknown> = {};
  for (const name of CONTROL_NAMES) {
    try {
      out[name] = checkOption(name, OPTION_SPECS[name], given[name]);
    } catch (e) {
      throw new Error(l10n.t('{0}: {1}', controlLabels()[name], (e as Error).message));
    }
  }
  return out as Controls;
}

/** Style weight's slider: log10 of styleWeight, from 10⁰ to 10⁶, in steps of 0.01. */
export const STRENGTH_SLIDER = { min: 0, max: 6, step: 0.01 } as const;

export function strengthToSlider(weight: number): number {
  const position = Math.log10(Math.max(weight, 10 ** STRENGTH_SLIDER.min));
  return Math.round(Math.min(STRENGTH_SLIDER.max, position) * 100) / 100;
}

/** Two significant digits: a slider position reads as a round number (1500, not 1513.56). */
export function sliderToStrength(position: number): number {
  return Number((10 ** position).toPrecision(2));
}

/**
 * The marks under the slider, a decade apart: a painter picks "strong", not
 * 10000. The default (1500) sits just past "medium".
 */
export function strengthMarks(): Array<{ weight: number; word: string }> {
  return [
    { weight: 10, word: l10n.t('subtle') }, { weight: 100, word: l10n.t('light') },
    { weight: 1000, word: l10n.t('medium') }, { weight: 10_000, word: l10n.t('strong') },
    { weight: 100_000, word: l10n.t('very strong') },
  ];
}

/** The word of the nearest mark on the log scale (a screen reader says "1500, medium"). */
export function strengthWord(weight: number): string {
  const position = Math.log10(Math.max(weight, 1));
  const distance = (m: { weight: number }) => Math.abs(Math.log10(m.weight) - position);
  return strengthMarks().reduce((best, m) => (distance(m) < distance(best) ? m : best)).word;
}

export type SettingsTarget = 'user' | 'workspace';

export interface SettingWrite {
  name: ControlName;
  /** undefined: the entry is removed (the value is what the level below gives already). */
  value: Controls[ControlName] | undefined;
  target: SettingsTarget;
}

/** A setting at one level: its value there, and what it would be without that level (the default, the user's). */
export interface SettingLevel {
  current: unknown;
  inherited: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The settings that "Save as defaults" writes: each control whose value is
 * not what the level below already gives (a key equal to the default is
 * clutter, and it would hide a later change of the default); an entry that has
 * become equal is removed. Nothing for a control the level already says. A
 * machine-scoped setting always goes to the user's settings.
 */
export function settingWrites(controls: Controls, target: SettingsTarget, isMachineScoped: (name: string) => boolean,
  levelOf: (name: ControlName, target: SettingsTarget) => SettingLevel): SettingWrite[] {
  const checked = checkControls(controls);
  return CONTROL_NAMES.flatMap((name) => {
    const to = isMachineScoped(name) ? 'user' : target;
    const { current, inherited } = levelOf(name, to);
    const value = same(checked[name], inherited) ? undefined : checked[name];
    return same(value, current) ? [] : [{ name, value, target: to }];
  });
}
