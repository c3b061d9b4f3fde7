/** What a job knows of the window's GPUs before it picks where to run. */
import type { AdapterProbe } from './backendRoute';
import type { JobPanelPort } from './jobRecord';
import { probeAdapters } from './webviewRunner';

/**
 * The window's GPUs as a panel's webview found them. Probed once: each probe
 * waits for a page to load, which a job on the engine would wait for in vain.
 * A lost GPU makes the next job probe again.
 */
export class AdapterMemory {
  private known?: AdapterProbe;

  /** The probe runs in the job's panel, opened when it is closed. */
  async probe(panel: JobPanelPort): Promise<AdapterProbe> {
    if (this.known) return this.known;
    panel.open();
    const { answered, ...probe } = await probeAdapters(panel.channel);
    if (answered) this.known = probe;
    return probe;
  }

  /** What the last answered probe found, without probing (undefined: none yet). */
  get last(): AdapterProbe | undefined {
    return this.known;
  }

  forget(): void {
    this.known = undefined;
  }
}
