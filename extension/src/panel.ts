/**
 * One webview panel per job: thumbnails, live preview, progress, loss chart,
 * Cancel, and when done Open / Reveal / before-after. The host keeps the
 * panel's state and sends it whole whenever the webview (re)loads.
 */
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { FromWebview, PanelState, parseFromWebview, ToWebview } from '../shared/protocol';
import { applyMessage } from '../shared/state';

export const VIEW_TYPE = 'neuralStyle.job';

/** Messages in and out of every panel, for the log and the integration tests. */
export const panelTraffic = new vscode.EventEmitter<{ jobId: string; direction: 'toWebview' | 'fromWebview'; message: ToWebview | FromWebview }>();

export type PanelHandler = (panel: JobPanel, message: FromWebview) => void;

let log: vscode.LogOutputChannel | undefined;
/** Where a panel reports a message that broke the protocol. */
export function setPanelLog(channel: vscode.LogOutputChannel): void {
  log = channel;
}

/** One place for the options, so a restored panel gets the current roots too. */
export function webviewOptions(extensionUri: vscode.Uri, presetsDir: string, state: PanelState): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  const folders = new Set([path.dirname(state.job.contentPath), path.dirname(state.job.stylePath), path.dirname(state.job.outputPath), presetsDir]);
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), ...[...folders].map((f) => vscode.Uri.file(f))],
  };
}

export class JobPanel {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly onDidDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDidDisposeEmitter.event;

  static create(extensionUri: vscode.Uri, presetsDir: string, state: PanelState, handler: PanelHandler): JobPanel {
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, JobPanel.title(state), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(extensionUri, presetsDir, state));
    return new JobPanel(panel, extensionUri, presetsDir, state, handler);
  }

  /** A panel VS Code restored after a reload (WebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, presetsDir: string, state: PanelState, handler: PanelHandler): JobPanel {
    // Reset the options so the restored panel uses the current roots.
    panel.webview.options = webviewOptions(extensionUri, presetsDir, state);
    return new JobPanel(panel, extensionUri, presetsDir, state, handler);
  }

  private static title(state: PanelState): string {
    return `Stylize ${state.job.contentName}`;
  }

  private constructor(readonly panel: vscode.WebviewPanel, private readonly extensionUri: vscode.Uri, private readonly presetsDir: string,
    private current: PanelState, private readonly handler: PanelHandler) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'dist', 'icon.svg');
    this.current = applyMessage(current, this.withImageUris({ type: 'snapshot', state: current }));
    panel.webview.html = this.html();
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw), null, this.disposables);
  }

  get state(): PanelState {
    return this.current;
  }

  get jobId(): string {
    return this.current.job.id;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  post(raw: ToWebview): void {
    const message = this.withImageUris(raw);
    const outputFolder = path.dirname(this.current.job.outputPath);
    this.current = applyMessage(this.current, message);
    if (this.disposed) return;
    // The output folder is settled when the job starts (settings may have changed since it was queued): let the panel show it.
    if (path.dirname(this.current.job.outputPath) !== outputFolder) this.panel.webview.options = webviewOptions(this.extensionUri, this.presetsDir, this.current);
    panelTraffic.fire({ jobId: this.jobId, direction: 'toWebview', message });
    void this.panel.webview.postMessage(message);
  }

  // Webview URIs of the images: computed here, where the webview is, from the paths in the state.
  private withImageUris(message: ToWebview): ToWebview {
    const uri = (file: string) => this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString();
    if (message.type === 'snapshot') {
      const s = message.state;
      return { ...message, state: { ...s, job: { ...s.job, contentSrc: uri(s.job.contentPath), styleSrc: uri(s.job.stylePath) },
        done: s.done && { ...s.done, outputSrc: uri(s.job.outputPath) } } };
    }
    if (message.type === 'done') return { ...message, done: { ...message.done, outputSrc: uri(this.current.job.outputPath) } };
    return message;
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private receive(raw: unknown): void {
    let message: FromWebview;
    try {
      message = parseFromWebview(raw);
    } catch (e) {
      // A webview only sends what its protocol allows; anything else is dropped.
      log?.warn(`panel ${this.jobId}: dropped a message: ${(e as Error).message}`);
      return;
    }
    panelTraffic.fire({ jobId: this.jobId, direction: 'fromWebview', message });
    if (message.type === 'ready') {
      this.post({ type: 'snapshot', state: this.current });
      return;
    }
    this.handler(this, message);
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = crypto.randomBytes(16).toString('base64');
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', name));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${asset('webview.css')}" rel="stylesheet">
<title>Neural Style</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${nonce}" src="${asset('webview.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.onDidDisposeEmitter.fire();
    this.onDidDisposeEmitter.dispose();
  }
}
