// Bundles the extension with esbuild: one entry per runtime.
//   host    src/extension.ts   → dist/extension.js   (node, `vscode` external)
//   webview webview/main.ts    → dist/webview.js     (browser) + webview.css, icon.svg
//   compute webview/compute/index.ts → dist/compute.js (browser: the engine core on tfjs's WebGPU and
//           WebGL2 backends; the panel loads it only for a job that runs on the GPU)
//   tests   ../test/extension/host/*.ts → out/test/*.js (node; run by @vscode/test-electron)
// --production minifies and also bundles the engine process (see bundle-engine.mjs).
// Type-checking is the root `tsc -b` (or pnpm typecheck here); esbuild only strips types.
// The host build's metafile (dist/extension.meta.json) lists every module in the bundle: a unit
// test reads it to check that the host never loads tfjs.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// A production bundle leaves the test-only parts out (shared/testBuild.ts).
const define = { NEURAL_STYLE_TEST_BUILD: String(!production) };
const common = {
  bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root, define,
};

const hostTests = '../test/extension/host';
const testEntries = readdirSync(join(root, hostTests)).filter((f) => f.endsWith('.ts')).map((f) => `${hostTests}/${f}`);

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], metafile: true },
  { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
  { ...common, entryPoints: ['webview/compute/index.ts'], outfile: 'dist/compute.js', platform: 'browser', format: 'iife', target: 'es2022' },
  // The bench page's code (pnpm bench --browser); not in the .vsix.
  { ...common, entryPoints: ['webview/compute/bench.ts'], outfile: 'dist/compute-bench.js', platform: 'browser', format: 'iife', target: 'es2022' },
  { ...common, minify: false, sourcemap: true, entryPoints: testEntries, outdir: 'out/test', outbase: hostTests, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode', 'mocha', '@vscode/test-electron'] },
];

function copyAssets() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  copyFileSync(join(root, 'webview/webview.css'), join(root, 'dist/webview.css'));
  copyFileSync(join(root, 'media/icon.svg'), join(root, 'dist/icon.svg'));
}

function writeMetafile(result) {
  if (result.metafile) writeFileSync(join(root, 'dist/extension.meta.json'), JSON.stringify(result.metafile));
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  copyAssets();
} else {
  const t0 = Date.now();
  rmSync(join(root, 'out/test'), { recursive: true, force: true }); // a deleted test's old bundle must not run
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  copyAssets();
  results.forEach(writeMetafile);
  if (production) await import('./bundle-engine.mjs');
  console.log(`extension built in ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
}
