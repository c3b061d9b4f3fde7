// Builds platform packages as a release does (pnpm package --target <t>), opens each .vsix and reads
// every native binary's own header. Two targets by default, one Mach-O and one PE, neither this
// machine's; NS_PACKAGE_TARGETS=all (or a comma-separated list) builds others. pnpm package:all
// checks all seven the same way as it builds them.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectVsix } from '../../extension/scripts/inspect-vsix.mjs';
import { findPackage } from '../../extension/scripts/find-package.mjs';
import { checkStaged, stagingFolder } from '../../extension/scripts/sharp-natives.mjs';
import { TARGET_NAMES, TARGETS, vsixName } from '../../extension/scripts/targets.mjs';
import { readZip } from '../../extension/scripts/zip.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const extension = join(repo, 'extension');
const manifest = JSON.parse(readFileSync(join(extension, 'package.json'), 'utf8'));
const wanted = process.env.NS_PACKAGE_TARGETS === 'all' ? TARGET_NAMES : (process.env.NS_PACKAGE_TARGETS ?? 'darwin-arm64,win32-x64').split(',');
const MODULES = 'extension/engine/node_modules/';
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH/;

/** Runs pnpm package's script for `target` into `out`; the first run also makes the production build. */
function packageTarget(target, out, build) {
  const args = [join(extension, 'scripts', 'package.mjs'), '--target', target, '--out-dir', out, ...(build ? [] : ['--no-build'])];
  execFileSync(process.execPath, args, { cwd: extension, stdio: ['ignore', 'pipe', 'pipe'] });
  return join(out, vsixName(manifest, target));
}

describe('platform packages', function () {
  this.timeout(900_000);
  const out = mkdtempSync(join(tmpdir(), 'ns-vsix-'));
  const built = new Map();

  before(function () {
    for (const [i, target] of wanted.entries()) {
      try {
        built.set(target, packageTarget(target, out, i === 0));
      } catch (e) {
        const said = `${e.stderr ?? e.message}`;
        if (!OFFLINE.test(said) || process.env.CI === 'true') throw new Error(`pnpm package --target ${target} failed:\n${said}`);
        console.log(`      skipped: another platform's sharp comes from the npm registry, which is out of reach (${said.match(OFFLINE)[0]})`);
        this.skip();
      }
    }
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  for (const target of wanted) {
    describe(target, () => {
      const { sharp, dawn } = TARGETS[target];

      it('declares its target, is named for it, and every native binary in it is the target\'s', () => {
        const report = inspectVsix(built.get(target), target);
        assert.deepEqual(report.problems, []);
        assert.equal(report.target, target);
        assert.equal(report.manifest.name, manifest.name);
        assert.ok(report.natives.length >= (dawn ? 2 : 1), report.natives.map((n) => n.name).join(', '));
      });

      it('carries sharp\'s native package for the target, and Dawn\'s where it has a build, and no other platform\'s', () => {
        const names = readZip(built.get(target)).map((e) => e.name);
        const nativePackages = [...new Set(names.filter((n) => n.startsWith(`${MODULES}@img/sharp-`)).map((n) => n.split('/')[4]))];
        assert.deepEqual(nativePackages.filter((p) => p !== `sharp-${sharp}` && p !== `sharp-libvips-${sharp}`), []);
        assert.ok(names.includes(`${MODULES}@img/sharp-${sharp}/lib/sharp-${sharp}.node`));
        const dawnFolders = [...new Set(names.filter((n) => n.startsWith(`${MODULES}webgpu/dist/`)).map((n) => n.split('/')[5]))];
        assert.deepEqual(dawnFolders, dawn ? [dawn] : []);
        const webgpuRest = names.filter((n) => n.startsWith(`${MODULES}webgpu/`) && !n.startsWith(`${MODULES}webgpu/dist/`));
        assert.deepEqual(webgpuRest.sort(), dawn ? ['LICENSE.md', 'index.js', 'package.json'].map((f) => `${MODULES}webgpu/${f}`) : []);
        assert.ok(!names.some((n) => /(^|\/)(@webgpu\/types|debug)\//.test(n.slice(MODULES.length))), 'webgpu\'s dependencies are not needed at run time');
      });
    });
  }

  it('a package checked against another target is refused, binary by binary', function () {
    if (!built.has('win32-x64')) this.skip();
    const report = inspectVsix(built.get('win32-x64'), 'darwin-arm64');
    assert.ok(report.problems.includes('its manifest declares target win32-x64, not darwin-arm64'), report.problems.join('\n'));
    for (const file of ['sharp-win32-x64.node', 'libvips-42.dll', 'dawn.node', 'dxcompiler.dll', 'd3dcompiler_47.dll']) {
      assert.ok(report.problems.some((p) => p.includes(`/${file} is PE x64: not a darwin-arm64 binary`)), file);
    }
  });

  it('the same wasm engine, weights and presets in every package', function () {
    if (built.size < 2) this.skip();
    const shared = (file) => new Map(readZip(file).filter((e) => /^extension\/(engine\/(dist|weights)|media\/styles)\//.test(e.name)).map((e) => [e.name, e.read().toString('base64')]));
    const [first, ...rest] = [...built.values()].map(shared);
    assert.ok(first.size > 20);
    for (const other of rest) assert.deepEqual(other, first);
  });

  it('the staged natives are refused when they are not the tarballs pnpm-lock.yaml pins', function () {
    const foreign = wanted.find((t) => built.has(t) && TARGETS[t].sharp !== 'linux-x64');
    if (!foreign) this.skip();
    const sharpVersion = JSON.parse(readFileSync(findPackage('sharp', join(repo, 'packages', 'engine')), 'utf8')).version;
    const modules = join(stagingFolder(repo, foreign, sharpVersion), 'node_modules');
    const name = `@img/sharp-${TARGETS[foreign].sharp}`;
    const lock = readFileSync(join(repo, 'pnpm-lock.yaml'), 'utf8');
    checkStaged(modules, [name], lock);
    const altered = lock.replace(new RegExp(`(  '${name}@[^']+':\\n    resolution: \\{integrity: sha512-)(.)`), (_, head, c) => `${head}${c === 'A' ? 'B' : 'A'}`);
    assert.notEqual(altered, lock);
    assert.throws(() => checkStaged(modules, [name], altered), new RegExp(`${name}@[\\d.]+ from the registry .* is not the one pnpm-lock.yaml pins`));
  });
});
