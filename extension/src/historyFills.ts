/**
 * The filling of panels' histories, which the job manager owns: a panel's
 * photo's results on disk join its history once read (panelHistory.ts), and a
 * finished run refreshes every open panel of its photo. The tests wait for
 * the reads with `filled`.
 */
import * as path from 'path';
import type * as vscode from 'vscode';
import { samePath } from '@neural-style/engine/file-names';
import type { RunView } from '../shared/protocol';
import type { JobChange } from './jobChange';
import type { JobRecord } from './jobRecord';
import { addToHistory, photoHistoryRuns } from './panelHistory';
import type { StyleChoice } from './stylePicker';

export class HistoryFills {
  /** The reads under way. */
  private readonly reads = new Set<Promise<void>>();

  /** `onDidChangeJob`: the manager's, to hear a job end; `offeredStyles`: what names a style file as a panel does. */
  constructor(private readonly onDidChangeJob: vscode.Event<JobChange>,
    private readonly offeredStyles: () => StyleChoice[], private readonly log: (message: string) => void) {}

  /**
   * The photo's results on disk join the panel's history when read. While its job runs, those in a folder the
   * panel cannot show yet wait for the run's end: a new folder reloads the page, which would end a run on the GPU.
   */
  fill(record: JobRecord, folders: readonly string[] = []): void {
    const reading = photoHistoryRuns(record.state, this.offeredStyles(), this.log, folders).then(({ found, gone }) => {
      const { id, status } = record.state.job;
      const showable = (run: RunView) => status !== 'running' || (record.livePanel?.mayShow(run.outputPath) ?? true);
      addToHistory(record, found.filter(showable), gone);
      const later = found.filter((run) => !showable(run));
      if (later.length) this.afterEnd(id, () => addToHistory(record, later));
    });
    this.reads.add(reading);
    void reading.finally(() => this.reads.delete(reading));
  }

  /**
   * A result of `made`'s photo was written: the photo's other open panels (of `records`) list it too, and each of
   * its panels (`made`'s included) takes out the results deleted since it last looked.
   */
  refreshPhotoOf(made: JobRecord, records: readonly JobRecord[]): void {
    const photo = made.state.job.contentPath;
    const panels = records.filter((r) => r.livePanel && samePath(r.state.job.contentPath, photo));
    panels.forEach((record) => this.fill(record, [path.dirname(made.state.job.outputPath)]));
  }

  /** Resolves once every panel's history read so far is in its state (for the tests). */
  async filled(): Promise<void> {
    while (this.reads.size) await Promise.all([...this.reads]);
  }

  /** Calls `then` once job `id` has ended. */
  private afterEnd(id: string, then: () => void): void {
    const ended = this.onDidChangeJob((change) => {
      if (change.id !== id || change.kind !== 'ended') return;
      ended.dispose();
      then();
    });
  }
}
