/**
 * The form's second style: none, or one of the styles the host offered (sent
 * back as its index, never as a path), and the Blend slider, shown only when
 * one is chosen. The settings have no second style: it belongs to this
 * panel's runs, and Save as defaults leaves it out (the form says so).
 */
import * as l10n from '@vscode/l10n';
import { PanelState } from '../shared/protocol';
import { BLEND_SLIDER, blendWeights, DEFAULT_BLEND, SecondStylePick } from '../shared/secondStyle';
import { $, el } from './dom';

const NONE = '';
/** The list's last entry: not a style, a request for one (the host asks for a file and offers it). */
const BROWSE = 'browse';
/** What the list showed before Browse… was chosen: it goes back to it while the host asks. */
let shown = NONE;

export function buildSecondStyle(browse: () => void): HTMLElement[] {
  const select = el('select', { id: 'control-secondStyle' });
  select.addEventListener('change', () => {
    if (select.value === BROWSE) {
      select.value = shown;
      browse();
    }
    shown = select.value;
    showBlend();
  });
  const blend = el('input', { id: 'control-blend', type: 'range', min: String(BLEND_SLIDER.min), max: String(BLEND_SLIDER.max), step: String(BLEND_SLIDER.step) });
  blend.addEventListener('input', () => showBlend());
  return [
    el('label', { class: 'control', title: l10n.t('A second painting whose style is mixed into the picture (the engine\'s second style image).') },
      el('span', { class: 'control-label' }, l10n.t('Second style')), select),
    el('div', { id: 'control-blend-field', class: 'control-group', hidden: '' },
      el('label', { class: 'control', title: l10n.t('How much of the second style: 0 % the first style only, 100 % the second only (styleBlendWeights).') },
        el('span', { class: 'control-label' }, l10n.t('Blend')), blend, el('output', { id: 'control-blend-value', for: 'control-blend' })),
      el('p', { id: 'control-blend-regions', class: 'muted control-note', hidden: '' }, l10n.t('With regions each style paints its own region: the blend does not apply.')),
      el('p', { class: 'muted control-note' }, l10n.t('The second style is for this panel\'s runs only: Save as defaults leaves it out.'))),
  ];
}

function showBlend(): void {
  const chosen = $<HTMLSelectElement>('control-secondStyle').value !== NONE;
  $('control-blend-field').hidden = !chosen;
  const slider = $<HTMLInputElement>('control-blend');
  const text = l10n.t('{0} % of the second style', slider.value);
  $('control-blend-value').textContent = `${slider.value} %`;
  slider.setAttribute('aria-valuetext', text);
}

/** The choices the host offered for this job, its own second style (the first of them) selected. */
export function fillSecondStyle({ job, styleChoices = [] }: PanelState): void {
  const own = job.secondStyle ? styleChoices.findIndex((c) => c.path === job.secondStyle!.path) : -1;
  showChoices(styleChoices, own);
  $<HTMLInputElement>('control-blend').value = String(job.secondStyle?.blend ?? DEFAULT_BLEND);
  showBlend();
}

/** The list anew (Browse… added a style): `selected` chosen, else what was chosen before. */
export function refillSecondStyle(choices: PanelState['styleChoices'] = [], selected?: number): void {
  showChoices(choices, selected ?? (shown === NONE ? -1 : Number(shown)));
  showBlend();
}

function showChoices(choices: NonNullable<PanelState['styleChoices']>, selected: number): void {
  const select = $<HTMLSelectElement>('control-secondStyle');
  select.replaceChildren(el('option', { value: NONE }, l10n.t('None')),
    ...choices.map((c, i) => el('option', { value: String(i) }, c.label)),
    el('option', { value: BROWSE }, l10n.t('Browse…')));
  select.value = selected >= 0 && selected < choices.length ? String(selected) : NONE;
  shown = select.value;
}

/**
 * The form's second style for Run again: `{}` for none; undefined (the reason shown) when the blend is out of range.
 */
export function readSecondStyle(): { secondStyle?: SecondStylePick } | undefined {
  const value = $<HTMLSelectElement>('control-secondStyle').value;
  if (value === NONE) return {};
  const pick = { choice: Number(value), blend: $<HTMLInputElement>('control-blend').valueAsNumber };
  try {
    blendWeights(pick.blend);
    return { secondStyle: pick };
  } catch (e) {
    const error = $('controls-error');
    error.textContent = (e as Error).message;
    error.hidden = false;
    return undefined;
  }
}

/** The name of the form's second style, or undefined when it has none. */
export function chosenSecondStyle(): string | undefined {
  const select = $<HTMLSelectElement>('control-secondStyle');
  return select.value === NONE ? undefined : select.selectedOptions[0]?.textContent ?? undefined;
}
