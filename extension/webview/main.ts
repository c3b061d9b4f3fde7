/**
 * The job panel in the webview: renders the state the host sends, keeps it
 * with setState so a reload shows it again, and sends only the messages of
 * shared/protocol.ts back. Never imports vscode or Node.
 */
import './pageL10n';
import * as l10n from '@vscode/l10n';
import { formatDuration } from '@neural-style/engine/options';
import { progressFraction } from '@neural-style/engine/protocol';
import { FromWebview, isToCompute, JobStatus, PanelState, parsePanelState, parseToWebview, ToCompute, ToWebview } from '../shared/protocol';
import { batchProgressText } from '../shared/batchProgress';
import { enlargedText, estimateText, runningClock } from '../shared/waitText';
import { applyMessage } from '../shared/state';
import { stylesLabel } from '../shared/secondStyle';
import { drawLossChart, lossSummary, SERIES } from './chart';
import { buildControls, fillControls, readControls } from './controlsForm';
import { $, el, setSrc } from './dom';
import { buildFrameStrip, renderFrameStrip } from './frameStrip';
import { clipFrameOf } from '../shared/frameStrip';
import { buildCompareControls, compareView, renderHistory } from './history';
import { chosenSecondStyle, fillSecondStyle, readSecondStyle, refillSecondStyle } from './secondStyleForm';
import { buildRegions, regionsProblem, renderRegions } from './regionsForm';
import { buildRegionsDialog, forgetPainting, openRegions, regionsReply } from './regionsPainter';
import { buildWhere, renderWhere } from './whereView';
import { whereText } from '../shared/where';
import { probeAdapters } from './compute/adapters';
import { COMPUTE_GLOBAL, type ComputeApi } from './compute/api';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
// compute.js (tfjs and the core, megabytes) is loaded only when a job runs on the GPU: from the URI
// the host put on this script, with this script's nonce, the only one the CSP lets run.
const thisScript = document.currentScript as HTMLScriptElement;
let compute: Promise<ComputeApi> | undefined;
let state: PanelState | undefined = parsePanelState(vscode.getState());

const statusText = (status: JobStatus): string => ({
  queued: l10n.t('Queued'), running: l10n.t('Running'), done: l10n.t('Done'), failed: l10n.t('Failed'), cancelled: l10n.t('Cancelled'),
  interrupted: l10n.t('Interrupted by a reload'),
})[status];

function button(id: string, label: string, onClick: () => void, secondary = false): HTMLButtonElement {
  const b = el('button', { id, class: secondary ? 'secondary' : '' }, label);
  b.addEventListener('click', onClick);
  return b;
}
const send = (message: FromWebview) => () => vscode.postMessage(message);

/** Run again (or on the CPU) with the form's values; nothing is sent while one is out of range. */
function runAgain(on?: 'cpu' | 'gpu'): void {
  const controls = readControls();
  const second = controls && readSecondStyle();
  const where = on === 'cpu' ? { onCpu: true } : on === 'gpu' ? { onGpu: true } : {};
  const problem = second && state && regionsProblem(state, second.secondStyle ? 2 : 1);
  if (problem) {
    $('controls-error').textContent = problem;
    $('controls-error').hidden = false;
    return;
  }
  if (controls && second) vscode.postMessage({ type: 'runAgain', controls, ...second, ...where });
}

function buildRegionsRow(): HTMLElement {
  const paint = () => { if (state) void openRegions(state, chosenSecondStyle()); };
  const clear = () => { forgetPainting(); vscode.postMessage({ type: 'clearRegions' }); };
  return buildRegions(paint, clear);
}

function saveDefaults(): void {
  const controls = readControls();
  if (controls) vscode.postMessage({ type: 'saveDefaults', controls });
}

