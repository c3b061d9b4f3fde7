/**
 * The extension's page (extension/README.md, what the Marketplace shows): it
 * names every command a user meets, its links and images are absolute (the
 * Marketplace resolves nothing relative), and the defaults it quotes are the
 * settings' own.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { settingSpecs } from '../../../extension/src/settingsSchema';

const root = path.resolve(__dirname, '..', '..', '..');
const readme = fs.readFileSync(path.join(root, 'extension', 'README.md'), 'utf8');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'extension', 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(root, 'extension', 'package.nls.json'), 'utf8'));

describe('the extension\'s README (its Marketplace page)', () => {
  it('names every command of the Explorer\'s menus and the Command Palette', () => {
    const menus = manifest.contributes.menus;
    const entries: Array<{ command: string }> = [...menus['explorer/context'], ...menus['editor/title']];
    const shown = new Set(entries.map((m) => m.command));
    shown.add('neuralStyle.cancel');
    const titles = [...shown].map((id) => nls[`command.${id.replace('neuralStyle.', '')}.title`] as string);
    assert.strictEqual(titles.length, 8);
    for (const title of titles) assert.ok(readme.includes(`**${title}**`), `"${title}" is not on the page`);
  });

  it('links and images are absolute https addresses', () => {
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(targets.length >= 8, targets.join(', '));
    assert.deepStrictEqual(targets.filter((t) => !t.startsWith('https://')), []);
  });

  it('quotes the settings\' own defaults', () => {
    const specs = new Map(settingSpecs());
    const rows = [...readme.matchAll(/^\| `neuralStyle\.(\w+)` \| ([^|]+) \|/gm)];
    assert.ok(rows.length >= 6);
    for (const [, name, quoted] of rows) {
      const value = specs.get(name as never)?.default;
      const expected = value === true ? 'on' : value === false ? 'off' : value === '' ? quoted.trim() : String(value);
      assert.strictEqual(quoted.trim(), expected, name);
    }
  });
});
