// Dawn's Node binding (the webgpu package) for a target: its package.json, its entry, its licence and
// only that target's dist folder (dawn.node, and on Windows the DirectX compilers beside it). The
// engine finds it with require.resolve('webgpu') from engine/dist/worker.js. Its dependencies
// (@webgpu/types, debug) are not needed at run time: the entry must import nothing but Node's own
// modules, or packaging stops.
import { cpSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { findPackage, readManifest } from './find-package.mjs';
import { TARGETS } from './targets.mjs';

/** The modules a source imports by name: import … from '…', import '…', import('…'), require('…'). */
export function importedModules(source) {
  const found = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g);
  return [...new Set([...found].map((m) => m[2]))];
}

/** Copies `target`'s webgpu into `modules`/webgpu; returns what was copied, or null where Dawn has no build. */
export function copyDawn(target, { engineDir, modules }) {
  const dist = TARGETS[target].dawn;
  if (!dist) return null;
  const manifest = findPackage('webgpu', engineDir);
  if (!manifest) throw new Error('The webgpu package is not installed: run pnpm install first.');
  const dir = realpathSync(dirname(manifest));
  const { version, main = 'index.js' } = readManifest(dir);
  const foreign = importedModules(readFileSync(join(dir, main), 'utf8')).filter((name) => !isBuiltin(name));
  if (foreign.length) throw new Error(`webgpu ${version}'s ${main} imports ${foreign.join(', ')}: ship those too before packaging it.`);
  const licences = readdirSync(dir).filter((f) => /^(licen[cs]e|copying|notice)/i.test(f));
  const out = join(modules, 'webgpu');
  for (const file of ['package.json', main, ...licences]) cpSync(join(dir, file), join(out, file));
  cpSync(join(dir, 'dist', dist), join(out, 'dist', dist), { recursive: true });
  return `webgpu ${version} (dist/${dist})`;
}