function buildResult(): HTMLElement {
  const slider = el('input', { id: 'compare-slider', type: 'range', min: '0', max: '100', value: '50', 'aria-label': l10n.t('Before/after position') });
  slider.addEventListener('input', () => updateCompare());
  const preview = el('img', { id: 'preview', alt: l10n.t('Live preview (click to zoom)'), tabindex: '0', role: 'button', 'aria-pressed': 'false' });
  const zoom = () => preview.setAttribute('aria-pressed', String($('preview-box').classList.toggle('zoomed')));
  preview.addEventListener('click', zoom);
  preview.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); zoom(); } });
  return el('section', { class: 'result' },
    el('div', { id: 'preview-box', class: 'frame' }, preview, el('div', { id: 'preview-empty', class: 'muted' }, l10n.t('The preview appears after the first iteration.'))),
    el('div', { id: 'compare', class: 'frame compare', hidden: '' },
      el('img', { id: 'after', alt: l10n.t('Result') }), el('img', { id: 'before', alt: l10n.t('Before') }), el('div', { id: 'divider' })),
    el('div', { id: 'compare-controls', hidden: '' }, el('span', { class: 'muted' }, l10n.t('Before')), slider, el('span', { class: 'muted' }, l10n.t('After')),
      ...buildCompareControls(() => state && render(state, false))));
}

