/**
 * A job's first step: its settings, read once when it starts (with the job's
 * own options over them), and a free output path. Pure: no `vscode`; the
 * settings come through a JobConfig (jobConfig.ts reads VS Code's).
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathKey } from '@neural-style/engine/file-names';
import type { BackendChoice } from '@neural-style/engine/options';
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
  const output = freeOutputPath({ content, style, folder, pattern, format, workspaceFolder },
    (f) => reserved.has(pathKey(f)) || fs.existsSync(f));
  fs.mkdirSync(path.dirname(output), { recursive: true });
  return { id, request, settings, output };
}
