/**
 * The tabs VS Code restored after a reload that resumed jobs wait for: VS
 * Code revives a restored tab (and calls the panel serializer) only once it
 * is shown, so a resumed job whose panel was open waits for its tab rather
 * than open a second (resume.ts awaitsRestoredTab decides by the tab's
 * title). When the tabs change and a waiting job's tab is gone (closed
 * before it was shown, or it never was one), the job stops waiting. Pure: the
 * caller passes the editor's tabs.
 */
import { jobName } from '../shared/state';
import type { JobRecord } from './jobRecord';
import { awaitsRestoredTab, type TabLabel } from './resume';

export class RestoredTabs {
  /** `records`: every panel record of the window; `tabs`: the editor's tabs now. */
  constructor(private readonly records: () => readonly JobRecord[], private readonly tabs: () => readonly TabLabel[],
    private readonly viewType: string) {}

  /** Whether `record` (not waiting yet) has a restored tab to wait for. */
  awaits(record: JobRecord): boolean {
    const others = this.records().filter((r) => r !== record);
    const claimed = [...others.flatMap((r) => r.livePanel ? [r.livePanel.panel.title] : []),
      ...others.filter((r) => r.awaitingTab).map((r) => jobName(r.state))];
    return awaitsRestoredTab(jobName(record.state), this.tabs(), this.viewType, claimed);
  }

  /** The tabs changed: the records whose tab is gone stop waiting; returns them (a running job's opens its panel). */
  recheck(): JobRecord[] {
    // One at a time: a job that stops waiting leaves its place to the others that wait for a tab of its title.
    const gone: JobRecord[] = [];
    for (const record of this.records().filter((r) => r.awaitingTab)) {
      record.awaitingTab = false;
      record.awaitingTab = this.awaits(record);
      if (!record.awaitingTab) gone.push(record);
    }
    return gone;
  }
}
