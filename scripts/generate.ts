/**
 * Writes every part of the repository that is derived from code:
 *   docs/CLI.md             cli-help: the CLI's --help
 *   docs/EXTENSION.md       settings: the extension's settings table
 *   extension/package.json  contributes.configuration (as %keys%), and the Restricted Mode list of settings
 *   extension/package.nls.json  the settings' texts (the other keys are written by hand)
 * extension/l10n/bundle.l10n.json  every `l10n.t` / `vscode.l10n.t` string of the extension, in English (for
 * translators)
 * In a Markdown file a generated part sits between `<!-- begin generated NAME … -->` and
 * `<!-- end generated NAME -->`. Run: pnpm gen (it builds first: cli-help runs the built CLI).
 * `--check` changes nothing and fails when a file is stale (the unit tests check the same).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { getL10nJson } from '@vscode/l10n-dev';
import { localizedConfiguration, SECTION, settingsMarkdown, settingSpecs } from '../extension/src/settingsSchema';

const root = path.resolve(__dirname, '..');
const PACKAGE_JSON = path.join(root, 'extension', 'package.json');
const PACKAGE_NLS = path.join(root, 'extension', 'package.nls.json');
const CLI = path.join(root, 'packages', 'engine', 'bin', 'neural-style.js');
const L10N_BUNDLE = path.join(root, 'extension', 'l10n', 'bundle.l10n.json');
/** Where the extension's localized strings are: the host, the webview and what they share. */
export const L10N_SOURCES = ['src', 'webview', 'shared'].map((dir) => path.join(root, 'extension', dir));

export const beginMarker = (name: string) => `<!-- begin generated ${name} (by pnpm gen; do not edit) -->`;
export const endMarker = (name: string) => `<!-- end generated ${name} -->`;

/** The generated parts of the Markdown docs: file (from the root) → marker name → its text. */
export const MARKDOWN_PARTS: Record<string, Record<string, () => string>> = {
  'docs/CLI.md': {
    'cli-help': () => `\`\`\`\n${execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }).trimEnd()}\n\`\`\``,
  },
  'docs/EXTENSION.md': { settings: settingsMarkdown },
};

/** `text` (of `file`) with the part between NAME's markers replaced by `body`. */
export function replacePart(text: string, name: string, body: string, file = 'The file'): string {
  const begin = beginMarker(name);
  const start = text.indexOf(begin);
  const end = start < 0 ? -1 : text.indexOf(endMarker(name), start);
  if (end < 0) throw new Error(`${file} has no ${begin} … ${endMarker(name)} markers`);
  return `${text.slice(0, start + begin.length)}\n${body}\n${text.slice(end)}`;
}

/** `current`, the text of `file` (a key of MARKDOWN_PARTS), with each of its generated parts made anew. */
export function expectedMarkdown(file: string, current: string): string {
  const parts = Object.entries(MARKDOWN_PARTS[file] ?? {});
  return parts.reduce((text, [name, render]) => replacePart(text, name, render(), file), current);
}

export function expectedPackageJson(current: Record<string, any>): Record<string, any> {
  const next = structuredClone(current);
  next.contributes.configuration = localizedConfiguration().contribution;
  // Restricted Mode: a workspace (untrusted) cannot set any of these; user settings still apply.
  next.capabilities.untrustedWorkspaces.restrictedConfigurations = settingSpecs().map(([name]) => `${SECTION}.${name}`);
  return next;
}

/** package.nls.json: the hand-written texts (commands, the manifest's own) kept, the settings' texts made anew. */
export function expectedPackageNls(current: Record<string, string>): Record<string, string> {
  const handWritten = Object.entries(current).filter(([key]) => !key.startsWith('config.'));
  return Object.fromEntries([...handWritten, ...Object.entries(localizedConfiguration().strings)]);
}

/** Every .ts file under the l10n sources, in a stable order. */
export function l10nSourceFiles(): string[] {
  return L10N_SOURCES.flatMap((dir) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f))).sort();
}

/** bundle.l10n.json as @vscode/l10n-dev exports it from the sources (the file VS Code's translators start from). */
export async function expectedL10nBundle(): Promise<string> {
  const json = await getL10nJson(l10nSourceFiles().map((file) => ({ contents: fs.readFileSync(file, 'utf8'), extension: '.ts' })));
  const sorted = Object.fromEntries(Object.entries(json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

async function main(): Promise<void> {
  const bundle = await expectedL10nBundle();
  const files = [
    { file: PACKAGE_JSON, next: (text: string) => `${JSON.stringify(expectedPackageJson(JSON.parse(text)), null, 2)}\n` },
    { file: PACKAGE_NLS, next: (text: string) => `${JSON.stringify(expectedPackageNls(JSON.parse(text)), null, 2)}\n` },
    ...Object.keys(MARKDOWN_PARTS).map((doc) => ({
      file: path.join(root, doc), next: (text: string) => expectedMarkdown(doc, text),
    })),
    { file: L10N_BUNDLE, next: () => bundle },
  ].map(({ file, next }) => {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    return { file, text, expected: next(text) };
  });
  const stale = files.filter((f) => f.expected !== f.text);
  const names = stale.map((f) => path.relative(root, f.file)).join(', ');
  if (process.argv.includes('--check')) {
    if (stale.length) {
      console.error(`Stale: ${names}. Run pnpm gen.`);
      process.exit(1);
    }
    return;
  }
  for (const f of stale) fs.writeFileSync(f.file, f.expected);
  console.log(stale.length ? `Updated ${names}.` : 'Up to date.');
}

if (require.main === module) void main();
