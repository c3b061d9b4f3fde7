/**
 * The "Next run" form: the controls of shared/controls.ts as inputs, filled
 * from the state's controls, read back (and checked with the engine's checks)
 * for Run again and Save as defaults.
 */
import { OPTION_SPECS } from '@neural-style/engine/options';
import * as l10n from '@vscode/l10n';
import {
  checkControls, controlHints, controlLabels, Controls, sliderToStrength, STRENGTH_SLIDER, strengthToSlider,
} from '../shared/controls';
import { $, el } from './dom';
import { buildSecondStyle } from './secondStyleForm';

const initLabels = (): Record<Controls['init'], string> => ({
  'content-in-style-colors': l10n.t('the photo in the style\'s colours'), content: l10n.t('the photo'), noise: l10n.t('noise'), blend: l10n.t('photo and noise'),
});

function numberInput(name: 'size' | 'iterations' | 'styleScale' | 'seed'): HTMLInputElement {
  const spec = OPTION_SPECS[name];
  const step = 'integer' in spec && spec.integer ? '1' : '0.05';
  return el('input', { id: `control-${name}`, type: 'number', min: String(spec.min), max: String(spec.max), step });
}

function field(name: keyof Controls, input: HTMLElement, ...after: Node[]): HTMLElement {
  // The hint in the user's language, then the setting it saves to (the Settings editor has the paper's terms).
  return el('label', { class: 'control', title: `${controlHints()[name]} (neuralStyle.${name})` },
    el('span', { class: 'control-label' }, controlLabels()[name]), input, ...after);
}

export function buildControls(): HTMLElement {
  const strength = el('input', { id: 'control-styleWeight', type: 'range', min: String(STRENGTH_SLIDER.min), max: String(STRENGTH_SLIDER.max), step: String(STRENGTH_SLIDER.step) });
  const shown = el('output', { id: 'control-styleWeight-value', for: 'control-styleWeight' });
  strength.addEventListener('input', () => showStrength());
  const init = el('select', { id: 'control-init' }, ...OPTION_SPECS.init.values.map((v) => el('option', { value: v }, initLabels()[v])));
  return el('fieldset', { id: 'controls', class: 'controls' }, el('legend', {}, l10n.t('Next run')),
    field('styleWeight', strength, shown),
    ...buildSecondStyle(),
    field('size', numberInput('size')),
    field('iterations', numberInput('iterations')),
    field('styleScale', numberInput('styleScale')),
    field('init', init),
    field('seed', numberInput('seed')),
    field('preserveColors', el('input', { id: 'control-preserveColors', type: 'checkbox' })),
    el('div', { id: 'controls-error', class: 'error', role: 'alert', hidden: '' }));
}

function showStrength(): void {
  const slider = $<HTMLInputElement>('control-styleWeight');
  const value = String(sliderToStrength(Number(slider.value)));
  $('control-styleWeight-value').textContent = value;
  slider.setAttribute('aria-valuetext', value);
}

export function fillControls(c: Controls): void {
  $<HTMLInputElement>('control-styleWeight').value = String(strengthToSlider(c.styleWeight));
  showStrength();
  for (const name of ['size', 'iterations', 'styleScale', 'seed'] as const) $<HTMLInputElement>(`control-${name}`).value = String(c[name]);
  $<HTMLSelectElement>('control-init').value = c.init;
  $<HTMLInputElement>('control-preserveColors').checked = c.preserveColors;
}

/** The form's values, checked; undefined (and the reason shown by the form) when one is out of range. */
export function readControls(): Controls | undefined {
  const num = (name: string) => $<HTMLInputElement>(`control-${name}`).valueAsNumber;
  const error = $('controls-error');
  try {
    const controls = checkControls({
      styleWeight: sliderToStrength(num('styleWeight')), size: num('size'), iterations: num('iterations'), styleScale: num('styleScale'),
      seed: num('seed'), init: $<HTMLSelectElement>('control-init').value as Controls['init'], preserveColors: $<HTMLInputElement>('control-preserveColors').checked,
    });
    error.hidden = true;
    return controls;
  } catch (e) {
    error.textContent = (e as Error).message;
    error.hidden = false;
    return undefined;
  }
}
