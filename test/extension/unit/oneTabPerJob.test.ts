/**
 * One tab per job through a reload, without VS Code: a resumed job whose tab
 * VS Code restored waits for that tab (revived only once it is shown) instead
 * of opening a second, and the restored tab becomes its panel.
 */
import * as assert from 'assert';
import type * as vscode from 'vscode';
import type { JobPanel } from '../../../extension/src/panel';
import { RestoredTabs } from '../../../extension/src/restoredTabs';
import { awaitsRestoredTab, resumeInto, savedJobsOf, type TabLabel } from '../../../extension/src/resume';
import { panelState, recordWithPanels } from './fakeJobPanel';

const VIEW = 'neuralStyle.job';
const nothing = () => undefined;

/** A webview panel VS Code restored, and the JobPanel reviving it makes. */
function restored() {
  const webview = { disposed: false, dispose() { this.disposed = true; } };
  const shown = { revealed: 0 };
  const panel = { isDisposed: false, reveal: () => { shown.revealed++; } } as unknown as JobPanel;
  return { webview, shown, panel, asWebview: webview as unknown as vscode.WebviewPanel };
}

describe('one tab per job through a reload', () => {
  it('a resumed job waits for a restored tab of its title that no panel of the window accounts for', () => {
    const tabs = [
      { viewType: `mainThreadWebview-${VIEW}`, label: 'dune.png · Kelp' },
      { viewType: `mainThreadWebview-${VIEW}`, label: 'dune.png · Kelp' },
      { viewType: `mainThreadWebview-${VIEW}`, label: 'pier.jpg · Ink' },
      { label: 'dune.png · Kelp' }, // a text editor of that name is not a panel
    ];
    assert.strictEqual(awaitsRestoredTab('pier.jpg · Ink', tabs, VIEW, []), true);
    assert.strictEqual(awaitsRestoredTab('pier.jpg · Ink', tabs, VIEW, ['pier.jpg · Ink']), false,
      'that tab is a live panel\'s (or another resumed job waits for it)');
    assert.strictEqual(awaitsRestoredTab('dune.png · Kelp', tabs, VIEW, ['dune.png · Kelp']), true, 'two tabs, one taken');
    assert.strictEqual(awaitsRestoredTab('moss.png · Ink', tabs, VIEW, []), false, 'no tab: it opens its own panel');
    assert.strictEqual(awaitsRestoredTab('pier.jpg · Ink', [{ label: 'pier.jpg · Ink' }], VIEW, []), false);
  });

  it('while it waits, neither its run nor a reveal opens a panel; the restored tab, once shown, becomes its panel', () => {
    const { record, panels } = recordWithPanels(nothing, { open: false });
    record.awaitingTab = true;
    record.open(); // as a resumed job's run does
    record.show(); // as revealRunningPanel does
    assert.deepStrictEqual([panels.opened, panels.revealed], [0, 0], 'no second tab');
    const tab = restored();
    assert.strictEqual(resumeInto(record, tab.asWebview, () => tab.panel), true);
    assert.strictEqual(record.panel, tab.panel);
    assert.strictEqual(record.awaitingTab, false);
    assert.strictEqual(tab.webview.disposed, false);
    record.show();
    assert.deepStrictEqual([panels.opened, tab.shown.revealed], [0, 1], 'shown, not opened anew');
  });

  it('a waiting job whose restored tab goes before it was shown stops waiting; one whose tab is there waits on', () => {
    // Two resumed jobs of one photo and style (one title), and their two restored tabs.
    const state = (id: string) => ({ ...panelState(id), job: { ...panelState(id).job, contentName: 'moss.png',
      styleName: 'Ink' } });
    const [a, b] = ['ns5-1', 'ns5-2'].map((id) => recordWithPanels(nothing, { open: false, state: state(id) }).record);
    const tab = { viewType: `mainThreadWebview-${VIEW}`, label: 'moss.png · Ink' };
    const tabs: TabLabel[] = [tab, { ...tab }];
    const restoredTabs = new RestoredTabs(() => [a, b], () => tabs, VIEW);
    a.awaitingTab = restoredTabs.awaits(a);
    b.awaitingTab = restoredTabs.awaits(b);
    assert.deepStrictEqual([a.awaitingTab, b.awaitingTab], [true, true], 'one tab each');
    assert.deepStrictEqual(restoredTabs.recheck(), [], 'both tabs are there');
    tabs.pop(); // the user closed one before it was shown
    assert.deepStrictEqual(restoredTabs.recheck().length, 1);
    assert.deepStrictEqual([a.awaitingTab, b.awaitingTab].filter(Boolean).length, 1, 'the other still waits for its tab');
    tabs.pop();
    restoredTabs.recheck();
    assert.deepStrictEqual([a.awaitingTab, b.awaitingTab], [false, false]);
  });

  it('a job still waiting for its tab at the next reload is saved as having one, so it waits again', () => {
    const { record } = recordWithPanels(nothing, { open: false });
    record.awaitingTab = true;
    const request = { content: '/photos/pier.jpg', style: { path: '/s/ink.png', id: 'ink', label: 'Ink' } };
    const [saved] = savedJobsOf({ running: { id: 'ns7-2', state: 'running', job: { request, record } }, queued: [] });
    assert.strictEqual(saved.panel, true);
    record.awaitingTab = false;
    const [closed] = savedJobsOf({ running: { id: 'ns7-2', state: 'running', job: { request, record } }, queued: [] });
    assert.strictEqual(closed.panel, undefined, 'no panel and no tab: none is restored');
  });

  it('a restored tab of a job that has its panel already closes: one tab, never two', () => {
    const { record, panels } = recordWithPanels(nothing, { open: true });
    const tab = restored();
    assert.strictEqual(resumeInto(record, tab.asWebview, () => assert.fail('revived a second panel')), true);
    assert.strictEqual(tab.webview.disposed, true);
    assert.strictEqual(panels.opened, 0);
    assert.strictEqual(resumeInto(undefined, tab.asWebview, () => tab.panel), false, 'no such job: not resumed');
  });
});
