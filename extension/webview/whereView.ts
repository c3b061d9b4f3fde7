/**
 * Where the job ran, beside its progress: why it did not run on the GPU, one
 * click away (the log's own words, and the log itself), and a button to run
 * again on a GPU the host found when this run was on the CPU.
 */
import * as l10n from '@vscode/l10n';
import type { PanelState } from '../shared/protocol';
import { isGpuBackend } from '../shared/where';
import { $, el } from './dom';

export function buildWhere(showLog: () => void): HTMLElement {
  const log = el('button', { id: 'why-log', class: 'link' }, l10n.t('Show the log'));
  log.addEventListener('click', showLog);
  return el('details', { id: 'where-details', class: 'where muted', hidden: '' },
    el('summary', {}, l10n.t('Why not on the GPU?')),
    el('p', { id: 'why-not-gpu' }), log);
}

/** The backend the job ran or runs on, as it reported it; undefined before its first progress. */
const backendOf = (s: PanelState) => s.done?.backend ?? s.progress?.backend;

export function renderWhere(s: PanelState): void {
  const backend = backendOf(s);
  const onCpu = backend !== undefined && !isGpuBackend(backend);
  const why = s.where?.whyNotGpu;
  $('where-details').hidden = !(onCpu && why);
  $('why-not-gpu').textContent = why ?? '';
  const choice = s.where?.gpuChoice;
  const ended = s.job.status !== 'running' && s.job.status !== 'queued';
  const offer = $('run-on-gpu');
  offer.hidden = !(ended && onCpu && choice);
  offer.textContent = choice ? l10n.t('Run again on your GPU ({0})', choice.name) : l10n.t('Run again on your GPU');
}
