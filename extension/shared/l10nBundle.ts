/**
 * The l10n bundle as it travels to the webview: JSON in a data attribute of
 * the panel's script tag (the page needs it before its first word, and a
 * message would come too late). VS Code has no bundle for English, the
 * strings' own language: then nothing is sent and `l10n.t` returns the text
 * as written. Pure: no `vscode`, no DOM.
 */
export type L10nBundle = Record<string, string>;

/** The attribute's value; "" when there is no bundle. */
export function encodeBundle(bundle: L10nBundle | undefined): string {
  return bundle ? JSON.stringify(bundle) : '';
}

/** The bundle from the attribute, or undefined (no bundle, or anything that is not a map of strings). */
export function decodeBundle(attribute: string | undefined): L10nBundle | undefined {
  if (!attribute) return undefined;
  try {
    const parsed: unknown = JSON.parse(attribute);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const entries = Object.entries(parsed);
    return entries.every(([, v]) => typeof v === 'string') ? Object.fromEntries(entries) as L10nBundle : undefined;
  } catch {
    return undefined;
  }
}

/** HTML attribute escaping for the bundle's JSON (quotes, ampersands, angle brackets). */
export function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
