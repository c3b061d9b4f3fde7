/**
 * The `neuralStyle.results` context key: the workspace's results (resultPaths.ts),
 * scanned once at activation, then kept up to date by a file watcher.
 * `neuralStyle.resultsKnown` says the scan is done: until then the menus offer
 * the result commands on every PNG, as they did before.
 */
import * as vscode from 'vscode';
import { ResultPaths } from './resultPaths';

/** At most this many PNGs are looked at on activation: a workspace of thousands still starts at once. */
const SCAN_LIMIT = 2000;

export function watchResults(log: vscode.LogOutputChannel): vscode.Disposable & { paths: ResultPaths } {
  const paths = new ResultPaths();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The watcher fires once per file: a batch's results are published together.
  const publish = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void vscode.commands.executeCommand('setContext', 'neuralStyle.results', paths.list());
    }, 200);
  };
  const consider = (uri: vscode.Uri) => {
    if (uri.scheme === 'file') void paths.consider(uri.fsPath, uri.toString()).then((changed) => changed && publish());
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.png');
  watcher.onDidCreate(consider);
  watcher.onDidChange(consider);
  watcher.onDidDelete((uri) => paths.forget(uri.fsPath) && publish());
  void (async () => {
    const files = await vscode.workspace.findFiles('**/*.png', '**/node_modules/**', SCAN_LIMIT);
    // A few at a time: thousands of open files at once would run out of file handles.
    for (let i = 0; i < files.length; i += 32) {
      await Promise.all(files.slice(i, i + 32).map((uri) => paths.consider(uri.fsPath, uri.toString())));
    }
    await vscode.commands.executeCommand('setContext', 'neuralStyle.results', paths.list());
    await vscode.commands.executeCommand('setContext', 'neuralStyle.resultsKnown', true);
    log.info(`results in the workspace: ${paths.list().length} of ${files.length} PNGs looked at`);
  })().catch((e) => log.warn(`the workspace's results were not listed: ${(e as Error).message}`));
  return { paths, dispose: () => { clearTimeout(timer); watcher.dispose(); } };
}
