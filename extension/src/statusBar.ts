/** The status bar mirror of the queue: what runs, how far, how many wait. */
import * as vscode from 'vscode';
import { formatDuration } from '@neural-style/engine/options';

export class QueueStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('neuralStyle.queue', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Neural Style';
    this.item.command = 'neuralStyle.showRunning';
  }

  update(running: { name: string; fraction?: number; etaMs?: number } | undefined, queued: number): void {
    if (!running) {
      this.item.hide();
      return;
    }
    const percent = running.fraction === undefined ? '' : ` ${Math.floor(running.fraction * 100)}%`;
    const more = queued ? ` (+${queued} queued)` : '';
    this.item.text = `$(loading~spin) Stylizing ${running.name}${percent}${more}`;
    this.item.tooltip = `Neural Style: stylizing ${running.name}${running.etaMs ? `, about ${formatDuration(running.etaMs)} left` : ''}${more}. Click to show its panel.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
