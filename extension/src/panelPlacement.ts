/**
 * Where panels and results open, so that they do not spread over the editor:
 * every job's panel in one group (the first opens beside the user's files, the
 * next ones join it), and a result in its panel's group. Pure: the caller
 * passes the editor's tabs as plain records.
 */

export interface TabPlace {
  /** A webview tab's viewType (VS Code may prefix it), else undefined. */
  viewType?: string;
  /** The group's column, from 1. */
  column: number;
}

/** The column of the group that already shows a job's panel (the first such), else undefined: open one beside. */
export function panelColumn(tabs: readonly TabPlace[], viewType: string): number | undefined {
  return tabs.find((t) => t.viewType?.endsWith(viewType))?.column;
}

/** A result opens in its panel's group; with no panel (it was closed), in the panels' group, else the first. */
export function resultColumn(panel: number | undefined, tabs: readonly TabPlace[], viewType: string): number {
  return panel ?? panelColumn(tabs, viewType) ?? 1;
}
