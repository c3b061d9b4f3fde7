/**
 * Neural Style for VS Code: activation wires the commands, the job manager
 * and what shows its jobs, the log and the panel serializer. Compute runs in
 * engine processes, or in a job's panel on the GPU (webviewRunner.ts); never
 * on the extension host.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { checkpointProblem, checkpointsDir, removeStaleCheckpoints } from './checkpoints';
import { registerCommands } from './commands';
import { killAllEngines, liveEnginePids } from './engineProcess';
import { jobConfigOf } from './jobConfig';
import { JobManager } from './jobs';
import { type JobViews, watchJobs } from './jobViews';
import { showResumed } from './notifications';
import { registerQueueView } from './queueView';
import { orderOfSaved } from './resume';
import { windowRunContext } from './runJob';
import { SpeedStore } from './speedStore';
import { QueueStore, type SavedJob } from './savedQueue';
import { panelTraffic, VIEW_TYPE } from './panel';
import { findResources } from './resources';
import { watchResults } from './resultIndex';
import { offeredStyles, StyleMemory, WorkspaceStyles } from './stylePicker';
import { jobsTestApi, type JobsTestApi } from './testApi';

/** What activate returns: used by the integration tests. */
export interface NeuralStyleApi {
  /** The window's jobs (new ones after `reload`). */
  readonly jobs: JobsTestApi;
  panelTraffic: typeof panelTraffic.event;
  liveEnginePids: typeof liveEnginePids;
  /**
   * What a window reload does to the jobs, for the tests (the rig cannot reload its window and keep the test
   * running): the job manager goes as at deactivate, a new one reads the saved queue and resumes it. Its ids.
   */
  reload(): string[];
}

/** The window's jobs and what shows them; closing stops the views first, then the jobs. */
interface WindowJobs extends vscode.Disposable {
  jobs: JobManager;
  views: JobViews;
  test: JobsTestApi;
}

export function activate(context: vscode.ExtensionContext): NeuralStyleApi {
  // The modules without `vscode` (and shared/, which the webview shares) say their words through @vscode/l10n.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const log = vscode.window.createOutputChannel('Neural Style', { log: true });
  const fromRepository = context.extensionMode !== vscode.ExtensionMode.Production;
  const resources = findResources(context.extensionUri.fsPath, fromRepository);
  log.info(`Neural Style ${context.extension.packageJSON.version}: engine ${resources.workerPath} `
    + `(${resources.packaged ? 'bundled' : 'from the repository'}), Node ${process.version}`);
  const store = new QueueStore(context.workspaceState, (why) => log.warn(why));
  const memory = new StyleMemory(context.globalState);
  const workspaceStyles = new WorkspaceStyles(resources.presetsDir);
  workspaceStyles.current(); // the first panel finds them already
  const { jobLines, jobLog } = jobLogOf(log);
  // This machine's speed, kept from earlier runs: the next run's estimate.
  const speeds = new SpeedStore(context.globalState, (why) => log.warn(`${why}; estimating from a guess`));
  // The running job's image at its last finished scale, for a reload to go on from: this workspace's storage.
  const checkpoints = checkpointsDir(context.storageUri?.fsPath);
  const open = (): WindowJobs => {
    const warn = (line: string) => jobLog('warn', line);
    const jobs = new JobManager({ extensionUri: context.extensionUri, presetsDir: resources.presetsDir, log, warn },
      windowRunContext(resources, jobLog, jobConfigOf, speeds, checkpoints),
      () => offeredStyles(resources.presetsDir, memory, workspaceStyles.current()));
    const views = watchJobs(jobs, log, store, () => queueView.refresh());
    const dispose = () => {
      views.dispose();
      jobs.dispose();
    };
    return { jobs, views, test: jobsTestApi(jobs, views, jobLines.event), dispose };
  };
  const resume = () => resumeInterrupted(current.jobs, store, log, checkpoints);
  let current = open();
  const queueView = registerQueueView(context, () => current.jobs, () => current.views.batches.line);
  context.subscriptions.push(log, jobLines, { dispose: () => current.dispose() }, panelTraffic,
    { dispose: killAllEngines });
  registerCommands(context, () => current.jobs, resources, memory, log);
  context.subscriptions.push(watchResults(log));
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
      current.jobs.revivePanel(panel, saved);
    },
  }));
  resume();
  return {
    get jobs() { return current.test; },
    panelTraffic: panelTraffic.event,
    liveEnginePids,
    reload() {
      current.dispose();
      current = open();
      return resume();
    },
  };
}

/** The jobs' lines go to the log, and to the tests' onDidLog. */
function jobLogOf(log: vscode.LogOutputChannel) {
  const jobLines = new vscode.EventEmitter<string>();
  const jobLog = (level: 'info' | 'warn' | 'error', line: string) => {
    log[level](line);
    jobLines.fire(line);
  };
  return { jobLines, jobLog };
}

/**
 * Queues again the jobs a reload interrupted (the running one first, from its checkpoint), and says so; the
 * checkpoints no saved job names are removed.
 */
function resumeInterrupted(jobs: JobManager, store: QueueStore, log: vscode.LogOutputChannel,
  checkpoints: string | undefined): string[] {
  const saved = store.take().map((job) => withUsableCheckpoint(job, checkpoints, log));
  const kept = saved.flatMap((job) => job.checkpoint ? [job.checkpoint.file] : []);
  const stale = removeStaleCheckpoints(checkpoints, kept);
  if (stale.length) log.info(`removed ${stale.length} checkpoint(s) no job resumes from: ${stale.join(', ')}`);
  const ids = jobs.enqueueAll(saved.map(orderOfSaved));
  if (ids.length) {
    const count = `${ids.length} job${ids.length === 1 ? '' : 's'}`;
    log.info(`resumed ${count} that the reload interrupted: ${ids.join(', ')}`);
    showResumed(ids.length);
  }
  return ids;
}

/** The saved job, without its checkpoint when that cannot be resumed from (it then starts over, as the log says). */
function withUsableCheckpoint(job: SavedJob, dir: string | undefined, log: vscode.LogOutputChannel): SavedJob {
  if (!job.checkpoint) return job;
  const problem = checkpointProblem(job.checkpoint, job.id, dir);
  if (problem === null) return job;
  log.warn(`saved job ${job.id} starts over: ${problem}`);
  const { checkpoint: _dropped, ...rest } = job;
  return rest;
}

export function deactivate(): void {
  // Closing the window must leave no engine process behind.
  killAllEngines();
}
