import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');
const metafile = path.join(root, 'extension', 'dist', 'extension.meta.json');
/** What the extension host may import from the engine (the `exports` entries without tfjs). */
const HOST_ENTRIES = ['options', 'duration', 'result-parameters', 'protocol', 'schema', 'atomic', 'png-text',
  'image-protocol', 'file-names', 'engine-client'].map((entry) => `@neural-style/engine/${entry}`);
/** The engine's Node files the host bundle may hold (the light entries'). */
const HOST_NODE_FILES = ['atomic', 'png-text', 'engine-client', 'process-client'];
const HEAVY = /@tensorflow|tfjs|[\\/]sharp[\\/]|@img[\\/]/;

describe('package boundaries', () => {
  it('the host bundle holds no tfjs (nor sharp), only the engine\'s light entries', () => {
    if (!fs.existsSync(metafile)) {
      throw new Error('extension/dist/extension.meta.json is missing: run `pnpm build` first (pnpm test does).');
    }
    const meta = JSON.parse(fs.readFileSync(metafile, 'utf8')) as {
      inputs: Record<string, unknown>;
      outputs: Record<string, { imports: Array<{ path: string; external?: boolean }> }>;
    };
    const inputs = Object.keys(meta.inputs);
    assert.ok(inputs.includes('src/extension.ts'), 'not the host bundle');
    const engine = inputs.filter((i) => i.includes('packages/engine/'));
    assert.ok(engine.some((i) => i.endsWith('dist/protocol.js')), `the engine's protocol is not in the bundle: `
      + `${engine.join(', ')}`);
    assert.deepStrictEqual(inputs.filter((i) => HEAVY.test(i)), []);
    const light = (i: string) => HOST_NODE_FILES.some((f) => i.endsWith(`dist/node/${f}.js`));
    const heavyNode = (i: string) => /dist\/node\//.test(i) && !light(i);
    assert.deepStrictEqual(engine.filter((i) => /dist\/(index|worker|cli)\.js$/.test(i) || heavyNode(i)), []);
    const imports = Object.values(meta.outputs).flatMap((o) => o.imports);
    const externals = imports.filter((i) => i.external).map((i) => i.path);
    const builtIn = /^(vscode|fs|fs\/promises|path|crypto|child_process|os|zlib)$/;
    assert.deepStrictEqual([...new Set(externals.filter((p) => !builtIn.test(p)))], []);
  });

  it('each entry the host imports loads no tfjs when required', () => {
    const script = `for (const e of ${JSON.stringify(HOST_ENTRIES)}) require(e);
      process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
    const output = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    const loaded: string[] = JSON.parse(output);
    assert.ok(loaded.some((f) => f.endsWith(path.join('dist', 'protocol.js'))), 'the entries did not load');
    assert.deepStrictEqual(loaded.filter((f) => HEAVY.test(f)), []);
  });

  it('the engine is reachable only through its exports map', () => {
    for (const entry of HOST_ENTRIES) assert.ok(require.resolve(entry));
    assert.match(require.resolve('@neural-style/engine/worker'), /packages[\\/]engine[\\/]dist[\\/]worker\.js$/);
    assert.throws(() => require.resolve('@neural-style/engine/dist/core/options.js'),
      { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  });
});
