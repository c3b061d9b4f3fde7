/**
 * The regions brush: a dialog over the panel with the photo, the regions as
 * a translucent overlay at the photo's own pixels, a colour a style of the
 * next run and one to keep the photo, an eraser (back to the first style),
 * three brush sizes, Clear, Cancel and Done. Mouse, pen and touch paint
 * through pointer events; the keyboard moves the brush with the arrows and
 * paints with Space (or Shift with an arrow). Done sends one mask a style to
 * the host, which saves them beside the photo and answers with `regions`;
 * nothing painted (the whole photo in the first style) clears the regions.
 */
import * as l10n from '@vscode/l10n';
import type { FromWebview, PanelState, ToWebview } from '../shared/protocol';
import { MAX_REGION_PIXELS } from '../shared/regions';
import { $, el } from './dom';
import { KEEP, RegionPainting } from './regionsBrush';
import { maskDataUrl, Overlay, readMask } from './regionsCanvas';

/** The brush's radius as a share of the photo's longest side. */
const BRUSHES = [
  { id: 'small', share: 0.015, label: () => l10n.t('Small') },
  { id: 'medium', share: 0.04, label: () => l10n.t('Medium') },
  { id: 'large', share: 0.1, label: () => l10n.t('Large') },
];
const ERASER = 'eraser';

/** The painting of this page's photo: kept while the page lives, so that the dialog opens on it again. */
let painting: RegionPainting | undefined;
let paintedPhoto = '';
/** The labels when the dialog opened: Cancel goes back to them. */
let before: Uint8Array | undefined;
let overlay: Overlay | undefined;
let styles: string[] = [];
let cursor = { x: 0, y: 0 };
let last: { x: number; y: number } | undefined;
let post: (message: FromWebview) => void = () => undefined;
/** Done was sent and the host has not answered: the painting is what it saves, so Cancel waits. */
let saving = false;

const dialog = () => $<HTMLDialogElement>('regions-dialog');
const canvas = () => $<HTMLCanvasElement>('regions-canvas');

function radio(group: string, value: string, label: string, swatch?: string): HTMLElement {
  const input = el('input', { type: 'radio', name: group, value, id: `${group}-${value}` });
  return el('label', { class: 'regions-choice' }, input, ...(swatch ? [el('span', { class: `swatch ${swatch}` })] : []), label);
}

function button(id: string, label: string, onClick: () => void, secondary = true): HTMLButtonElement {
  const b = el('button', { id, type: 'button', class: secondary ? 'secondary' : '' }, label);
  b.addEventListener('click', onClick);
  return b;
}

export function buildRegionsDialog(send: (message: FromWebview) => void): HTMLDialogElement {
  post = send;
  const surface = el('canvas', { id: 'regions-canvas', tabindex: '0', role: 'img', 'aria-roledescription': l10n.t('painting surface'),
    'aria-label': l10n.t('The photo with its regions. Arrow keys move the brush, Space paints, Shift with an arrow paints as it moves.') });
  surface.addEventListener('pointerdown', (e) => { surface.setPointerCapture(e.pointerId); last = photoPoint(e); paint(last, last); });
  surface.addEventListener('pointermove', (e) => { const p = photoPoint(e); if (last) { paint(last, p); last = p; } else moveCursor(p); });
  surface.addEventListener('pointerup', () => { last = undefined; });
  surface.addEventListener('keydown', onKey);
  const sizes = BRUSHES.map((b) => radio('regions-size', b.id, b.label()));
  const d = el('dialog', { id: 'regions-dialog', class: 'regions', 'aria-labelledby': 'regions-title', 'aria-describedby': 'regions-help' },
    el('h2', { id: 'regions-title' }, l10n.t('Paint the regions')),
    el('p', { id: 'regions-help', class: 'muted' }, l10n.t('Paint where each style goes; where you paint "Keep the photo", the photo stays as it is. Unpainted, the photo is in the first style.')),
    el('div', { class: 'regions-tools' },
      el('fieldset', { id: 'regions-colours' }, el('legend', {}, l10n.t('Paint with'))),
      el('fieldset', { id: 'regions-sizes' }, el('legend', {}, l10n.t('Brush size')), ...sizes)),
    el('div', { id: 'regions-stage', class: 'regions-stage' }, el('img', { id: 'regions-photo', alt: '' }), surface,
      el('div', { id: 'regions-cursor', class: 'regions-cursor', 'aria-hidden': 'true' })),
    el('p', { id: 'regions-error', class: 'error', role: 'alert', hidden: '' }),
    el('div', { class: 'actions' }, button('regions-clear', l10n.t('Clear'), clear),
      button('regions-cancel', l10n.t('Cancel'), cancel), button('regions-done', l10n.t('Done'), done, false)));
  // Escape closes the dialog as Cancel does.
  d.addEventListener('cancel', (e) => { e.preventDefault(); cancel(); });
  (sizes[1].querySelector('input') as HTMLInputElement).checked = true;
  d.addEventListener('change', () => moveCursor(cursor));
  return d;
}

