// Lays out the folder vsce packages for one target, extension/out/vsix/<target>/, since
// `vsce package --no-dependencies` takes no node_modules of its own:
//   package.json, README, CHANGELOG, LICENSE, l10n, dist, icon   the extension (.vscodeignore picks from dist)
//   engine/dist                    the bundled engine processes and the wasm files (bundle-engine.mjs)
//   engine/weights/vgg19           the bundled VGG19 weights and their licence
//   engine/node_modules/sharp …    sharp, its JS dependencies and the target's native package + libvips
//   engine/node_modules/webgpu     Dawn's binding with the target's dawn.node only (dawn.mjs)
//   media/styles/                  the style presets, their list and their licences
// Usage: node scripts/prepackage.mjs [--target <t>[,<t>…]]    (this machine's target by default)
import { cpSync, existsSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyDawn } from './dawn.mjs';
import { findPackage, readManifest } from './find-package.mjs';
import { sharpNatives } from './sharp-natives.mjs';
import { targetsFromArgs } from './targets.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(root, '..');
const engineDir = join(repo, 'packages', 'engine');
const SHIPPED = ['package.json', 'package.nls.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'l10n', 'dist', 'media/icon.png'];
// What packages carry for building or typing them, never run: C/C++ sources and headers, type declarations.
const BUILD_ONLY = /\.(d\.[cm]?ts|h|hpp|c|cc|cpp|gyp|gypi|map)$/;

/**
 * sharp and, recursively, what it depends on, as real files out of pnpm's store; of sharp's natives only the target's.
 */
function copySharp(target, modules) {
  const sharpDir = realpathSync(dirname(findPackage('sharp', engineDir)));
  const natives = sharpNatives(target, { repo, sharpDir });
  const copied = new Set();
  const copy = (name, fromDir, optional) => {
    if (copied.has(name)) return;
    const manifest = name.startsWith('@img/sharp-') ? null : findPackage(name, fromDir);
    const dir = natives.get(name) ?? (manifest && realpathSync(dirname(manifest)));
    if (!dir) {
      if (optional) return; // another platform's native package
      throw new Error(`${name}, which sharp needs, is not installed: run pnpm install first.`);
    }
    copied.add(name);
    // Not the package's own node_modules (pnpm's .bin links live there).
    const shipped = (f) => !relative(dir, f).split(sep).includes('node_modules') && !BUILD_ONLY.test(f);
    cpSync(dir, join(modules, name), { recursive: true, dereference: true, filter: shipped });
    const pkg = readManifest(dir);
    for (const dep of Object.keys(pkg.dependencies ?? {})) copy(dep, dir, false);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) copy(dep, dir, true);
  };
  copy('sharp', engineDir, false);
  return [...copied];
}

/** Lays out `target`'s folder and returns its path. */
export function prepackage(target) {
  const out = join(root, 'out', 'vsix', target);
  if (!existsSync(join(root, 'engine', 'dist', 'worker.js'))) throw new Error('engine/dist/worker.js is missing: run node scripts/build.mjs --production first.');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const file of SHIPPED) cpSync(join(root, file), join(out, file), { recursive: true });
  cpSync(join(root, 'engine', 'dist'), join(out, 'engine', 'dist'), { recursive: true });
  cpSync(join(engineDir, 'weights', 'vgg19'), join(out, 'engine', 'weights', 'vgg19'), { recursive: true });
  const modules = join(out, 'engine', 'node_modules');
  const copied = [...copySharp(target, modules), copyDawn(target, { engineDir, modules }) ?? 'no webgpu (Dawn has no build here)'];
  cpSync(join(repo, 'media', 'styles'), join(out, 'media', 'styles'), { recursive: true });
  cpSync(join(repo, 'media', 'LICENSES-images.md'), join(out, 'media', 'styles', 'LICENSES-images.md'));
  console.log(`prepackage ${target}: the extension, the engine, the weights, ${copied.join(', ')} and the style presets in ${relative(root, out)}`);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) targetsFromArgs(process.argv.slice(2)).forEach(prepackage);
