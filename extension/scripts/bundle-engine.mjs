// Bundles the engine process (packages/engine/src/worker.ts) into engine/dist/worker.js:
// tfjs and the wasm backend go into the bundle; the backend's .wasm files go beside it,
// where the bundled backend looks for them (its __dirname). sharp stays external: it is a
// native module, copied with its platform binary by prepackage.mjs; so is webgpu (Dawn's binding,
// found by require.resolve at run time: dawn.mjs ships the target's dawn.node). tfjs-node(-gpu)
// are optional and loaded by name at run time, so they stay out (the engine then uses wasm).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const engineDir = join(root, '..', 'packages', 'engine');
const out = join(root, 'engine', 'dist');
const EXTERNAL = ['sharp', 'webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];
// The tests' fault seam (worker.ts) is not in the processes a .vsix ships.
const define = { 'process.env.NEURAL_STYLE_TEST_FAULT': 'undefined' };
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: [join(engineDir, 'src', 'worker.ts')],
  outfile: join(out, 'worker.js'),
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, sourcemap: false, logLevel: 'error',
  external: EXTERNAL, define,
});
// The image process: decodes and writes for jobs that compute in a webview (extension/src/imageProcess.ts).
await esbuild.build({
  entryPoints: [join(engineDir, 'src', 'image-worker.ts')],
  outfile: join(out, 'image-worker.js'),
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, sourcemap: false, logLevel: 'error',
  external: EXTERNAL, define,
});
const requireFromEngine = createRequire(join(engineDir, 'package.json'));
const wasmDir = dirname(requireFromEngine.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, f), join(out, f));
// The threaded wasm build (both cores) and its pthread worker entry, found beside the bundle
// by packages/engine/src/node/wasm-threads.ts.
const wasmOut = join(dirname(requireFromEngine.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
for (const f of ['tfjs-backend-wasm-threaded-simd.js', 'tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-backend-wasm-threaded-simd.worker.js']) {
  copyFileSync(join(wasmOut, f), join(out, f));
}
copyFileSync(join(engineDir, 'wasm', 'pthread-worker.cjs'), join(out, 'pthread-worker.cjs'));
console.log(`engine bundled into ${out}`);
