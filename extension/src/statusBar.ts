/** The status bar mirror of the queue: what runs, how far, how many wait. */
import * as vscode from 'vscode';
import { formatDuration } from '@neural-style/engine/options';
import { Disposable } from './dispose';

export interface RunningJob {
  name: string;
  fraction?: number;
  etaMs?: number;
  /** The running batch's progress: "2 of 5 done, about 12:30 left for the batch". */
  batch?: string;
}

export class QueueStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('neuralStyle.queue', vscode.StatusBarAlignment.Left, 50));

  constructor() {
    super();
    this.item.name = vscode.l10n.t('Neural Style');
    this.item.command = 'neuralStyle.showRunning';
  }

  update(running: RunningJob | undefined, queued: number): void {
    if (!running) {
      this.item.hide();
      return;
    }
    const percent = running.fraction === undefined ? '' : ` ${Math.floor(running.fraction * 100)}%`;
    const more = queued ? ` ${vscode.l10n.t('(+{0} queued)', queued)}` : '';
    this.item.text = `$(loading~spin) ${vscode.l10n.t('Stylizing {0}', running.name)}${percent}${more}`;
    const doing = running.etaMs ? vscode.l10n.t('Neural Style: stylizing {0}, about {1} left', running.name, formatDuration(running.etaMs))
      : vscode.l10n.t('Neural Style: stylizing {0}', running.name);
    const batch = running.batch ? ` ${vscode.l10n.t('Batch: {0}.', running.batch)}` : '';
    this.item.tooltip = `${doing}${more}.${batch} ${vscode.l10n.t('Click to show its panel.')}`;
    this.item.show();
  }
}