/** The colours of this opening: a style each (the first, the second when the form has one), Keep, the eraser. */
function fillColours(): void {
  const choices = [
    ...styles.map((name, i) => radio('regions-colour', String(i), i === 0 ? l10n.t('First style: {0}', name)
      : l10n.t('Second style: {0}', name), `swatch-${i}`)),
    radio('regions-colour', String(KEEP), l10n.t('Keep the photo'), 'swatch-keep'),
    radio('regions-colour', ERASER, l10n.t('Eraser (back to the first style)')),
  ];
  const fieldset = $('regions-colours');
  fieldset.replaceChildren(fieldset.querySelector('legend')!, ...choices);
  (choices[styles.length > 1 ? 1 : styles.length].querySelector('input') as HTMLInputElement).checked = true;
}

function showError(text: string): void {
  $('regions-error').textContent = text;
  $('regions-error').hidden = !text;
}

/** Opens the dialog on `state`'s photo; `second`: the name of the form's second style, when it has one. */
export async function openRegions(state: PanelState, second: string | undefined): Promise<void> {
  styles = [state.job.styleName, ...(second ? [second] : [])];
  fillColours();
  showError('');
  setBusy(false);
  dialog().showModal();
  const photo = $<HTMLImageElement>('regions-photo');
  try {
    photo.src = state.job.contentSrc;
    await photo.decode();
  } catch {
    showError(l10n.t('The panel cannot show {0}, so its regions cannot be painted here. Paint the masks in an image editor and use the CLI\'s --mask.', state.job.contentName));
    return;
  }
  const [width, height] = [photo.naturalWidth, photo.naturalHeight];
  if (width * height > MAX_REGION_PIXELS) {
    showError(l10n.t('{0} is {1}×{2}: larger than the panel paints regions on ({3} megapixels). Use the CLI\'s --mask.', state.job.contentName, width, height, MAX_REGION_PIXELS / 1e6));
    return;
  }
  if (!painting || paintedPhoto !== state.job.contentPath || painting.width !== width || painting.height !== height) {
    painting = await savedPainting(state, width, height);
    paintedPhoto = state.job.contentPath;
  }
  painting.keepStyles(styles.length);
  before = painting.labels.slice();
  overlay = new Overlay(canvas(), painting);
  moveCursor({ x: width / 2, y: height / 2 });
  canvas().focus();
}

/** The panel's saved regions read back, or a new painting (and why, when they could not be read). */
async function savedPainting({ regions }: PanelState, width: number, height: number): Promise<RegionPainting> {
  if (!regions) return new RegionPainting(width, height);
  try {
    const masks = await Promise.all(regions.map((r) => readMask(r.src, width, height)));
    return RegionPainting.fromMasks(width, height, masks);
  } catch (e) {
    showError(l10n.t('The saved regions could not be read back ({0}): the painting starts from the whole photo in the first style.', (e as Error).message));
    return new RegionPainting(width, height);
  }
}

