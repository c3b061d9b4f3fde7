/**
 * Runs one job: reads its settings (once, when it starts), settles a free
 * output path, runs it on the window's warm engine and cleans up after a
 * stopped one. It reports through callbacks; the job manager passes that on
 * to the panel.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { pathKey } from '@neural-style/engine/file-names';
import type { StylizeOptions } from '@neural-style/engine/options';
import { removeTempsOf } from '@neural-style/engine/atomic';
import { EngineConfig, EngineEvents, EngineGpu, EngineOutcome, WarmEngine } from './warmEngine';
import { freeOutputPath, stylesId, workspaceOutputFolderProblem } from './outputPath';
import { Resources } from './resources';
import { JobSettings, readSettings, SettingsError, withJobOptions } from './settings';
import { SECTION } from './settingsSchema';
import { StyleChoice } from './stylePicker';
import { stylesLabel } from '../shared/secondStyle';

/** What the user asked for: one content image in one style, or a blend of two. */
export interface JobRequest {
  content: string;
  style: StyleChoice;
  /** A second style, blended by options.styleBlendWeights (equal when not given). */
  secondStyle?: StyleChoice;
  /** Options that override the settings for this job (a result's own, when made again). */
  options?: Partial<StylizeOptions>;
}

/** The request's styles, the first first: what the engine blends. */
export function stylesOf(request: JobRequest): StyleChoice[] {
  return request.secondStyle ? [request.style, request.secondStyle] : [request.style];
}

/** The style images' paths, as the engine and the webview run take them. */
export const stylePaths = (request: JobRequest): string[] => stylesOf(request).map((s) => s.path);

/** "The Starry Night + wave.jpg", for titles and messages. */
export const stylesLabelOf = (request: JobRequest): string => stylesLabel(request.style.label, request.secondStyle && { name: request.secondStyle.label });

/** A job whose settings are read and whose output path is settled. */
export interface PreparedJob {
  id: string;
  request: JobRequest;
  settings: JobSettings;
  output: string;
}

export class JobRunner {
  /** Outputs of running jobs, by pathKey (`A.png` is `a.png` on Windows and macOS): taken, though not on disk yet. */
  private readonly reserved = new Set<string>();
  private idleMinutes = 10;
  /** One engine process for the window, kept warm between jobs. */
  readonly engine: WarmEngine;

  constructor(private readonly resources: Resources, private readonly log: vscode.LogOutputChannel) {
    this.engine = new WarmEngine(() => this.idleMinutes * 60_000, (level, message) => log[level](`engine: ${message}`));
  }

  dispose(): Promise<void> {
    return this.engine.stop();
  }

  /** Reads the settings and picks the output; throws (a SettingsError names the setting) what the user must fix. */
  prepare(id: string, request: JobRequest): PreparedJob {
    const config = vscode.workspace.getConfiguration(SECTION, vscode.Uri.file(request.content));
    const settings = withJobOptions(readSettings((name) => config.get(name)), request.options);
    const { outputFolder: folder, fileNamePattern: pattern, outputFormat: format } = settings;
    const workspaceFolder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(request.content))?.uri.fsPath;
    const inspected = config.inspect<string>('outputFolder');
    if ((inspected?.workspaceFolderValue ?? inspected?.workspaceValue) !== undefined) {
      const problem = workspaceOutputFolderProblem({ content: request.content, folder, workspaceFolder });
      if (problem) throw new SettingsError(`${SECTION}.outputFolder`, problem);
    }
    const style = stylesId(stylesOf(request).map((s) => s.id));
    const output = freeOutputPath({ content: request.content, style, folder, pattern, format, workspaceFolder },
      (f) => this.reserved.has(pathKey(f)) || fs.existsSync(f));
    fs.mkdirSync(path.dirname(output), { recursive: true });
    return { id, request, settings, output };
  }

  /** The engine process a job's settings ask for. */
  private engineConfig({ settings }: PreparedJob): EngineConfig {
    return { workerPath: settings.enginePath || this.resources.workerPath, backend: settings.run.backend, weights: settings.weightsPath || this.resources.weightsDir || undefined };
  }

  /** Which GPU the engine process the job would run on has for WebGPU (it starts, or stays warm, for the job). */
  engineGpu(job: PreparedJob): Promise<EngineGpu> {
    return this.engine.probeGpu(this.engineConfig(job));
  }

  /** Runs the engine until the job ends, however it ends; a stopped engine's temp files are removed. */
  async execute(job: PreparedJob, signal: AbortSignal, events: Pick<EngineEvents, 'progress' | 'preview' | 'backend'>): Promise<EngineOutcome> {
    const { id, request, settings, output } = job;
    const { options, run } = settings;
    const config = this.engineConfig(job);
    const { workerPath } = config;
    this.log.info(`${id}: ${request.content} + ${stylePaths(request).join(' + ')} → ${output} (size ${options.size}, ${options.iterations} iterations, ${options.optimizer}, backend ${run.backend})`);
    this.reserved.add(pathKey(output));
    this.idleMinutes = settings.engineIdleMinutes;
    let enginePid = 0;
    let outcome: EngineOutcome;
    try {
      outcome = await this.engine.run(config, {
        id,
        // The name is free now; should another program take it before the engine's last step, the engine takes the next free one.
        job: { content: request.content, styles: stylePaths(request), output, options, maxInputPixels: run.maxInputPixels, gpuMemory: run.gpuMemory, ifExists: 'number' },
        signal,
        events: {
          ...events,
          started: (pid, warm) => {
            enginePid = pid;
            this.log.info(`${id}: ${warm ? 'warm' : 'new'} engine process ${pid} (${workerPath})`);
          },
          log: (level, message) => this.log[level](`${id}: ${message}`),
        },
      });
    } finally {
      this.reserved.delete(pathKey(output));
    }
    if (outcome.kind !== 'done' && enginePid) {
      for (const f of removeTempsOf(output, enginePid)) this.log.info(`${id}: removed ${f}, left by the stopped engine`);
    }
    return outcome;
  }
}
