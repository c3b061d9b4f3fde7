/**
 * Every word the extension shows goes through l10n: the scan finds none left
 * bare, the bundle translators start from is what the sources say, and a
 * module without `vscode` (shared with the webview) speaks a bundle's words.
 * The webview's side, in a browser page: webviewL10n.test.ts.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as l10n from '@vscode/l10n';
import { getL10nPseudoLocalized } from '@vscode/l10n-dev';
import { expectedL10nBundle, l10nSourceFiles } from '../../../scripts/generate';
import { batchProgressText } from '../../../extension/src/batch';
import { checkControls } from '../../../extension/shared/controls';
import { Finding, scanSource } from './l10nScan';

const root = path.resolve(__dirname, '..', '..', '..');
const bundleFile = path.join(root, 'extension', 'l10n', 'bundle.l10n.json');

/**
 * Literals the scan reads as words that are not shown as such, by file and the text's start,
 * each with why. An entry that no longer matches anything fails the test (it would hide a new string).
 */
const NOT_SHOWN: Array<{ file: string; starts: string; why: string }> = [
  { file: 'src/backendRoute.ts', starts: 'note:  ; running it', why: 'the log\'s route line' },
  { file: 'src/backendRoute.ts', starts: 'not probed', why: 'a skipped backend: the log\'s route line' },
  { file: 'src/backendRoute.ts', starts: 'tfjs-node-gpu: not installed', why: 'a skipped backend: the log' },
  { file: 'src/backendRoute.ts', starts: 'tfjs-node-gpu: installed without', why: 'a skipped backend: the log' },
  { file: 'src/backendRoute.ts', starts: 'auto, webgl', why: 'setting values, the same in every language' },
  { file: 'src/backendRoute.ts', starts: 'webgpu in the engine', why: 'a skipped backend: the log\'s route line' },
  { file: 'src/backendRoute.ts', starts: 'no adapter', why: 'a skipped backend: the log\'s route line' },
  { file: 'src/warmEngine.ts', starts: 'the engine did not', why: 'why the engine has no GPU: the log\'s route line' },
  { file: 'src/speedStore.ts', starts: 'the kept machine speeds', why: 'a broken kept speed: a log line' },
  { file: 'src/checkpoints.ts', starts: 'this window has no storage', why: 'why a job starts over: a log line' },
  { file: 'src/checkpoints.ts', starts: 'its checkpoint', why: 'why a saved checkpoint is not used: a log line' },
  { file: 'src/warmEngine.ts', starts: 'no adapter', why: 'why the engine has no GPU: the log\'s route line' },
  { file: 'src/extension.ts', starts: 'Neural Style',
    why: 'the product\'s name as the output channel\'s (VS Code\'s own channels keep their names)' },
  { file: 'src/routeJob.ts', starts: 'the panel\'s webview on', why: 'the log\'s route line' },
  { file: 'src/routeJob.ts', starts: 'the engine process (backend', why: 'the log\'s route line' },
  { file: 'src/testApi.ts', starts: 'no panel for job', why: 'an error of the tests\' API' },
  { file: 'src/runJob.ts', starts: 'waited ', why: 'the log\'s first-progress line' },
  { file: 'src/jobs.ts', starts: ' (its panel is the tab VS Code restored', why: 'the log\'s line of a job queued' },
  { file: 'src/panel.ts', starts: '<!DOCTYPE html>', why: 'the page\'s markup (its title is localized)' },
  { file: 'src/saveDefaults.ts', starts: 'saved ', why: 'the log\'s line of what was written' },
  { file: 'src/executeJob.ts', starts: ' masked by ', why: 'the log\'s line of a job started on the engine' },
  { file: 'src/savedQueue.ts', starts: '', why: 'why a saved job was dropped: QueueStore reports it to the log' },
  { file: 'shared/protocol.ts', starts: '',
    why: 'where a message failed validation: such messages are dropped and logged' },
];

const matches = (e: (typeof NOT_SHOWN)[number]) => (f: Finding) =>
  f.file.endsWith(e.file) && f.text.startsWith(e.starts);
const exempt = (f: Finding) => NOT_SHOWN.some((e) => matches(e)(f));
const relative = (file: string) => path.relative(path.join(root, 'extension'), file);

describe('l10n', () => {
  it('the scan finds bare words and passes localized ones (so that it can fail)', () => {
    const found = scanSource('x.ts', [
      "void vscode.window.showInformationMessage('Neural Style: done.');",
      "const b = button('run', 'Cancel', go);",
      "const ok = vscode.l10n.t('Neural Style: {0} made.', name);",
      "log.info(`queued ${id}: in the style of ${style}`);",
      "if (status === 'not running') stop();",
    ].join('\n'));
    assert.deepStrictEqual(found.map((f) => [f.line, f.text]), [[1, 'Neural Style: done.'], [2, 'Cancel']]);
  });

  it('every user-visible string of the host, the webview and shared/ goes through l10n', () => {
    const files = l10nSourceFiles().filter((f) => !/settings(Words|Schema)\.ts$/.test(f));
    assert.ok(files.length > 30, `only ${files.length} source files found`);
    const findings = files.flatMap((file) => scanSource(file, fs.readFileSync(file, 'utf8')));
    const bare = findings.filter((f) => !exempt(f)).map((f) => `${relative(f.file)}:${f.line}: ${f.text}`);
    assert.deepStrictEqual(bare,
      [], 'wrap these in l10n.t / vscode.l10n.t (or say in NOT_SHOWN why the user never reads one)');
    const unused = NOT_SHOWN.filter((e) => !findings.some(matches(e)));
    assert.deepStrictEqual(unused, [], 'these exemptions match nothing any more: remove them');
  });

  it('extension/l10n/bundle.l10n.json is what the sources say (run pnpm gen)', async () => {
    const bundle = await expectedL10nBundle();
    assert.strictEqual(fs.readFileSync(bundleFile, 'utf8'), bundle, 'bundle.l10n.json is stale: run pnpm gen');
    assert.ok(Object.keys(JSON.parse(bundle)).length > 150);
    // A setting's id is the same in every language: a translator gets it as a {n} argument, not as words.
    assert.deepStrictEqual(Object.keys(JSON.parse(bundle)).filter((k) => /neuralStyle\.\w/.test(k)), []);
  });

  describe('with a translated bundle', () => {
    const english: Record<string, string> = JSON.parse(fs.readFileSync(bundleFile, 'utf8'));
    const pseudo = getL10nPseudoLocalized(english) as Record<string, string>;
    before(() => l10n.config({ contents: pseudo }));
    after(() => l10n.config({ contents: {} }));

    it('a module without vscode says the bundle\'s words, with its values put in', () => {
      const text = batchProgressText({ made: 2, failed: 0, cancelled: 0, total: 5, etaMs: 90_000 }, () => '1:30');
      assert.notStrictEqual(text, '2 of 5 made, 3 to go, about 1:30 left for the batch');
      const expected = [pseudo['{0} of {1} made'].replace('{0}', '2').replace('{1}', '5'), pseudo['{0} to go'].replace('{0}', '3'),
        pseudo['about {0} left for the batch'].replace('{0}', '1:30')].join(', ');
      assert.strictEqual(text, expected);
      // The control's name is the bundle's; what is wrong with the value is the engine's (in English).
      const controls = { styleWeight: 1e3, size: 5, iterations: 10, preserveColors: false, seamless: false,
        styleScale: 1, init: 'content' as const, seed: 1 };
      assert.throws(() => checkControls(controls),
        (e: Error) => e.message.startsWith(`${pseudo['Size (px)']}: Invalid size 5`));
    });
  });
});
