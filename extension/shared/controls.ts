/**
 * The panel's controls: the few options a painter tweaks between runs, how
 * they map to the engine's options and to the settings, and the log scale of
 * style strength. Every value is checked by the engine's own `checkOption`.
 * Plain TypeScript (no vscode): the host, the webview and the unit tests use it.
 */
import { checkOption, OPTION_SPECS, StylizeOptions } from '@neural-style/engine/options';

/** In the order the panel shows them. */
export const CONTROL_NAMES = ['styleWeight', 'size', 'iterations', 'preserveColors', 'styleScale', 'init', 'seed'] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];
export type Controls = Pick<StylizeOptions, ControlName>;

/** What the panel calls each control (the setting's name follows in its tooltip). */
export const CONTROL_LABELS: Record<ControlName, string> = {
  styleWeight: 'Style strength', size: 'Size (px)', iterations: 'Iterations', preserveColors: 'Keep the photo\'s colours',
  styleScale: 'Brush size (style scale)', init: 'Start from', seed: 'Seed',
};

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
      throw new Error(`${CONTROL_LABELS[name]}: ${(e as Error).message}`);
    }
  }
  return out as Controls;
}

/** Style strength's slider: log10 of styleWeight, from 10⁰ to 10⁶, in steps of 0.01. */
export const STRENGTH_SLIDER = { min: 0, max: 6, step: 0.01 } as const;

export function strengthToSlider(weight: number): number {
  const position = Math.log10(Math.max(weight, 10 ** STRENGTH_SLIDER.min));
  return Math.round(Math.min(STRENGTH_SLIDER.max, position) * 100) / 100;
}

/** Two significant digits: a slider position reads as a round number (1500, not 1513.56). */
export function sliderToStrength(position: number): number {
  return Number((10 ** position).toPrecision(2));
}

export type SettingsTarget = 'user' | 'workspace';

export interface SettingWrite {
  name: ControlName;
  value: Controls[ControlName];
  target: SettingsTarget;
}

/**
 * The settings that "Save as defaults" writes: every control, written out
 * (removing an entry equal to the default would let another level's value
 * show through). A machine-scoped setting always goes to the user's settings.
 */
export function settingWrites(controls: Controls, target: SettingsTarget, isMachineScoped: (name: string) => boolean): SettingWrite[] {
  const checked = checkControls(controls);
  return CONTROL_NAMES.map((name) => ({
    name,
    value: checked[name],
    target: isMachineScoped(name) ? 'user' : target,
  }));
}
