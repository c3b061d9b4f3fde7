#!/usr/bin/env node
// pnpm device-kit [--fast] [--standalone]: builds .device-kit/ (ignored by git), everything a Linux
// x64 GPU machine with no Node and no registry needs to benchmark the engine on Dawn's WebGPU and
// PyTorch beside it: this Node (xz), the engine's GPU benchmark bundled by esbuild (bench-gpu.ts),
// the webgpu package with linux-x64's dawn.node (xz), the photo and the painting as raw RGB, the
// Vulkan loader as a Debian package, the PyTorch reference, and run.sh. The weights are the
// repository's (packages/engine/weights, tracked), which the device tool carries with the kit:
// together they must stay under its 64 MiB. --standalone copies them in too (a kit to carry
// alone); --fast compresses with xz -0 (the kit's own test).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const engine = join(here, '..', '..');
const root = join(engine, '..', '..');
const kit = join(root, '.device-kit');
const fast = process.argv.includes('--fast');
const standalone = process.argv.includes('--standalone');
/** What one device run may carry, the repository included, less a margin. */
const LIMIT_MIB = 60;
const fromEngine = createRequire(join(engine, 'package.json'));
const fromExtension = createRequire(join(root, 'extension', 'package.json'));

const xz = (from, to) => {
  execFileSync('sh', ['-c', `xz -T0 ${fast ? '-0' : '-6'} -c "$0" > "$1"`, from, to]);
};

/**
 * The engine's benchmark in one file: tfjs, its webgpu backend and the core inside; Dawn (an ES module with a native
 * part) beside it.
 */
async function bundle() {
  const esbuild = fromExtension('esbuild');
  await esbuild.build({
    entryPoints: [join(here, 'bench-gpu.ts')], outfile: join(kit, 'engine', 'bench-gpu.js'),
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, logLevel: 'error',
    external: ['webgpu', 'sharp', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  });
}

function webgpuPackage() {
  const dir = dirname(fromEngine.resolve('webgpu/package.json'));
  const to = join(kit, 'node_modules', 'webgpu');
  mkdirSync(join(to, 'dist', 'linux-x64'), { recursive: true });
  for (const f of ['package.json', 'index.js', 'LICENSE.md']) copyFileSync(join(dir, f), join(to, f));
  xz(join(dir, 'dist', 'linux-x64', 'dawn.node'), join(kit, 'dawn.node.xz'));
}

/**
 * The photo and the painting at 512 px, decoded here (the GPU machine has no sharp); the core scales them to each run's
 * size.
 */
async function images() {
  const sharp = fromEngine('sharp');
  mkdirSync(join(kit, 'images'), { recursive: true });
  for (const [name, file] of [['content', 'media/examples/chelsea.png'], ['style', 'media/styles/van_gogh_starry_night.jpg']]) {
    const { data, info } = await sharp(join(root, file)).resize(512, 512, { fit: 'inside' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    writeFileSync(join(kit, 'images', `${name}.rgb`), data);
    writeFileSync(join(kit, 'images', `${name}.json`), JSON.stringify({ width: info.width, height: info.height, from: file }));
  }
}

/**
 * Debian's Vulkan loader, for a machine that has none (amd64 whatever this machine is, as the device tool's README
 * says).
 */
function vulkanLoader() {
  const to = join(kit, 'deb');
  mkdirSync(to, { recursive: true });
  const amd64 = ['-oAPT::Architecture=amd64', '-oAPT::Architectures=amd64', '-oDir::State::Lists=/tmp/amd64-lists'];
  try {
    execFileSync('apt-get', ['download', 'libvulkan1:amd64'], { cwd: to, stdio: 'pipe' });
  } catch {
    mkdirSync('/tmp/amd64-lists/partial', { recursive: true });
    execFileSync('apt-get', [...amd64, 'update'], { stdio: 'pipe' });
    execFileSync('apt-get', [...amd64, 'download', 'libvulkan1'], { cwd: to, stdio: 'pipe' });
  }
}

function mib(path) {
  if (statSync(path).isFile()) return statSync(path).size / 2 ** 20;
  return readdirSync(path).reduce((sum, f) => sum + mib(join(path, f)), 0);
}

const t0 = Date.now();
rmSync(kit, { recursive: true, force: true });
mkdirSync(kit, { recursive: true });
await bundle();
webgpuPackage();
xz(process.execPath, join(kit, 'node.xz'));
if (standalone) cpSync(join(engine, 'weights', 'vgg19'), join(kit, 'weights', 'vgg19'), { recursive: true });
await images();
const reference = join(root, '..', 'shared', 'reference', 'gatys_torch.py');
if (!existsSync(reference)) throw new Error(`The PyTorch reference is missing: ${reference} (../shared beside the repository).`);
mkdirSync(join(kit, 'reference'), { recursive: true });
copyFileSync(reference, join(kit, 'reference', 'gatys_torch.py'));
vulkanLoader();
copyFileSync(join(here, 'run.sh'), join(kit, 'run.sh'));
chmodSync(join(kit, 'run.sh'), 0o755);
/** The tracked files of the repository, which a device run carries beside the kit. */
function repositoryMib() {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  return files.reduce((sum, f) => sum + (existsSync(join(root, f)) ? statSync(join(root, f)).size : 0), 0) / 2 ** 20;
}

const size = mib(kit);
const carried = size + (standalone ? 0 : repositoryMib());
console.log(`device kit: ${kit}, ${size.toFixed(1)} MiB${standalone ? '' : ` (${carried.toFixed(1)} MiB with the repository it travels with)`}, `
  + `built in ${((Date.now() - t0) / 1000).toFixed(0)} s${fast ? ' (--fast: not the one to carry)' : ''}`);
console.log('run it there: device run with carry [".device-kit"] and the command "bash .device-kit/run.sh --budget-s 420"');
if (!fast && carried > LIMIT_MIB) throw new Error(`The kit is ${carried.toFixed(1)} MiB with what travels with it, over ${LIMIT_MIB} MiB: a device run carries at most 64 MiB.`);
