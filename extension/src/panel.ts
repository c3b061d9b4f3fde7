/**
 * One webview panel per job: thumbnails, live preview, progress, loss chart,
 * Cancel, and when done Open / Reveal / before-after. The panel keeps no state
 * of its own: it shows its model's (kept by the job manager), sends it whole
 * whenever the webview (re)loads, and fills in the webview URIs of the images.
 */
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { panelColumn, type TabPlace } from './panelPlacement';
import { encodeBundle, escapeAttribute } from '../shared/l10nBundle';
import { FromWebview, PanelState, parseFromWebview, ToCompute, ToWebview } from '../shared/protocol';
import { jobName } from '../shared/state';
import { Disposable } from './dispose';
import type { TabLabel } from './resume';

export const VIEW_TYPE = 'neuralStyle.job';

/** Messages in and out of every panel, for the log and the integration tests. */
export const panelTraffic = new vscode.EventEmitter<{ jobId: string; direction: 'toWebview' | 'fromWebview'; message: ToWebview | FromWebview }>();

/** Where a panel's state lives: it is kept once, by the job manager. */
export interface PanelModel {
  readonly state: PanelState;
}

/** The editor's tabs as panelPlacement.ts reads them. */
export function editorTabs(): TabPlace[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => ({
    viewType: tab.input instanceof vscode.TabInputWebview ? tab.input.viewType : undefined,
    column: group.viewColumn,
  })));
}

/** The editor's tabs with their titles, for a resumed job to find the tab VS Code restored (resume.ts). */
export function tabLabels(): TabLabel[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => ({
    viewType: tab.input instanceof vscode.TabInputWebview ? tab.input.viewType : undefined, label: tab.label,
  })));
}

export interface PanelContext {
  extensionUri: vscode.Uri;
  presetsDir: string;
  /** Where a panel reports a message that broke the protocol. */
  log: vscode.LogOutputChannel;
}

export type PanelHandler = (message: FromWebview) => void;

/**
 * A page that has not said ready this long after it was set, while its panel
 * is visible, is set again, up to PAGE_RELOADS times: a webview's service
 * worker can leave a page blank (seen in code-server after a reload), and a
 * blank panel would wait for ever.
 */
const PAGE_READY_MS = 10_000;
const PAGE_RELOADS = 3;

function resourceFolders(presetsDir: string, state: PanelState): string[] {
  const { contentPath, stylePath, secondStyle, outputPath } = state.job;
  // The output path is empty until the job starts; the earlier runs' folders keep the roots unchanged meanwhile.
  const outputs = [outputPath, ...(state.history ?? []).map((run) => run.outputPath)];
  const inputs = [contentPath, stylePath, secondStyle?.path ?? ''];
  return [...new Set([...inputs, ...outputs].filter(Boolean).map((f) => path.dirname(f)).concat(presetsDir))];
}

/**
 * One place for the options, so a restored panel gets the current roots too.
 * retainContextWhenHidden: a job may run in its panel on the GPU, and a hidden
 * panel without it loses its page (the run with it). The panel is the job:
 * closing it cancels, and its memory is freed with it.
 */
export function webviewOptions(context: PanelContext, state: PanelState,
  extraRoots: readonly string[] = []): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), ...[...resourceFolders(context.presetsDir, state), ...extraRoots].map((f) => vscode.Uri.file(f))],
  };
}

export class JobPanel extends Disposable {
  private readonly onDidDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDidDisposeEmitter.event;
  /** The folders the webview may load from, as last set. */
  private roots: string;
  /** Folders a run in this panel reads (its weights). */
  private readonly extraRoots = new Set<string>();
  /**
   * Which page the webview shows: changing the roots reloads it (VS Code sets
   * the content anew), so each change loads a page of a new generation, and a
   * `ready` of an older one is stale.
   */
  private generation = 0;
  private loaded = false;
  private pageTimer?: ReturnType<typeof setTimeout>;
  private reloads = 0;
  private readonly loadWaiters: Array<() => void> = [];

