/**
 * The strip of a clip's finished frames under its live preview: thumbnails
 * in frame order, scrolled so the newest is in sight. Rebuilt only when the
 * strip changed (a frame is minutes of work; a progress comes every step).
 */
import * as l10n from '@vscode/l10n';
import type { PanelState } from '../shared/protocol';
import { $, el } from './dom';

export function buildFrameStrip(): HTMLElement {
  return el('section', { id: 'frames', class: 'frames', hidden: '' },
    el('h2', { id: 'frames-title' }), el('div', { id: 'frames-list', class: 'frames-list' }));
}

/** What the strip shows now: rebuilding it for the same frames would only flicker. */
let shown = '';

export function renderFrameStrip({ frames }: PanelState): void {
  $('frames').hidden = !frames?.length;
  const key = frames?.map((t) => `${t.frame}/${t.frames}`).join(',') ?? '';
  if (!frames?.length || key === shown) return;
  shown = key;
  // Frames finish in order: the newest's number is how many are done, though the strip keeps fewer.
  const newest = frames[frames.length - 1];
  $('frames-title').textContent = l10n.t('Finished frames: {0} of {1}', newest.frame, newest.frames);
  const list = $('frames-list');
  list.replaceChildren(...frames.map((t) => el('figure', { class: 'frame-thumb' },
    el('img', { src: t.src, alt: l10n.t('Frame {0} of {1}', t.frame, t.frames) }),
    el('figcaption', { class: 'muted' }, String(t.frame)))));
  list.scrollLeft = list.scrollWidth;
}
