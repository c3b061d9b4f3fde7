/** The status bar mirror of the queue: what runs, how far, how many wait. */
import * as path from 'path';
import * as vscode from 'vscode';
import { formatDuration } from '@neural-style/engine/options';
import { progressFraction } from '@neural-style/engine/protocol';
import { Disposable } from './dispose';
import type { JobChange } from './jobChange';
import type { JobRequest } from './jobRequest';
import type { JobQueue } from './queue';

export interface RunningJob {
  name: string;
  fraction?: number;
  etaMs?: number;
  /** The running batch's progress: "2 of 5 done, about 12:30 left for the batch". */
  batch?: string;
}

export class QueueStatusBar extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem('neuralStyle.queue', vscode.StatusBarAlignment.Left, 50));

  /** `batchLine`: the running batch's progress, as the batches say it. */
  constructor(private readonly queue: Pick<JobQueue<{ request: JobRequest }>, 'running' | 'queued'>,
    private readonly batchLine: () => string | undefined) {
    super();
    this.item.name = vscode.l10n.t('Neural Style');
    this.item.command = 'neuralStyle.showRunning';
  }

  /** A change of the queue, or the running job's progress (which alone says how far it is). */
  onChange(change: JobChange): void {
    const silent: ReadonlyArray<JobChange['kind']> = ['running', 'engine', 'plan', 'preview', 'opened'];
    if (silent.includes(change.kind)) return;
    const running = this.queue.running;
    const progress = change.kind === 'progress' ? change.progress : undefined;
    this.update(running && {
      name: path.basename(running.job.request.content),
      fraction: progress && progressFraction(progress),
      etaMs: progress?.etaMs,
      batch: this.batchLine(),
    }, this.queue.queued.length);
  }

  private update(running: RunningJob | undefined, queued: number): void {
    if (!running) {
      this.item.hide();
      return;
    }
    const percent = running.fraction === undefined ? '' : ` ${Math.floor(running.fraction * 100)}%`;
    const more = queued ? ` ${vscode.l10n.t('(+{0} queued)', queued)}` : '';
    this.item.text = `$(loading~spin) ${vscode.l10n.t('Stylizing {0}', running.name)}${percent}${more}`;
    const doing = running.etaMs
      ? vscode.l10n.t('Neural Style: stylizing {0}, about {1} left', running.name, formatDuration(running.etaMs))
      : vscode.l10n.t('Neural Style: stylizing {0}', running.name);
    const batch = running.batch ? ` ${vscode.l10n.t('Batch: {0}.', running.batch)}` : '';
    this.item.tooltip = `${doing}${more}.${batch} ${vscode.l10n.t('Click to show its panel.')}`;
    this.item.show();
  }
}
