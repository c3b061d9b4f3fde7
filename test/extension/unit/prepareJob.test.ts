import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathKey } from '@neural-style/engine/file-names';
import type { JobRequest } from '../../../extension/src/jobRequest';
import { type JobConfig, prepareJob } from '../../../extension/src/prepareJob';
import { SettingsError } from '../../../extension/src/settings';

describe('a job\'s first step (prepareJob: settings and output path)', () => {
  let dir: string;
  let request: JobRequest;
  const config = (settings: Record<string, unknown> = {}, more: Partial<JobConfig> = {}): JobConfig =>
    ({ get: (name) => settings[name], outputFolderFromWorkspace: false, ...more });
  /** Prepares job j1 of `request` with `settings`, no output reserved. */
  const prepare = (settings: Record<string, unknown> = {}, more: Partial<JobConfig> = {}) =>
    prepareJob('j1', request, config(settings, more), undefined, new Set());

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-prepare-'));
    const style = { path: '/styles/starry.png', id: 'starry', label: 'Starry' };
    request = { content: path.join(dir, 'photo.png'), style };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the settings once and names the result after the photo and the style, beside the photo', () => {
    const job = prepare({ size: 64, iterations: 3 });
    assert.deepStrictEqual([job.id, job.output], ['j1', path.join(dir, 'photo.starry.png')]);
    const { options, run } = job.settings;
    assert.deepStrictEqual([options.size, options.iterations, run.backend], [64, 3, 'auto']);
  });

  it('a name on disk, or one a running job will write, is taken: the next free one', () => {
    fs.writeFileSync(path.join(dir, 'photo.starry.png'), '');
    const reserved = new Set([pathKey(path.join(dir, 'photo.starry-1.png'))]);
    const { output } = prepareJob('j1', request, config(), undefined, reserved);
    assert.strictEqual(output, path.join(dir, 'photo.starry-2.png'));
  });

  it('makes the output folder a setting names', () => {
    const job = prepare({ outputFolder: path.join(dir, 'out', 'deeper') });
    assert.strictEqual(job.output, path.join(dir, 'out', 'deeper', 'photo.starry.png'));
    assert.ok(fs.statSync(path.dirname(job.output)).isDirectory());
  });

  it('the job\'s own options and backend win over the settings', () => {
    const own = { ...request, options: { iterations: 7 } };
    const job = prepareJob('j1', own, config({ iterations: 3, backend: 'webgl' }), 'wasm', new Set());
    assert.deepStrictEqual([job.settings.options.iterations, job.settings.run.backend], [7, 'wasm']);
  });

  it('a workspace\'s output folder outside the workspace is refused, naming the setting; a user\'s is not', () => {
    const outside = { outputFolder: path.join(os.tmpdir(), 'elsewhere') };
    assert.throws(() => prepare(outside, { outputFolderFromWorkspace: true, workspaceFolder: dir }),
      (e: unknown) => e instanceof SettingsError && e.setting === 'neuralStyle.outputFolder');
    const user = prepare({ outputFolder: path.join(dir, 'mine') }, { workspaceFolder: dir });
    assert.strictEqual(path.dirname(user.output), path.join(dir, 'mine'));
  });

  it('an invalid setting throws a SettingsError naming it', () => {
    assert.throws(() => prepare({ fileNamePattern: 'a/b' }),
      (e: unknown) => e instanceof SettingsError && e.setting === 'neuralStyle.fileNamePattern');
  });
});