function build(app: HTMLElement): void {
  const figure = (id: string, caption: string) => el('figure', { id: `${id}-figure` }, el('img', { id, alt: caption }), el('figcaption', { id: `${id}-caption` }, caption));
  const legend = el('div', { class: 'legend' }, ...SERIES.map((s) => el('span', { class: `key key-${s.name.toLowerCase()}` }, s.label())));
  app.replaceChildren(
    el('header', {}, el('h1', { id: 'title' }), el('span', { id: 'status', class: 'badge' })),
    el('p', { id: 'live', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' }),
    el('section', { class: 'inputs' }, figure('content', l10n.t('Content')), el('span', { class: 'times' }, '×'), figure('style', l10n.t('Style')),
      el('span', { id: 'second-style-plus', class: 'times' }, '+'), figure('second-style', l10n.t('Second style'))),
    el('p', { id: 'batch', class: 'muted', hidden: '' }),
    el('section', { class: 'progress', id: 'progress-section' },
      el('div', { class: 'bar', role: 'progressbar', id: 'bar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-label': l10n.t('Progress') }, el('div', { id: 'bar-fill' })),
      el('div', { id: 'progress-text', class: 'muted' })),
    buildWhere(send({ type: 'showLog' })),
    el('div', { id: 'error', class: 'error', hidden: '' }),
    el('p', { id: 'note', class: 'note', hidden: '' }),
    buildResult(),
    buildFrameStrip(),
    el('section', { id: 'history', class: 'history', hidden: '' }, el('h2', {}, l10n.t('Runs of this photo')), el('div', { id: 'history-list', class: 'history-list' })),
    el('section', { class: 'next' }, buildControls(send({ type: 'browseSecondStyle' }), buildRegionsRow()),
      el('div', { class: 'actions' },
        button('run-again', l10n.t('Run again'), () => runAgain()),
        button('run-on-cpu', l10n.t('Run on CPU instead'), () => runAgain('cpu'), true),
        button('run-on-gpu', l10n.t('Run again on your GPU'), () => runAgain('gpu'), true),
        button('save-defaults', l10n.t('Save as defaults…'), saveDefaults, true))),
    el('section', { class: 'chart' }, el('h2', {}, l10n.t('Loss')),
      el('canvas', { id: 'chart', role: 'img', 'aria-label': l10n.t('Loss over the steps'), 'aria-describedby': 'chart-summary' }), legend,
      el('p', { class: 'muted legend-note' }, l10n.t('Each line is scaled to its own peak (log axis). The total should fall; the content term rises as paint replaces the photo: that is expected.')),
      el('p', { id: 'chart-summary', class: 'muted' })),
    el('footer', {},
      button('cancel', l10n.t('Cancel'), send({ type: 'cancel' }), true),
      button('open', l10n.t('Open'), () => vscode.postMessage({ type: 'open', run: compareView.after })),
      button('reveal', l10n.t('Reveal in Explorer'), () => vscode.postMessage({ type: 'reveal', run: compareView.after }), true),
      button('log', l10n.t('Show Log'), send({ type: 'showLog' }), true)),
    buildRegionsDialog((m) => vscode.postMessage(m)),
  );
}

function updateCompare(): void {
  const value = Number($<HTMLInputElement>('compare-slider').value);
  // The "before" image on the left of the divider, the "after" on the right.
  $('before').style.clipPath = `inset(0 ${100 - value}% 0 0)`;
  $('divider').style.left = `${value}%`;
}

/** "chelsea.png in the style of …": with regions the styles are not blended, and the title says regions instead. */
function titleOf(job: PanelState['job']): string {
  const second = job.secondStyle;
  if (job.clip) return l10n.t('{0} as an animation in the style of {1}', job.contentName, stylesLabel(job.styleName, second));
  if (second && job.regions) return l10n.t('{0} in the styles of {1} and {2}, in regions', job.contentName, job.styleName, second.name);
  if (second) return l10n.t('{0} in the styles of {1} and {2} (blend {3} %)', job.contentName, job.styleName, second.name, second.blend);
  return job.regions ? l10n.t('{0} in the style of {1}, in regions', job.contentName, job.styleName)
    : l10n.t('{0} in the style of {1}', job.contentName, job.styleName);
}

function renderHeader({ job }: PanelState): void {
  document.body.dataset.status = job.status;
  const second = job.secondStyle;
  $('title').textContent = titleOf(job);
  $('status').textContent = job.status === 'queued' && job.position ? l10n.t('Queued (#{0})', job.position) : statusText(job.status);
  $('status').className = `badge badge-${job.status}`;
  setSrc('content', job.contentSrc);
  // A folder of frames has no picture of its own: its frames show in the preview and the strip.
  $('content').hidden = job.clip === true && !/\.(gif|webp)$/i.test(job.contentName);
  setSrc('style', job.styleSrc);
  $('content-caption').textContent = job.contentName;
  $('style-caption').textContent = job.styleName;
  $('second-style-plus').hidden = !second;
  $('second-style-figure').hidden = !second;
  setSrc('second-style', second?.src);
  $('second-style-caption').textContent = !second ? '' : job.regions ? second.name : `${second.name} · ${second.blend} %`;
}

/** "Photo 2 of 5 of this batch · 1 of 5 done, about 3:10 left for the batch". */
function renderBatch({ batch }: PanelState): void {
  $('batch').hidden = !batch;
  $('batch').textContent = batch ? l10n.t('Photo {0} of {1} of this batch · {2}', batch.index, batch.total, batchProgressText(batch, formatDuration)) : '';
}

function renderProgress(s: PanelState): void {
  const fraction = s.done ? 1 : s.progress ? progressFraction(s.progress) : 0;
  $('bar-fill').style.width = `${(fraction * 100).toFixed(1)}%`;
  $('bar').setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
  $('progress-text').textContent = progressText(s);
  $('error').hidden = !s.error;
  $('error').textContent = s.error ?? '';
  $('note').hidden = !s.note;
  $('note').textContent = s.note ?? '';
  // Only what a listener needs to hear: the status, not every tick.
  const live = liveText(s);
  if ($('live').textContent !== live) $('live').textContent = live;
}

/** The preview while a job runs; the runs (compare view) once there is one and nothing runs. */
function renderResult(s: PanelState): void {
  const active = s.job.status === 'running' || s.job.status === 'queued';
  const comparing = !active && (s.history?.length ?? 0) > 0;
  $('preview-box').hidden = comparing || (!active && !s.preview);
  setSrc('preview', s.preview);
  $('preview').hidden = !s.preview;
  $('preview-empty').hidden = !!s.preview;
  $('compare').hidden = !comparing;
  $('compare-controls').hidden = !comparing;
  renderHistory(s, () => state && render(state, false));
  if (comparing) updateCompare();
}

function renderButtons(s: PanelState): void {
  const { status } = s.job;
  const active = status === 'running' || status === 'queued';
  const hasRuns = (s.history?.length ?? 0) > 0;
  $('cancel').hidden = !active;
  // A photo that cannot be read fails every run: Run again would only fail again.
  $('run-again').hidden = active || s.errorCode === 'EIMAGE';
  $('run-on-cpu').hidden = active || s.errorCode !== 'EGPULOST';
  $('open').hidden = active || !hasRuns;
  $('reveal').hidden = active || !hasRuns;
  $('log').hidden = !(status === 'failed' || status === 'done');
}

/** The form shows the controls of each new job once: what the user types in it is not overwritten by progress. */
let formJob: string | undefined;
function renderControls(s: PanelState): void {
  if (formJob === s.job.id || !s.controls) return;
  formJob = s.job.id;
  fillControls(s.controls);
  fillSecondStyle(s);
}

/** The chart's last step: the run's, or the steps a result opened from its file says it ran. */
const totalStepsOf = (s: PanelState) => s.progress?.totalSteps ?? s.done?.steps ?? 0;

/** The chart's sentence; a result that ended with no losses is one whose picture keeps none (made before they were). */
function chartSummary(s: PanelState): string {
  if (s.losses.length || !s.done) return lossSummary(s.losses);
  return l10n.t('No loss chart: this picture does not keep its losses (it was made by an earlier version of Neural Style).');
}

/** Shows `s`; the loss chart only when the losses may have changed (drawing it is the costly part). */
function render(s: PanelState, drawChart = true): void {
  if (!$('title')) build($('app'));
  renderHeader(s);
  renderBatch(s);
  renderProgress(s);
  renderResult(s);
  renderFrameStrip(s);
  renderButtons(s);
  renderWhere(s);
  renderControls(s);
  renderRegions(s);
  if (drawChart) {
    drawLossChart($<HTMLCanvasElement>('chart'), s.losses, totalStepsOf(s));
    $('chart-summary').textContent = chartSummary(s);
  }
}

/** When the last report (a progress, else the estimate) came: the clock runs on from it between reports. */
let reportedAt = Date.now();
const sinceReport = () => Date.now() - reportedAt;

/** Before the first step: what the engine is doing, and once it planned the run, how long it will take. */
function startingText({ job, estimate, engine }: PanelState): string {
  if (estimate) {
    const first = estimate.scales[0];
    const doing = l10n.t('Preparing scale 1 ({0}×{1}): the style\'s targets, then the first step',
      first.width, first.height);
    const planned = estimateText(estimate, formatDuration, sinceReport());
    return [doing, planned, enlargedText(estimate)].filter(Boolean).join(' · ');
  }
  if (engine === 'new') return l10n.t('Starting the engine: loading TensorFlow.js and the weights…');
  if (engine === 'warm') {
    return job.size === undefined ? l10n.t('Reading the photo and the style…')
      : l10n.t('Reading the photo and the style, planning {0} px and {1} iterations…',
        job.size, job.iterations ?? '?');
  }
  return job.size === undefined ? l10n.t('Starting…')
    : l10n.t('Starting ({0} px, {1} iterations)…', job.size, job.iterations ?? '?');
}

/** Where a job that ended early stopped: no time left, no "appears after" to wait for. */
function endedText({ job, progress: p, frames }: PanelState): string {
  const clip = clipFrameOf(p);
  // A clip's finished frames are files already: a cancel keeps them (a reload goes on after them).
  if (clip && frames?.length && job.status === 'cancelled') {
    return l10n.t('Cancelled at frame {0} of {1}; the finished frames are kept.', clip.frame, clip.frames);
  }
  const args = p && [p.step, p.totalSteps, formatDuration(p.elapsedMs)] as const;
  if (job.status === 'cancelled') return args ? l10n.t('Cancelled at step {0} of {1}, after {2}; nothing was written.', ...args) : l10n.t('Cancelled; nothing was written.');
  if (job.status === 'interrupted') {
    return args ? l10n.t('Interrupted by a reload at step {0} of {1}, after {2}; nothing was written.', ...args) : l10n.t('Interrupted by a reload; nothing was written.');
  }
  return args ? l10n.t('Stopped at step {0} of {1}, after {2}.', ...args) : '';
}

function progressText(s: PanelState): string {
  const { job, progress: p, done } = s;
  if (done) {
    const where = whereText(done.backend, s.where);
    return done.elapsedMs === undefined ? l10n.t('{0} steps on {1} · {2}', done.steps, where, done.outputName)
      : l10n.t('{0} steps in {1} on {2} · {3}', done.steps, formatDuration(done.elapsedMs), where, done.outputName);
  }
  if (job.status !== 'running' && job.status !== 'queued') return endedText(s);
  if (!p) return job.status === 'queued' ? l10n.t('Waiting for the jobs before it.') : startingText(s);
  const clock = runningClock(p, sinceReport());
  const clip = clipFrameOf(p);
  const parts = [
    ...(clip ? [l10n.t('Frame {0} of {1}', clip.frame, clip.frames)] : []),
    l10n.t('Step {0} / {1}', p.step, p.totalSteps),
    l10n.t('scale {0}/{1} ({2}×{3})', p.scale, p.scales, p.width, p.height),
    l10n.t('iteration {0}/{1}', p.iteration, p.iterations),
    ...(p.tiles ? [l10n.t('tile {0}/{1}', p.tile ?? 0, p.tiles)] : []),
    l10n.t('{0} elapsed', formatDuration(clock.elapsedMs)),
    l10n.t('{0} left', formatDuration(clock.etaMs)),
    l10n.t('on {0}', whereText(p.backend, s.where)),
  ];
  return parts.join(' · ');
}

function liveText(s: PanelState): string {
  const { job, done, progress } = s;
  switch (job.status) {
    case 'queued': return job.position ? l10n.t('Queued, number {0}.', job.position) : l10n.t('Queued.');
    case 'running': return progress ? l10n.t('Running on {0}.', whereText(progress.backend, s.where)) : l10n.t('Starting.');
    case 'done':
      if (!done) return l10n.t('Done.');
      return done.elapsedMs === undefined ? l10n.t('Done: {0}.', done.outputName) : l10n.t('Done: {0} in {1}.', done.outputName, formatDuration(done.elapsedMs));
    case 'failed': return l10n.t('Failed: {0}', (s.error ?? '').split('\n')[0]);
    case 'cancelled': return l10n.t('Cancelled.');
    case 'interrupted': return l10n.t('Interrupted by a reload.');
  }
}

function loadCompute(): Promise<ComputeApi> {
  compute ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.nonce = thisScript.nonce;
    script.src = thisScript.dataset.compute ?? '';
    script.dataset.l10n = thisScript.dataset.l10n ?? ''; // compute.js has its own copy of @vscode/l10n: pageL10n reads this
    script.onload = () => resolve((globalThis as unknown as Record<string, ComputeApi>)[COMPUTE_GLOBAL]);
    script.onerror = () => reject(new Error(l10n.t('could not load {0}', script.src)));
    document.head.append(script);
  });
  return compute;
}

