/**
 * The "Next run" form: the controls of shared/controls.ts as inputs, filled
 * from the state's controls, read back (and checked with the engine's checks)
 * for Run again and Save as defaults.
 */
import { OPTION_SPECS } from '@neural-style/engine/options';
import * as l10n from '@vscode/l10n';
import {
  checkControls, controlHints, controlLabels, Controls, sliderToStrength, STRENGTH_SLIDER, strengthMarks,
  strengthToSlider, strengthWord,
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

/**
 * Style weight: a wide log slider with marks a painter reads (subtle … very
 * strong; a click on a mark moves there) and the exact number beside it, to
 * type. The number is what a run uses; the slider only moves it.
 */
function strengthField(): HTMLElement {
  const spec = OPTION_SPECS.styleWeight;
  const slider = el('input', {
    id: 'control-styleWeight', type: 'range', list: 'strength-marks',
    min: String(STRENGTH_SLIDER.min), max: String(STRENGTH_SLIDER.max), step: String(STRENGTH_SLIDER.step),
  });
  const number = el('input', {
    id: 'control-styleWeight-number', type: 'number', min: String(spec.min), max: String(spec.max), step: 'any',
    'aria-label': l10n.t('Style weight, as a number'),
  });
  const span = STRENGTH_SLIDER.max - STRENGTH_SLIDER.min;
  const marks = strengthMarks();
  const ticks = marks.map((m) => el('option', { value: String(Math.log10(m.weight)) }));
  const list = el('datalist', { id: 'strength-marks' }, ...ticks);
  const words = el('div', { class: 'strength-marks', 'aria-hidden': 'true' }, ...marks.map((m) => {
    const left = ((Math.log10(m.weight) - STRENGTH_SLIDER.min) / span) * 100;
    const mark = el('span', { class: 'strength-mark', 'data-weight': String(m.weight) }, m.word);
    // Through the CSSOM: the CSP (style-src without 'unsafe-inline') drops a style attribute.
    mark.style.left = `${left}%`;
    mark.addEventListener('click', () => setStrength(m.weight));
    return mark;
  }));
  slider.addEventListener('input', () => setStrength(sliderToStrength(Number(slider.value)), 'slider'));
  number.addEventListener('input', () => {
    if (Number.isFinite(number.valueAsNumber)) setStrength(number.valueAsNumber, 'number');
  });
  return el('div', { class: 'control control-strength', title: `${controlHints().styleWeight} (neuralStyle.styleWeight)` },
    el('label', { class: 'control-label', for: 'control-styleWeight' }, controlLabels().styleWeight),
    el('div', { class: 'strength-track' }, slider, words, list), number);
}

/** The form; `regions`: the Regions row (regionsForm.ts), after the second style it goes with. */
export function buildControls(browseSecondStyle: () => void, regions: HTMLElement): HTMLElement {
  const init = el('select', { id: 'control-init' }, ...OPTION_SPECS.init.values.map((v) => el('option', { value: v }, initLabels()[v])));
  return el('fieldset', { id: 'controls', class: 'controls' }, el('legend', {}, l10n.t('Next run')),
    strengthField(),
    ...buildSecondStyle(browseSecondStyle),
    regions,
    field('size', numberInput('size')),
    field('iterations', numberInput('iterations')),
    field('styleScale', numberInput('styleScale')),
    field('init', init),
    field('seed', numberInput('seed')),
    field('preserveColors', el('input', { id: 'control-preserveColors', type: 'checkbox' })),
    field('seamless', el('input', { id: 'control-seamless', type: 'checkbox' })),
    el('div', { id: 'controls-error', class: 'error', role: 'alert', hidden: '' }));
}

/** Shows `weight` on the slider and in the number field, except the one the user is moving or typing in. */
function setStrength(weight: number, from?: 'slider' | 'number'): void {
  const slider = $<HTMLInputElement>('control-styleWeight');
  if (from !== 'slider') slider.value = String(strengthToSlider(weight));
  if (from !== 'number') $<HTMLInputElement>('control-styleWeight-number').value = String(weight);
  slider.setAttribute('aria-valuetext', l10n.t('{0}, {1}', weight, strengthWord(weight)));
}

export function fillControls(c: Controls): void {
  setStrength(c.styleWeight);
  for (const name of ['size', 'iterations', 'styleScale', 'seed'] as const) $<HTMLInputElement>(`control-${name}`).value = String(c[name]);
  $<HTMLSelectElement>('control-init').value = c.init;
  $<HTMLInputElement>('control-preserveColors').checked = c.preserveColors;
  $<HTMLInputElement>('control-seamless').checked = c.seamless;
}

/** The form's values, checked; undefined (and the reason shown by the form) when one is out of range. */
export function readControls(): Controls | undefined {
  const num = (name: string) => $<HTMLInputElement>(`control-${name}`).valueAsNumber;
  const error = $('controls-error');
  try {
    const controls = checkControls({
      styleWeight: num('styleWeight-number'), size: num('size'), iterations: num('iterations'), styleScale: num('styleScale'),
      seed: num('seed'), init: $<HTMLSelectElement>('control-init').value as Controls['init'],
      preserveColors: $<HTMLInputElement>('control-preserveColors').checked, seamless: $<HTMLInputElement>('control-seamless').checked,
    });
    error.hidden = true;
    return controls;
  } catch (e) {
    error.textContent = (e as Error).message;
    error.hidden = false;
    return undefined;
  }
}
