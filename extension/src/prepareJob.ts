/**
 * A job's first step: its settings, read once when it starts (with the job's
 * own options over them), and a free output path. Pure: no `vscode`; the
 * settings come through a JobConfig (jobConfig.ts reads VS Code's).
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathKey } from '@neural-style/engine/file-names';
import type { BackendChoice } from '@neural-style/engine/options';
import { clipStart, freeClipOutput } from './clipOutput';
import { type JobRequest, stylesOf } from './jobRequest';
import { freeOutputPath, stylesId, workspaceOutputFolderProblem } from './outputPath';
import { type JobSettings, readSettings, type SettingGetter, SettingsError, withJobOptions } from './settings';
import { SECTION } from './settingsSchema';

/** The settings as a job of one photo reads them. */
export interface JobConfig {
  get: SettingGetter;
  /** The output folder comes from a workspace's settings: it must then stay inside the workspace folder. */
  outputFolderFromWorkspace: boolean;
  /** The photo's workspace folder, if it is in one. */
  workspaceFolder?: string;
}

/** A job whose settings are read and whose output path is settled. */
export interface PreparedJob {
  id: string;
  request: JobRequest;
  settings: JobSettings;
  output: string;
  /** A clip's run: its temporal weight (the setting), and whether it goes on from the frames at `output`. */
  clip?: { temporalWeight: number; resume: boolean };
}

/**
 * Reads the settings and picks the output; throws what the user must fix (a
 * SettingsError names the setting). `backend` overrides the setting for this
 * job ("Run on CPU instead"); `reserved`: the outputs of running jobs, by
 * pathKey, which are taken though not on disk yet.
 */
export function prepareJob(id: string, request: JobRequest, config: JobConfig, backend: BackendChoice | undefined,
  reserved: ReadonlySet<string>): PreparedJob {
  const read = withJobOptions(readSettings(config.get), request.options);
  const settings = backend ? { ...read, run: { ...read.run, backend } } : read;
  const { content } = request;
  const { outputFolder: folder, fileNamePattern: pattern, outputFormat: format } = settings;
  const { workspaceFolder } = config;
  if (config.outputFolderFromWorkspace) {
    const problem = workspaceOutputFolderProblem({ content, folder, workspaceFolder });
    if (problem) throw new SettingsError(`${SECTION}.outputFolder`, problem);
  }
  const style = stylesId(stylesOf(request).map((s) => s.id));
  const taken = (f: string) => reserved.has(pathKey(f)) || fs.existsSync(f);
  const named = { content, style, folder, pattern, workspaceFolder };
  if (request.clip) {
    const start = clipStart(request.clip.output, () => freeClipOutput(named, taken), fs.existsSync);
    fs.mkdirSync(path.dirname(start.output), { recursive: true });
    return { id, request, settings, output: start.output,
      clip: { temporalWeight: settings.temporalWeight, resume: start.resume } };
  }
  const output = freeOutputPath({ ...named, format }, taken);
  fs.mkdirSync(path.dirname(output), { recursive: true });
  return { id, request, settings, output };
}