/** The adapters are probed here (no tfjs needed); a run loads compute.js. */
function forwardToCompute(message: ToCompute): void {
  if (message.type === 'probe') {
    void probeAdapters().then((m) => vscode.postMessage(m));
    return;
  }
  loadCompute().then((api) => api.handle(message, (m) => vscode.postMessage(m)), (e: Error) => {
    if (message.type === 'compute') vscode.postMessage({ type: 'computeFailed', code: 'EINTERNAL', message: l10n.t('The GPU code did not load: {0}', e.message) });
  });
}

window.addEventListener('message', (event: MessageEvent) => {
  let message: ToWebview;
  try {
    message = parseToWebview(event.data);
  } catch (e) {
    console.warn(`neural-style webview: ${(e as Error).message}`);
    return;
  }
  if (isToCompute(message)) {
    forwardToCompute(message);
    return;
  }
  if (!state && message.type !== 'snapshot') return;
  if (message.type === 'progress' || message.type === 'estimate') reportedAt = Date.now();
  state = applyMessage(state!, message);
  if (message.type === 'styleChoices') refillSecondStyle(message.choices, message.selected);
  if (message.type === 'regions') regionsReply(message);
  saveState(message.type !== 'progress' && message.type !== 'batch'); // both come every iteration
  render(state, message.type === 'progress' || message.type === 'snapshot');
});

// setState serialises the whole state (losses, a preview data URL) to the workbench: at most once a
// second while progress streams in, at once for everything else (a finished job survives a reload).
let saveTimer: ReturnType<typeof setTimeout> | undefined;
function saveState(now: boolean): void {
  const save = () => { saveTimer = undefined; if (state) vscode.setState(state); };
  if (now) {
    clearTimeout(saveTimer);
    save();
  } else {
    saveTimer ??= setTimeout(save, 1000);
  }
}

const redrawChart = () => state && $('chart') && drawLossChart($<HTMLCanvasElement>('chart'), state.losses, totalStepsOf(state));
new ResizeObserver(redrawChart).observe(document.body);
// A theme change swaps the body's class and the --vscode-* variables: the canvas must be redrawn in the new colours.
new MutationObserver(redrawChart).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new MutationObserver(redrawChart).observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
// The clock between reports: elapsed and left move every second, not only when a step ends.
setInterval(() => {
  if (state?.job.status === 'running' && !state.done) $('progress-text').textContent = progressText(state);
}, 1000);
if (state) render(state);
vscode.postMessage({ type: 'ready', generation: Number(thisScript.dataset.generation) });
