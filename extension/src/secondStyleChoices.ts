/**
 * A panel's second style, on the host: the list it offers (the job's own
 * second style first, never the panel's first style), the webview's pick
 * mapped back to a file of that list (the host's own copy) and checked, and
 * what the job's view says of it. Pure: no vscode.
 */
import * as l10n from '@vscode/l10n';
import * as fs from 'fs';
import { blendOf, resolvePick, SecondStylePick } from '../shared/secondStyle';
import type { JobView, PanelState } from '../shared/protocol';
import type { JobRequest } from './jobRequest';
import { isImagePath } from './resources';
import type { StyleChoice } from './stylePicker';

/** What the panel of `job` offers as a second style: its current one, then `offered`, each once, not the first. */
export function styleChoicesFor(job: Pick<JobView, 'stylePath' | 'secondStyle'>,
  offered: readonly StyleChoice[]): StyleChoice[] {
  const second = job.secondStyle;
  const own = second ? [{ path: second.path, id: second.id, label: second.name }] : [];
  const seen = new Set([job.stylePath]);
  const choices: StyleChoice[] = [];
  for (const choice of [...own, ...offered]) {
    if (seen.has(choice.path)) continue;
    seen.add(choice.path);
    choices.push(choice);
  }
  return choices;
}

/** The style `pick` names among the state's choices, with its blend weights; throws a message saying what is wrong. */
export function pickedSecondStyle(state: Pick<PanelState, 'styleChoices'>,
  pick: SecondStylePick): { style: StyleChoice; weights: number[] } {
  const picked = resolvePick(state.styleChoices ?? [], pick);
  // A restored panel's list starts with its saved second style: the file must still be there.
  const file = picked.style.path;
  if (!isImagePath(file) || !fs.existsSync(file)) throw new Error(l10n.t('Second style: {0} no longer exists.', file));
  return picked;
}

/** The job view's second style for `request`; the panel fills in its src. */
export function secondStyleView(request: JobRequest): JobView['secondStyle'] {
  const second = request.secondStyle;
  if (!second) return undefined;
  const blend = blendOf(request.options?.styleBlendWeights ?? []);
  return { path: second.path, name: second.label, id: second.id, src: '', blend };
}

/** The pick that runs the job's second style again (Run on CPU instead): it leads the job's choices. */
export function samePick(state: Pick<PanelState, 'job' | 'styleChoices'>): SecondStylePick | undefined {
  const second = state.job.secondStyle;
  if (!second) return undefined;
  const choice = (state.styleChoices ?? []).findIndex((c) => c.path === second.path);
  return choice < 0 ? undefined : { choice, blend: second.blend };
}
