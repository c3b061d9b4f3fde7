/**
 * The job panel in the webview: renders the state the host sends, keeps it
 * with setState so a reload shows it again, and sends only the messages of
 * shared/protocol.ts back. Never imports vscode or Node.
 */
import { formatDuration } from '@neural-style/engine/options';
import { progressFraction } from '@neural-style/engine/protocol';
import { FromWebview, isToCompute, JobStatus, PanelState, parsePanelState, parseToWebview, ToCompute, ToWebview } from '../shared/protocol';
import { applyMessage } from '../shared/state';
import { drawLossChart, SERIES } from './chart';
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

const STATUS_TEXT: Record<JobStatus, string> = {
  queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled', interrupted: 'Interrupted by a reload',
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function button(id: string, label: string, message: FromWebview, secondary = false): HTMLButtonElement {
  const b = el('button', { id, class: secondary ? 'secondary' : '' }, label);
  b.addEventListener('click', () => vscode.postMessage(message));
  return b;
}

function build(app: HTMLElement): void {
  const figure = (id: string, caption: string) => el('figure', { id: `${id}-figure` }, el('img', { id, alt: caption }), el('figcaption', { id: `${id}-caption` }, caption));
  const slider = el('input', { id: 'compare-slider', type: 'range', min: '0', max: '100', value: '50', 'aria-label': 'Before/after position' });
  slider.addEventListener('input', () => updateCompare());
  const legend = el('div', { class: 'legend' }, ...SERIES.map((s) => el('span', { class: `key key-${s.name.toLowerCase()}` }, s.name)));
  app.replaceChildren(
    el('header', {}, el('h1', { id: 'title' }), el('span', { id: 'status', class: 'badge' })),
    el('section', { class: 'inputs' }, figure('content', 'Content'), el('span', { class: 'times' }, '×'), figure('style', 'Style')),
    el('section', { class: 'progress', id: 'progress-section' },
      el('div', { class: 'bar', role: 'progressbar', id: 'bar', 'aria-valuemin': '0', 'aria-valuemax': '100' }, el('div', { id: 'bar-fill' })),
      el('div', { id: 'progress-text', class: 'muted' })),
    el('div', { id: 'error', class: 'error', hidden: '' }),
    el('section', { class: 'result' },
      el('div', { id: 'preview-box', class: 'frame' }, el('img', { id: 'preview', alt: 'Live preview' }), el('div', { id: 'preview-empty', class: 'muted' }, 'The preview appears after the first iterations.')),
      el('div', { id: 'compare', class: 'frame compare', hidden: '' },
        el('img', { id: 'after', alt: 'Result' }), el('img', { id: 'before', alt: 'Content' }), el('div', { id: 'divider' })),
      el('div', { id: 'compare-controls', hidden: '' }, el('span', { class: 'muted' }, 'Before'), slider, el('span', { class: 'muted' }, 'After'))),
    el('section', { class: 'chart' }, el('h2', {}, 'Loss (log scale)'), el('canvas', { id: 'chart', 'aria-label': 'Loss per term over the steps' }), legend),
    el('footer', {},
      button('cancel', 'Cancel', { type: 'cancel' }, true),
      button('open', 'Open', { type: 'open' }),
      button('reveal', 'Reveal in Explorer', { type: 'reveal' }, true),
      button('log', 'Show Log', { type: 'showLog' }, true)),
  );
}

function updateCompare(): void {
  const value = Number($<HTMLInputElement>('compare-slider').value);
  // Content on the left of the divider, the result on the right.
  $('before').style.clipPath = `inset(0 ${100 - value}% 0 0)`;
  $('divider').style.left = `${value}%`;
}

function setSrc(id: string, src: string | undefined): void {
  const img = $<HTMLImageElement>(id);
  if (src && img.getAttribute('src') !== src) img.src = src;
}

/** Shows `s`; the loss chart only when the losses may have changed (drawing it is the costly part). */
function render(s: PanelState, drawChart = true): void {
  const app = $('app');
  if (!$('title')) build(app);
  const { job, progress, done } = s;
  document.body.dataset.status = job.status;
  $('title').textContent = `${job.contentName} in the style of ${job.styleName}`;
  $('status').textContent = job.status === 'queued' && job.position ? `Queued (#${job.position})` : STATUS_TEXT[job.status];
  $('status').className = `badge badge-${job.status}`;
  setSrc('content', job.contentSrc);
  setSrc('style', job.styleSrc);
  $('content-caption').textContent = job.contentName;
  $('style-caption').textContent = job.styleName;

  const fraction = done ? 1 : progress ? progressFraction(progress) : 0;
  $('bar-fill').style.width = `${(fraction * 100).toFixed(1)}%`;
  $('bar').setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
  $('progress-text').textContent = progressText(s);

  $('error').hidden = !s.error;
  $('error').textContent = s.error ?? '';

  const finished = job.status === 'done' && !!done;
  $('preview-box').hidden = finished;
  setSrc('preview', s.preview);
  $('preview').hidden = !s.preview;
  $('preview-empty').hidden = !!s.preview;
  $('compare').hidden = !finished;
  $('compare-controls').hidden = !finished;
  if (finished) {
    setSrc('after', done.outputSrc);
    setSrc('before', job.contentSrc);
    updateCompare();
  }
  const active = job.status === 'running' || job.status === 'queued';
  $('cancel').hidden = !active;
  $('open').hidden = !finished;
  $('reveal').hidden = !finished;
  $('log').hidden = !(job.status === 'failed' || finished);
  if (drawChart) drawLossChart($<HTMLCanvasElement>('chart'), s.losses, progress?.totalSteps ?? 0);
}

function startingText({ job }: PanelState): string {
  return job.size === undefined ? 'Starting the engine…' : `Starting the engine (${job.size} px, ${job.iterations} iterations)…`;
}

function progressText(s: PanelState): string {
  const { job, progress: p, done } = s;
  if (done) return `${done.steps} steps in ${formatDuration(done.elapsedMs)} on ${done.backend} · ${done.outputName}`;
  if (!p) return job.status === 'queued' ? 'Waiting for the jobs before it.' : job.status === 'running' ? startingText(s) : '';
  const tile = p.tiles ? ` · tile ${p.tile}/${p.tiles}` : '';
  return `Step ${p.step} / ${p.totalSteps} · scale ${p.scale}/${p.scales} (${p.width}×${p.height}) · iteration ${p.iteration}/${p.iterations}${tile} · ${formatDuration(p.elapsedMs)} elapsed · ${formatDuration(p.etaMs)} left · ${p.backend}`;
}

function loadCompute(): Promise<ComputeApi> {
  compute ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.nonce = thisScript.nonce;
    script.src = thisScript.dataset.compute ?? '';
    script.onload = () => resolve((globalThis as unknown as Record<string, ComputeApi>)[COMPUTE_GLOBAL]);
    script.onerror = () => reject(new Error(`could not load ${script.src}`));
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
    if (message.type === 'compute') vscode.postMessage({ type: 'computeFailed', code: 'EINTERNAL', message: `The GPU code did not load: ${e.message}` });
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
  state = applyMessage(state!, message);
  saveState(message.type !== 'progress');
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

const redrawChart = () => state && $('chart') && drawLossChart($<HTMLCanvasElement>('chart'), state.losses, state.progress?.totalSteps ?? 0);
new ResizeObserver(redrawChart).observe(document.body);
// A theme change swaps the body's class and the --vscode-* variables: the canvas must be redrawn in the new colours.
new MutationObserver(redrawChart).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new MutationObserver(redrawChart).observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
if (state) render(state);
vscode.postMessage({ type: 'ready', generation: Number(thisScript.dataset.generation) });
