/**
 * What a panel's runs need from the settings and the disk: the state a new
 * panel starts with, the request and state of its Run again, and which saved
 * runs a restored panel may keep.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DEFAULTS, formatOfExtension, type ResultParameters, validateOptions } from '@neural-style/engine/options';
import { checkControls, Controls, controlsOf } from '../shared/controls';
import { JobView, PanelState } from '../shared/protocol';
import { SecondStylePick } from '../shared/secondStyle';
import { applyMessage, nextRunState, restoredState } from '../shared/state';
import type { JobRequest } from './jobRequest';
import { masksForRun } from './regionMasks';
import { pickedSecondStyle, secondStyleView, styleChoicesFor } from './secondStyleChoices';
import { StyleChoice } from './stylePicker';
import { readSettings } from './settings';
import { SECTION } from './settingsSchema';

/** The settings' values for `content` (the defaults where a setting is invalid: the run will say which). */
export function settingsControls(content: string): Controls {
  const config = vscode.workspace.getConfiguration(SECTION, vscode.Uri.file(content));
  try {
    return controlsOf(readSettings((name) => config.get(name)).options);
  } catch {
    return controlsOf(DEFAULTS);
  }
}

/** A new panel's state for `request`: its photo and styles, the settings' controls, the second styles it offers. */
export function newPanelState(request: JobRequest, offered: readonly StyleChoice[]): PanelState {
  const secondStyle = secondStyleView(request);
  const job: JobView = {
    id: '', contentName: path.basename(request.content), styleName: request.style.label, styleId: request.style.id,
    contentSrc: '', styleSrc: '', contentPath: request.content, stylePath: request.style.path, outputPath: '',
    status: 'queued', ...(secondStyle ? { secondStyle } : {}), ...(request.masks ? { regions: true } : {}),
    ...(request.clip ? { clip: true } : {}),
  };
  const regions = request.masks?.map((mask) => ({ path: mask, src: '' }));
  return { job, losses: [], controls: settingsControls(request.content), styleChoices: styleChoicesFor(job, offered),
    ...(regions ? { regions } : {}) };
}

/**
 * The photo and style of the panel again, with `controls` checked and the
 * second style `pick` names (the host's own list maps the index back to a
 * file); throws the message to show when it cannot run.
 */
export function runAgainRequest(state: PanelState, controls: Controls, pick?: SecondStylePick): JobRequest {
  const { job } = state;
  // The webview checks the controls too: only a message outside its form fails here.
  const options = checkControls(controls);
  const second = pick && pickedSecondStyle(state, pick);
  // A restored panel's paths come from its saved state: the files must still be there.
  const missing = [job.contentPath, job.stylePath].find((f) => !fs.existsSync(f));
  if (missing) throw new Error(vscode.l10n.t('cannot run again: {0} no longer exists.', missing));
  const id = job.styleId ?? path.basename(job.stylePath, path.extname(job.stylePath));
  const style = { path: job.stylePath, label: job.styleName, id };
  const masks = regionsOf(state, second ? 2 : 1);
  // A clip is painted again from its first frame, at a new output.
  const content = job.contentPath, clip = job.clip ? { clip: {} } : {};
  // With regions each style paints its own: the blend does not apply (the engine refuses both).
  if (masks) return { content, style, ...(second ? { secondStyle: second.style } : {}), masks, options, ...clip };
  if (!second) return { content, style, options, ...clip };
  const blended = { ...options, styleBlendWeights: second.weights };
  return { content, style, secondStyle: second.style, options: blended, ...clip };
}

/** The panel's regions for a run of `styles` styles, checked (a restored panel's come from its saved state). */
const regionsOf = ({ job, regions }: PanelState, styles: number): string[] | undefined =>
  regions && masksForRun(regions.map((r) => r.path), job.contentPath, styles, fs.existsSync);

/**
 * The panel's state for the run of `request` (Run again): the history stays,
 * the second style and its choices are the new run's.
 */
export function runAgainState(state: PanelState, request: JobRequest, controls: Controls,
  offered: readonly StyleChoice[]): PanelState {
  const next = nextRunState(state, '', controls, secondStyleView(request));
  const job = request.masks ? { ...next.job, regions: true } : next.job;
  return { ...next, job, styleChoices: styleChoicesFor(job, offered) };
}

/**
 * A panel for a result opened from its file: done, its parameters as the
 * controls, its loss trace as the chart (pictures made before it was kept
 * have none), itself the first run (the photo's other results join later:
 * panelHistory.ts).
 */
export function resultPanelState(id: string, result: string, request: JobRequest, parameters: ResultParameters,
  offered: readonly StyleChoice[]): PanelState {
  const options = validateOptions(parameters.options);
  const base = newPanelState(request, offered);
  const job = { ...base.job, id, outputPath: result, size: options.size, iterations: options.iterations };
  const ran: PanelState = { ...base, job, controls: controlsOf(options), losses: parameters.losses ?? [] };
  // As if its run had just ended here: the same history entry a run in the panel gets.
  const { steps, backend } = parameters;
  const finishedAt = fs.statSync(result).mtimeMs;
  const done = { outputSrc: '', outputName: path.basename(result), steps, backend, finishedAt };
  return applyMessage(ran, { type: 'done', done });
}

/** A restored panel's state: the saved runs whose results are there; controls and second styles as a new panel's. */
export function restoredPanelState(saved: PanelState, offered: readonly StyleChoice[]): PanelState {
  return restoredState({
    ...saved, history: saved.history?.filter((run) => isResult(run.outputPath)),
    // A state saved before the panel had controls: the settings' values, as a new panel gets.
    controls: saved.controls ?? settingsControls(saved.job.contentPath),
    styleChoices: styleChoicesFor(saved.job, offered),
  });
}

/**
 * A saved run's output names a folder the restored panel may read from: only
 * an existing result file (absolute, an output format's extension) qualifies.
 */
export function isResult(file: string): boolean {
  return path.isAbsolute(file) && formatOfExtension(path.extname(file)) !== undefined
    && fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true;
}