/** Clear regions: the next opening starts from the whole photo in the first style. */
export function forgetPainting(): void {
  painting = undefined;
}

/** The host's answer to Done: saved (the dialog closes) or why not (it stays open). */
export function regionsReply(message: ToWebview<'regions'>): void {
  if (!dialog().open) return;
  setBusy(false);
  if (message.error) showError(message.error);
  else dialog().close();
}

const label = (): number => {
  const value = (document.querySelector('input[name="regions-colour"]:checked') as HTMLInputElement | null)?.value;
  return value === undefined || value === ERASER ? 0 : Number(value);
};

const radius = (): number => {
  const id = (document.querySelector('input[name="regions-size"]:checked') as HTMLInputElement | null)?.value;
  const share = (BRUSHES.find((b) => b.id === id) ?? BRUSHES[1]).share;
  return Math.max(1, share * Math.max(painting?.width ?? 0, painting?.height ?? 0));
};

/** The pointer's place in the photo's pixels (the canvas is scaled to fit the panel). */
function photoPoint(e: PointerEvent): { x: number; y: number } {
  const box = canvas().getBoundingClientRect();
  const { width, height } = canvas();
  return { x: ((e.clientX - box.left) / box.width) * width, y: ((e.clientY - box.top) / box.height) * height };
}

function paint(from: { x: number; y: number }, to: { x: number; y: number }): void {
  if (!painting || !overlay || saving) return;
  overlay.draw(painting.stroke(from.x, from.y, to.x, to.y, radius(), label()));
  moveCursor(to);
}

/** The brush's outline where it paints next, in the stage's percent (the stage scales with the panel). */
function moveCursor(p: { x: number; y: number }): void {
  if (!painting) return;
  cursor = { x: Math.min(painting.width, Math.max(0, p.x)), y: Math.min(painting.height, Math.max(0, p.y)) };
  const ring = $('regions-cursor');
  const r = radius();
  ring.style.left = `${((cursor.x - r) / painting.width) * 100}%`;
  ring.style.top = `${((cursor.y - r) / painting.height) * 100}%`;
  ring.style.width = `${((2 * r) / painting.width) * 100}%`;
  ring.style.height = `${((2 * r) / painting.height) * 100}%`;
}

const STEPS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1],
};

function onKey(e: KeyboardEvent): void {
  const step = STEPS[e.key];
  if (step) {
    e.preventDefault();
    const to = { x: cursor.x + step[0] * radius(), y: cursor.y + step[1] * radius() };
    if (e.shiftKey) paint(cursor, to);
    else moveCursor(to);
  } else if (e.key === ' ' || e.key === 'Enter') {
    e.preventDefault();
    paint(cursor, cursor);
  }
}

function clear(): void {
  painting?.clear();
  overlay?.draw();
  showError('');
}

function cancel(): void {
  if (saving) return;
  if (painting && before) painting.labels.set(before);
  dialog().close();
}

function setBusy(busy: boolean): void {
  saving = busy;
  for (const id of ['regions-done', 'regions-cancel', 'regions-clear']) $<HTMLButtonElement>(id).disabled = busy;
  dialog().setAttribute('aria-busy', String(busy));
}

/** Done: nothing painted clears the regions; else each style must have a region, and the masks go to the host. */
function done(): void {
  if (!painting) return dialog().close();
  if (painting.isDefault()) {
    post({ type: 'clearRegions' });
    dialog().close();
    return;
  }
  const { width, height } = painting;
  const masks = styles.map((_, i) => painting!.mask(i));
  const empty = masks.findIndex((m) => !m.some((v) => v > 0));
  if (empty >= 0) {
    showError(l10n.t('{0} has no region: paint where it goes (or choose no second style).', styles[empty]));
    return;
  }
  setBusy(true);
  post({ type: 'saveRegions', width, height, masks: masks.map((m) => maskDataUrl(m, width, height)) });
}
