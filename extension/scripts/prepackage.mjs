// Copies into the extension folder what the packaged engine needs at run time
// (`vsce package --no-dependencies` takes no node_modules of its own):
//   engine/weights/vgg19           the bundled VGG19 weights
//   engine/node_modules/sharp …    sharp, its JS dependencies and this platform's native
//                                  binary (@img/sharp-<os>-<arch> + libvips): the .vsix is per platform
//   media/styles/                  the style presets, their list and their licences
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(root, '..');
const engineDir = join(repo, 'packages', 'engine');
const target = join(root, 'engine');

rmSync(join(target, 'weights'), { recursive: true, force: true });
cpSync(join(engineDir, 'weights', 'vgg19'), join(target, 'weights', 'vgg19'), { recursive: true });

// A package and, recursively, the dependencies that are installed (optional ones
// for other platforms are not), each copied as real files out of pnpm's store.
const modules = join(target, 'node_modules');
rmSync(modules, { recursive: true, force: true });
const copied = new Set();
// Node's lookup, by hand: some packages (@img/*) do not export their package.json.
function findPackage(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}
function copyPackage(name, fromDir) {
  if (copied.has(name)) return;
  const manifest = findPackage(name, fromDir);
  if (!manifest) return; // an optional dependency for another platform
  const dir = realpathSync(dirname(manifest));
  copied.add(name);
  cpSync(dir, join(modules, name), { recursive: true, dereference: true });
  const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) copyPackage(dep, dir);
}
copyPackage('sharp', engineDir);
if (![...copied].some((n) => n.startsWith('@img/sharp-libvips-') || n.startsWith('@img/sharp-wasm'))) {
  throw new Error('sharp\'s native binary for this platform is not installed: run pnpm install first.');
}

const styles = join(root, 'media', 'styles');
rmSync(styles, { recursive: true, force: true });
cpSync(join(repo, 'media', 'styles'), styles, { recursive: true });
cpSync(join(repo, 'media', 'LICENSES-images.md'), join(styles, 'LICENSES-images.md'));
if (!existsSync(join(target, 'dist', 'worker.js'))) throw new Error('engine/dist/worker.js is missing: run node scripts/build.mjs --production first.');
mkdirSync(target, { recursive: true });
console.log(`prepackage: weights, ${[...copied].join(', ')} and the style presets copied`);
