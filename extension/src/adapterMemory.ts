/** What a job knows of the window's GPUs before it picks where to run. */
import type { AdapterProbe } from './backendRoute';
import { computeChannelOf, JobRecord } from './jobRecord';
import { probeAdapters } from './webviewRunner';

/**
 * The window's GPUs as a panel's webview found them. Probed once: each probe
 * waits for a page to load, which a job on the engine would wait for in vain.
 * A lost GPU makes the next job probe again.
 */
export class AdapterMemory {
  private known?: AdapterProbe;

  /** `openPanel`: the probe runs in the record's panel, which may be closed. */
  async probe(record: JobRecord, openPanel: () => void): Promise<AdapterProbe> {
    if (this.known) return this.known;
    if (!record.livePanel) openPanel();
    const { answered, ...probe } = await probeAdapters(computeChannelOf(record));
    if (answered) this.known = probe;
    return probe;
  }

  forget(): void {
    this.known = undefined;
  }
}
