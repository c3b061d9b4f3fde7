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
import { Disposable, disposeAll } from './dispose';
import { TEST_BUILD } from '../shared/testBuild';
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
  /** The log, which a panel's button shows. */
  log: vscode.LogOutputChannel;
  /** Where a panel reports what went wrong with its page or a message (the log; the tests hear it too). */
  warn(line: string): void;
}

export type PanelHandler = (message: FromWebview) => void;

/**
 * A page that has not said ready this long after it was set, while its panel
 * is visible, is set again once, then shown in a new tab, up to PAGE_RELOADS
 * tries in all: a webview's frame can stay blank for good when its service
 * worker has no controller (seen in code-server after a reload), and setting
 * the page again goes to the same frame.
 */
const PAGE_READY_MS = 10_000;
const PAGE_RELOADS = 3;

/** The tests' blank pages: how many pages set after a panel's first say ready unheard (a test build only). */
let blankPages = 0;
export function blankNextPages(count: number): void {
  if (TEST_BUILD) blankPages = count;
}

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

  /** The webview panel showing the job now (a new one replaces a panel whose page stays blank). */
  private webviewPanel: vscode.WebviewPanel;
  private webviewListeners: vscode.Disposable[] = [];

  private constructor(panel: vscode.WebviewPanel, private readonly context: PanelContext,
    private readonly model: PanelModel, private readonly handler: PanelHandler) {
    super();
    this.webviewPanel = panel;
    this.register({ dispose: () => {
      disposeAll(this.webviewListeners);
      this.webviewPanel.dispose();
    } });
    this.roots = resourceFolders(context.presetsDir, model.state).join('\n');
    this.attach(panel);
    this.setPage();
    this.register({ dispose: () => this.pageLoaded() });
  }

  get panel(): vscode.WebviewPanel {
    return this.webviewPanel;
  }

  /** Shows the job in `panel` from now on: closing it closes the job, and its messages are the job's. */
  private attach(panel: vscode.WebviewPanel): void {
    this.webviewPanel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'icon.svg');
    this.webviewListeners = [
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
    ];
  }

  /** Opens a new tab for the job, beside the one whose page stays blank, and closes that one (not the job). */
  private replacePanel(): void {
    const blank = this.webviewPanel;
    disposeAll(this.webviewListeners);
    const viewColumn = blank.viewColumn ?? vscode.ViewColumn.Beside;
    this.attach(vscode.window.createWebviewPanel(VIEW_TYPE, blank.title, { viewColumn, preserveFocus: true },
      webviewOptions(this.context, this.model.state, [...this.extraRoots])));
    blank.dispose();
    this.load();
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
      const [id, seconds, tries] = [this.jobId, PAGE_READY_MS / 1000, `${this.reloads} of ${PAGE_RELOADS}`];
      if (this.reloads === 1) {
        this.context.warn(`panel ${id}: its page did not say ready within ${seconds} s; setting it again (${tries})`);
        this.load();
      } else {
        this.context.warn(`panel ${id}: its page did not say ready within ${seconds} s; opening it in a new tab (${tries})`);
        this.replacePanel();
      }
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
        history: s.history?.map((run) => ({ ...run, outputSrc: uri(run.outputPath) })),
        ...(s.regions ? { regions: s.regions.map((r) => ({ ...r, src: uri(r.path) })) } : {}) } };
    }
    if (message.type === 'regions' && message.masks) {
      return { ...message, masks: message.masks.map((r) => ({ ...r, src: uri(r.path) })) };
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
      this.context.warn(`panel ${this.jobId}: dropped a message: ${(e as Error).message}`);
      return;
    }
    panelTraffic.fire({ jobId: this.jobId, direction: 'fromWebview', message });
    if (message.type === 'ready') {
      // A page the roots have since replaced: its successor will say ready.
      if (message.generation !== this.generation) return;
      if (message.generation > 0 && blankPages > 0) {
        blankPages -= 1;
        return;
      }
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
