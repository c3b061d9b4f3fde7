/**
 * The form's Regions row: what the next run paints (the whole photo, or the
 * masks painted), Paint regions… (the brush, regionsPainter.ts) and Clear
 * regions. With regions the second style's blend does not apply: each style
 * paints its own region, and the form says so instead of sending a blend.
 */
import * as l10n from '@vscode/l10n';
import type { PanelState } from '../shared/protocol';
import { $, el } from './dom';

export function buildRegions(paint: () => void, clear: () => void): HTMLElement {
  const open = el('button', { id: 'regions-paint', type: 'button', class: 'secondary', 'aria-describedby': 'regions-summary' },
    l10n.t('Paint regions…'));
  open.addEventListener('click', paint);
  const forget = el('button', { id: 'regions-forget', type: 'button', class: 'secondary', hidden: '' }, l10n.t('Clear regions'));
  forget.addEventListener('click', clear);
  return el('div', { class: 'control control-regions', title: l10n.t('Paint where each style goes, and where the photo stays (the engine\'s --mask, one mask a style).') },
    el('span', { class: 'control-label' }, l10n.t('Regions')),
    el('span', { id: 'regions-summary', class: 'muted' }), open, forget);
}

/** The row and the blend as `s`'s regions make them. */
export function renderRegions(s: PanelState): void {
  const names = s.regions?.map((r) => r.path.split(/[\\/]/).pop()).join(', ');
  $('regions-summary').textContent = names ? l10n.t('painted: {0}', names) : l10n.t('none: the whole photo in the style');
  $('regions-forget').hidden = !s.regions;
  $<HTMLInputElement>('control-blend').disabled = !!s.regions;
  $('control-blend-regions').hidden = !s.regions;
}

/** Why Run again cannot take the panel's regions with `styles` styles, or undefined when it can. */
export function regionsProblem(s: PanelState, styles: number): string | undefined {
  if (!s.regions || s.regions.length === styles) return undefined;
  return l10n.t('The regions were painted for {0} styles, and this run has {1}. Paint the regions again, or clear them.', s.regions.length, styles);
}
