/**
 * The runs of this photo in the panel: a thumbnail per run with its
 * parameters, time and backend; clicking one shows it, and any two (or the
 * photo and a run) can be compared before/after, fitted or at 1:1.
 */
import { formatDuration } from '@neural-style/engine/options';
import * as l10n from '@vscode/l10n';
import { PanelState, RunView } from '../shared/protocol';
import { whereText } from '../shared/where';
import { $, el, setSrc } from './dom';

/** What the compare view shows: indexes into the history; `before` -1 is the content photo. */
export interface CompareView {
  before: number;
  after: number;
  actualSize: boolean;
}

export const compareView: CompareView = { before: -1, after: -1, actualSize: false };
/** Runs seen so far: a new one is shown as it arrives. */
let runsShown = -1;
let shownKey = '';

/** One line for a run: what it ran with, how long, on what. */
export function runSummary(run: RunView, index: number, styleName = ''): string {
  const c = run.controls;
  const params = c ? [
    l10n.t('style weight {0}', c.styleWeight), l10n.t('{0} px', c.size), l10n.t({ message: '{0} it.', args: [c.iterations], comment: ['iterations, abbreviated'] }),
    ...(c.preserveColors ? [l10n.t('photo colours')] : []), ...(c.seamless ? [l10n.t('tiles without a seam')] : []),
    l10n.t('seed {0}', c.seed),
  ] : [l10n.t('{0} steps', run.steps)];
  // A result of this photo another panel made may be of another style: it says which.
  const style = run.styleName && run.styleName !== styleName ? [run.styleName] : [];
  const blend = run.regions ? '' : ` ${run.secondStyle?.blend} %`;
  const second = run.secondStyle ? [`+ ${run.secondStyle.name}${blend}`] : [];
  const regions = run.regions ? [l10n.t('in regions')] : [];
  const when = run.finishedAt ? [new Date(run.finishedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })] : [];
  const on = whereText(run.backend);
  const where = run.elapsedMs === undefined ? l10n.t('on {0}', on) : l10n.t('{0} on {1}', formatDuration(run.elapsedMs), on);
  return [`#${index + 1}`, ...style, ...second, ...regions, ...params, where, ...when].join(' · ');
}

function thumbnail(run: RunView, index: number, styleName: string, onPick: (index: number) => void): HTMLElement {
  const summary = runSummary(run, index, styleName);
  const b = el('button', { class: 'run', 'aria-pressed': String(index === compareView.after), title: `${run.outputName}\n${summary}` },
    el('img', { src: run.outputSrc, alt: '' }), el('span', { class: 'run-caption' }, summary));
  b.addEventListener('click', () => onPick(index));
  return b;
}

function options(select: HTMLSelectElement, history: RunView[], withContent: boolean, value: number): void {
  const items = history.map((run, i) => el('option', { value: String(i) }, `#${i + 1} ${run.outputName}`));
  select.replaceChildren(...(withContent ? [el('option', { value: '-1' }, l10n.t('The photo'))] : []), ...items);
  select.value = String(value);
}

/** Shows the history strip and the compare view of `s`; `onChange` re-renders after a pick. */
export function renderHistory(s: PanelState, onChange: () => void): void {
  const history = s.history ?? [];
  // New runs: the panel's own result is shown (a result opened from its file need not be the newest), else the newest.
  if (history.length !== runsShown || compareView.after >= history.length) {
    const own = history.findIndex((run) => run.outputPath === s.job.outputPath);
    compareView.after = own >= 0 ? own : history.length - 1;
  }
  runsShown = history.length;
  if (compareView.before >= history.length) compareView.before = -1;
  $('history').hidden = history.length === 0;
  // Rebuilt only when the runs or the picks change, not on every progress tick.
  const key = JSON.stringify([history.map((r) => r.outputSrc), compareView.before, compareView.after]);
  if (key !== shownKey) {
    shownKey = key;
    $('history-list').replaceChildren(...history.map((run, i) => thumbnail(run, i, s.job.styleName, (index) => { compareView.after = index; onChange(); })));
    options($<HTMLSelectElement>('compare-before'), history, true, compareView.before);
    options($<HTMLSelectElement>('compare-after'), history, false, compareView.after);
  }
  const after = history[compareView.after];
  if (!after) return;
  setSrc('after', after.outputSrc);
  setSrc('before', compareView.before < 0 ? s.job.contentSrc : history[compareView.before].outputSrc);
  $('after').setAttribute('alt', l10n.t('Result {0}: {1}', compareView.after + 1, after.outputName));
  $('compare').classList.toggle('actual-size', compareView.actualSize);
  $('zoom').setAttribute('aria-pressed', String(compareView.actualSize));
  $('zoom').textContent = compareView.actualSize ? l10n.t('Fit') : '1:1';
}

/** The compare view's own controls: which two, and the zoom. */
export function buildCompareControls(onChange: () => void): HTMLElement[] {
  const before = el('select', { id: 'compare-before', 'aria-label': l10n.t('Before') });
  const after = el('select', { id: 'compare-after', 'aria-label': l10n.t('After') });
  before.addEventListener('change', () => { compareView.before = Number(before.value); onChange(); });
  after.addEventListener('change', () => { compareView.after = Number(after.value); onChange(); });
  const zoom = el('button', { id: 'zoom', class: 'secondary', 'aria-pressed': 'false', title: l10n.t('Show the result at its real size (1:1) or fitted') }, '1:1');
  zoom.addEventListener('click', () => { compareView.actualSize = !compareView.actualSize; onChange(); });
  return [el('label', { class: 'muted' }, `${l10n.t('Before')} `, before), el('label', { class: 'muted' }, `${l10n.t('After')} `, after), zoom];
}