  static create(context: PanelContext, model: PanelModel, handler: PanelHandler): JobPanel {
    // Photo and style(s): two jobs of one photo are two tabs that must not read alike.
    // Beside the user's files once; the next panels join that group instead of opening a group each.
    const viewColumn = panelColumn(editorTabs(), VIEW_TYPE) ?? vscode.ViewColumn.Beside;
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, jobName(model.state),
      { viewColumn, preserveFocus: true }, webviewOptions(context, model.state));
    return new JobPanel(panel, context, model, handler);
  }

  /** A panel VS Code restored after a reload (WebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, context: PanelContext, model: PanelModel, handler: PanelHandler): JobPanel {
    // Reset the options so the restored panel uses the current roots.
    panel.webview.options = webviewOptions(context, model.state);
    return new JobPanel(panel, context, model, handler);
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly context: PanelContext,
    private readonly model: PanelModel, private readonly handler: PanelHandler) {
    super();
    this.register(panel);
    this.roots = resourceFolders(context.presetsDir, model.state).join('\n');
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'icon.svg');
    this.setPage();
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register({ dispose: () => this.pageLoaded() });
    this.register(panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
  }

  get jobId(): string {
    return this.model.state.job.id;
  }

  /** Sends `message`, which the model has already applied. */
  post(message: ToWebview): void {
    if (this.isDisposed) return;
    this.updateRoots();
    // Run again may change the second style.
    if (message.type === 'snapshot' && this.panel.title !== jobName(message.state)) this.panel.title = jobName(message.state);
    const withUris = this.withImageUris(message);
    panelTraffic.fire({ jobId: this.jobId, direction: 'toWebview', message: withUris });
    void this.panel.webview.postMessage(withUris);
  }

  /** Sends a message to the compute running in this panel (it changes nothing the panel shows). */
  postCompute(message: ToCompute): void {
    if (this.isDisposed) return;
    panelTraffic.fire({ jobId: this.jobId, direction: 'toWebview', message });
    void this.panel.webview.postMessage(message);
  }

  /** Lets the webview load files from `dir` (a run's weights); resolves once a page that may has loaded. */
  allowFolder(dir: string): Promise<void> {
    this.extraRoots.add(dir);
    this.updateRoots();
    return this.whenLoaded();
  }

  /** Resolves when the page of the current generation said ready (at once if it has, or the panel is gone). */
  whenLoaded(): Promise<void> {
    if (this.loaded || this.isDisposed) return Promise.resolve();
    return new Promise((resolve) => this.loadWaiters.push(resolve));
  }

  /** Whether the webview may load `file` now: its folder is a root already (a new root reloads the page). */
  mayShow(file: string): boolean {
    return this.roots.split('\n').includes(path.dirname(file));
  }

  webviewUri(file: string): string {
    return this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString();
  }

  // The output folder is settled when the job starts (settings may have changed since it was queued): let the panel
  // show it.
  private updateRoots(): void {
    const roots = [...resourceFolders(this.context.presetsDir, this.model.state), ...this.extraRoots].join('\n');
    if (roots !== this.roots) {
      this.roots = roots;
      this.panel.webview.options = webviewOptions(this.context, this.model.state, [...this.extraRoots]);
      this.load();
    }
  }

  /** Loads a page of a new generation (the options change has reloaded the webview anyway). */
  private load(): void {
    this.generation += 1;
    this.loaded = false;
    this.setPage();
  }

  private setPage(): void {
    this.panel.webview.html = this.html();
    this.watchPage();
  }

  /** Sets the page again when it stays blank (PAGE_READY_MS); a hidden panel's page loads when it is shown. */
  private watchPage(): void {
    clearTimeout(this.pageTimer);
    this.pageTimer = setTimeout(() => {
      if (this.loaded || this.isDisposed || this.reloads >= PAGE_RELOADS) return;
      if (!this.panel.visible) return this.watchPage();
      this.reloads += 1;
      this.context.log.warn(`panel ${this.jobId}: its page did not say ready within ${PAGE_READY_MS / 1000} s; setting it again (${this.reloads} of ${PAGE_RELOADS})`);
      this.load();
    }, PAGE_READY_MS);
  }

  private pageLoaded(): void {
    this.loaded = true;
    clearTimeout(this.pageTimer);
    this.loadWaiters.splice(0).forEach((resolve) => resolve());
  }

  // Webview URIs of the images: computed here, where the webview is, from the paths in the state.
  private withImageUris(message: ToWebview): ToWebview {
    const uri = (file: string) => this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString();
    if (message.type === 'snapshot') {
      const s = message.state;
      const secondStyle = s.job.secondStyle && { ...s.job.secondStyle, src: uri(s.job.secondStyle.path) };
      return { ...message, state: { ...s,
        job: { ...s.job, contentSrc: uri(s.job.contentPath), styleSrc: uri(s.job.stylePath),
          ...(secondStyle ? { secondStyle } : {}) },
        done: s.done && { ...s.done, outputSrc: uri(s.job.outputPath) },
        history: s.history?.map((run) => ({ ...run, outputSrc: uri(run.outputPath) })) } };
    }
    if (message.type === 'done') return { ...message, done: { ...message.done, outputSrc: uri(this.model.state.job.outputPath) } };
    return message;
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  /** A message from the webview (or a test, as the webview would send it): validated, then handled. */
  receive(raw: unknown): void {
    let message: FromWebview;
    try {
      message = parseFromWebview(raw);
    } catch (e) {
      // A webview only sends what its protocol allows; anything else is dropped.
      this.context.log.warn(`panel ${this.jobId}: dropped a message: ${(e as Error).message}`);
      return;
    }
    panelTraffic.fire({ jobId: this.jobId, direction: 'fromWebview', message });
    if (message.type === 'ready') {
      // A page the roots have since replaced: its successor will say ready.
      if (message.generation !== this.generation) return;
      this.pageLoaded();
      this.post({ type: 'snapshot', state: this.model.state });
    }
    // The handler hears `ready` too: a run in this panel learns that its webview reloaded.
    this.handler(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = crypto.randomBytes(16).toString('base64');
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', name));
    return `<!DOCTYPE html>
<html lang="${escapeAttribute(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'; connect-src ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${asset('webview.css')}" rel="stylesheet">
<title>${escapeAttribute(vscode.l10n.t('Neural Style'))}</title>
</head>
<body>
<main id="app"></main>
<script nonce="${nonce}" src="${asset('webview.js')}" data-compute="${asset('compute.js')}" data-generation="${this.generation}" data-l10n="${escapeAttribute(encodeBundle(vscode.l10n.bundle))}"></script>
</body>
</html>`;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose();
    this.onDidDisposeEmitter.fire();
    this.onDidDisposeEmitter.dispose();
  }
}
