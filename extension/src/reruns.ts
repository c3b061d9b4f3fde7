/**
 * Runs of a panel's job again, as a new job in the same panel with a new
 * output beside the earlier ones: the panel's Run again (maybe on the CPU),
 * "Run on CPU instead" after a lost GPU, and a run at the photo's own size
 * offered when a run would enlarge it.
 */
import * as vscode from 'vscode';
import { type BackendChoice, DEFAULTS } from '@neural-style/engine/options';
import { type Controls, controlsOf } from '../shared/controls';
import type { SecondStylePick } from '../shared/secondStyle';
import type { JobChange } from './jobChange';
import type { JobRecord } from './jobRecord';
import type { JobRequest } from './jobRequest';
import { runAgainRequest, runAgainState } from './panelRuns';
import type { JobLog } from './routeJob';
import { samePick } from './secondStyleChoices';
import type { StyleChoice } from './stylePicker';

/** What a re-run needs of the job manager. */
export interface RerunHost {
  record(id: string): JobRecord | undefined;
  /** Forgets `record`'s job `id`: the record's next job is another. */
  forget(id: string): void;
  /** Queues `request` as `record`'s next job. */
  queueIn(record: JobRecord, request: JobRequest, backend: BackendChoice | undefined): void;
  cancel(id: string): boolean;
  readonly onDidChangeJob: vscode.Event<JobChange>;
  readonly log: JobLog;
  offeredStyles(): StyleChoice[];
}

export class Reruns {
  constructor(private readonly host: RerunHost) {}

  /** Run again (or on the CPU) in the same panel: a new job, a new output beside the earlier ones. */
  runAgain(record: JobRecord, controls: Controls, backend: BackendChoice | undefined, second?: SecondStylePick): void {
    const { job } = record.state;
    if (job.status === 'queued' || job.status === 'running') {
      this.host.log('info', `run again ${job.id}: the job is still ${job.status}`);
      return;
    }
    let request: JobRequest;
    try {
      request = runAgainRequest(record.state, controls, second);
    } catch (e) {
      this.host.log('warn', `run again ${job.id}: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Neural Style: {0}', (e as Error).message));
      return;
    }
    this.host.forget(job.id);
    const state = runAgainState(record.state, request, controls, this.host.offeredStyles());
    record.post({ type: 'snapshot', state });
    this.host.queueIn(record, request, backend);
  }

  /** Job `id` again at `size` px: the running job is cancelled first, and runs again in its panel once it has ended. */
  runAtSize(id: string, size: number): void {
    const record = this.currentRecord(id);
    if (!record) return;
    const controls = { ...(record.state.controls ?? controlsOf(DEFAULTS)), size };
    const again = () => this.runAgain(record, controls, undefined, samePick(record.state));
    if (!this.host.cancel(id)) {
      again();
      return;
    }
    const ended = this.host.onDidChangeJob((change) => {
      if (change.id !== id || change.kind !== 'ended') return;
      ended.dispose();
      again();
    });
  }

  /** "Run on CPU instead" after a lost GPU: job `id` again on wasm in its panel, unless it has run again since. */
  runOnCpu(id: string): void {
    const record = this.currentRecord(id);
    if (record) this.runAgain(record, record.state.controls ?? controlsOf(DEFAULTS), 'wasm', samePick(record.state));
  }

  /** The record whose current job is still `id` (not one that has run again since). */
  private currentRecord(id: string): JobRecord | undefined {
    const record = this.host.record(id);
    return record?.state.job.id === id ? record : undefined;
  }
}
