import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Engine, loadEngine, Progress, stylize } from '../../packages/engine/src/index';
import { RgbImage } from '../../packages/engine/src/core/pixels';
import { decodeImageFile } from '../../packages/engine/src/node/image';
import type { ScratchFiles } from '../../packages/engine/src/core/scratch-file';
import { openScratchFile } from '../../packages/engine/src/node/scratch-file';
import { hostImage } from '../../packages/engine/src/core/image/host-image';
import { arrayValues, MEMORY_STORE, storedInMemory, wholeOf } from '../../packages/engine/src/core/image/stored-image';
import { StoredPyramidMaps } from '../../packages/engine/src/core/optim/stored-pyramid';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const CONTENT = path.join(FIXTURES, 'chelsea-64.png');
export const STYLE = path.join(FIXTURES, 'starry-64.png');

let shared: Promise<Engine> | null = null;
/**
 * One engine (backend + weights) for the whole suite: loading takes seconds. NS_TEST_BACKEND runs a suite on another
 * backend (dawn.test.ts).
 */
export function testEngine(): Promise<Engine> {
  const asked = process.env.NS_TEST_BACKEND;
  shared ??= loadEngine({ backend: (asked ?? 'auto') as 'auto' }).then((engine) => {
    if (asked) console.log(`      backend: ${engine.backend.detail}`);
    return engine;
  });
  return shared;
}

export function tempDir(prefix = 'ns-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

let fixtures: Promise<{ content: RgbImage; style: RgbImage }> | null = null;
/** The fixture photo and painting at their own size (64 px), decoded once. */
export function fixtureImages(): Promise<{ content: RgbImage; style: RgbImage }> {
  fixtures ??= Promise.all([CONTENT, STYLE].map((f) => decodeImageFile(f, { maxInputPixels: 1e8 })))
    .then(([content, style]) => ({ content, style }));
  return fixtures;
}

/** A stylize of the fixtures with `base` under each call's options, recording every progress report. */
export function recordedRun(base: object) {
  return async (options: object, hooks = {}) => {
    const [engine, { content, style }] = await Promise.all([testEngine(), fixtureImages()]);
    const seen: Progress[] = [];
    const result = await stylize(engine.vgg, { content, styles: [style], options: { ...base, ...options } }, {
      onProgress: (p: Progress) => seen.push(p), ...hooks,
    });
    return { result, seen };
  };
}

/** Who a child runs as where permissions must count: root reads any file, so as root, nobody (65534). */
export const UNPRIVILEGED = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** Gives `paths` to the unprivileged user (a no-op when we are not root): it may then read, change and remove them. */
export function giveAway(...paths: string[]): void {
  if (UNPRIVILEGED.uid === undefined) return;
  for (const p of paths) fs.chownSync(p, UNPRIVILEGED.uid, UNPRIVILEGED.gid!);
}

/** Runs `args` with node (tsx loaded, from the repository root) as the unprivileged user. */
export function runUnprivileged(args: string[], timeout = 60_000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['-r', 'tsx/cjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout, ...UNPRIVILEGED });
}

/**
 * Mounts a small tmpfs at a new folder (we run as root in a container); null, with the reason, where that is not
 * possible.
 */
export function tinyDisk(options: string): { dir: string; unmount: () => void } | { skip: string } {
  const dir = tempDir('ns-tmpfs-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return { skip: `cannot mount a tmpfs here (${(r.stderr || r.error?.message || '').trim()})` };
  return { dir, unmount: () => spawnSync('umount', [dir]) };
}

/** Scratch files in a fresh folder, counted: `open()` is how many are not yet closed. */
export function countedScratchFiles(): { files: ScratchFiles; open: () => number; dir: string } {
  const dir = tempDir('ns-scratch-');
  let open = 0;
  const files: ScratchFiles = (values) => {
    const file = openScratchFile(values, dir);
    open += 1;
    let closed = false;
    return { ...file, close: () => { if (!closed) open -= 1; closed = true; file.close(); } };
  };
  return { files, open: () => open, dir };
}

/** The image of z and the gradient of dx through the stored pyramid's maps, bands of `bandValues` values. */
export function storedPyramid(h: number, w: number, z: Float32Array, dx: Float32Array, circular = false,
  bandValues?: number): { image: Float32Array; gradient: Float32Array } {
  const maps = new StoredPyramidMaps(h, w, circular, undefined, bandValues);
  const image = MEMORY_STORE(h, w, 3);
  maps.toImage(arrayValues(z), image);
  const gradient = new Float32Array(maps.length);
  maps.gradient(storedInMemory(hostImage(h, w, 3, dx)), arrayValues(gradient));
  return { image: wholeOf(image).data, gradient };
}
