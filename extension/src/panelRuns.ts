/**
 * What a panel's runs need from the settings and the disk: the controls a new
 * panel starts with, the request of its Run again, and which saved runs a
 * restored panel may keep.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DEFAULTS, formatOfExtension, type ResultParameters, validateOptions } from '@neural-style/engine/options';
import { checkControls, Controls, controlsOf } from '../shared/controls';
import { JobView, PanelState } from '../shared/protocol';
import { JobRequest } from './jobRunner';
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

/** The photo and style of `job` again, with `controls` checked; throws the message to show when it cannot run. */
export function runAgainRequest(job: JobView, controls: Controls): JobRequest {
  // The webview checks the controls too: only a message outside its form fails here.
  const options = checkControls(controls);
  // A restored panel's paths come from its saved state: the files must still be there.
  const missing = [job.contentPath, job.stylePath].find((f) => !fs.existsSync(f));
  if (missing) throw new Error(`cannot run again: ${missing} no longer exists.`);
  const id = job.styleId ?? path.basename(job.stylePath, path.extname(job.stylePath));
  return { content: job.contentPath, style: { path: job.stylePath, label: job.styleName, id }, options };
}

/** A panel for a result opened from its file: done, its parameters as the controls, itself the only run. */
export function resultPanelState(id: string, result: string, request: JobRequest, parameters: ResultParameters): PanelState {
  const options = validateOptions(parameters.options);
  const controls = controlsOf(options);
  const done = { outputSrc: '', outputName: path.basename(result), steps: parameters.steps, backend: parameters.backend, finishedAt: fs.statSync(result).mtimeMs };
  return {
    job: { id, contentName: path.basename(request.content), styleName: request.style.label, styleId: request.style.id, contentSrc: '', styleSrc: '',
      contentPath: request.content, stylePath: request.style.path, outputPath: result, status: 'done', size: options.size, iterations: options.iterations },
    losses: [], done, controls, history: [{ ...done, outputPath: result, controls }],
  };
}

/**
 * A saved run's output names a folder the restored panel may read from: only
 * an existing result file (absolute, an output format's extension) qualifies.
 */
export function isResult(file: string): boolean {
  return path.isAbsolute(file) && formatOfExtension(path.extname(file)) !== undefined && fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true;
}
