// Builds platform packages as a release does (pnpm package --target <t>), opens each .vsix and reads
// every native binary's own header. Two targets by default, one Mach-O and one PE, neither this
// machine's; NS_PACKAGE_TARGETS=all (or a comma-separated list) builds others. pnpm package:all
// checks all seven the same way as it builds them.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectVsix } from '../../extension/scripts/inspect-vsix.mjs';
import { findPackage } from '../../extension/scripts/find-package.mjs';
import { checkStaged, stagingFolder } from '../../extension/scripts/sharp-natives.mjs';
import { TARGET_NAMES, TARGETS, targetOf, vsixName } from '../../extension/scripts/targets.mjs';
import { readZip } from '../../extension/scripts/zip.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const extension = join(repo, 'extension');
const manifest = JSON.parse(readFileSync(join(extension, 'package.json'), 'utf8'));
const wanted = process.env.NS_PACKAGE_TARGETS === 'all' ? TARGET_NAMES : (process.env.NS_PACKAGE_TARGETS ?? 'darwin-arm64,win32-x64').split(',');
const MODULES = 'extension/engine/node_modules/';
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH/;

/** Skips a test that needs packages this run did not build, saying which. */
function skipUnless(test, needed, what) {
  if (needed) return;
  console.log(`      skipped: ${what} (NS_PACKAGE_TARGETS=${wanted.join(',')})`);
  test.skip();
}

/** Runs pnpm package's script for `targets` into `out`; returns each one's .vsix. */
function packageTargets(targets, out) {
  const args = [join(extension, 'scripts', 'package.mjs'), '--target', targets.join(','), '--out-dir', out];
  execFileSync(process.execPath, args, { cwd: extension, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Map(targets.map((t) => [t, join(out, vsixName(manifest, t))]));
}

describe('platform packages', function () {
  this.timeout(900_000);
  const out = mkdtempSync(join(tmpdir(), 'ns-vsix-'));
  let built = new Map();

  before(function () {
    try {
      built = packageTargets(wanted, out);
    } catch (e) {
      const said = `${e.stderr ?? e.message}`;
      if (!OFFLINE.test(said) || process.env.CI === 'true') throw new Error(`pnpm package --target ${wanted.join(',')} failed:\n${said}`);
      console.log(`      skipped: another platform's sharp comes from the npm registry, which is out of reach (${said.match(OFFLINE)[0]})`);
      this.skip();
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
    skipUnless(this, built.has('win32-x64'), 'needs the win32-x64 package');
    const report = inspectVsix(built.get('win32-x64'), 'darwin-arm64');
    assert.ok(report.problems.includes('its manifest declares target win32-x64, not darwin-arm64'), report.problems.join('\n'));
    for (const file of ['sharp-win32-x64.node', 'libvips-42.dll', 'dawn.node', 'dxcompiler.dll', 'd3dcompiler_47.dll']) {
      assert.ok(report.problems.some((p) => p.includes(`/${file} is PE x64: not a darwin-arm64 binary`)), file);
    }
  });

  it('the same wasm engine, weights and presets in every package', function () {
    skipUnless(this, built.size >= 2, 'needs two packages to compare');
    const shared = (file) => new Map(readZip(file).filter((e) => /^extension\/(engine\/(dist|weights)|media\/styles)\//.test(e.name)).map((e) => [e.name, e.read().toString('base64')]));
    const [first, ...rest] = [...built.values()].map(shared);
    assert.ok(first.size > 20);
    for (const other of rest) assert.deepEqual(other, first);
  });

  it('is ready for the Marketplace and Open VSX: links, banner, icon, changelog, licences, README images that render', function () {
    const entries = new Map(readZip([...built.values()][0]).map((e) => [e.name, e]));
    const text = (name) => entries.get(name)?.read().toString('utf8') ?? assert.fail(`${name} is not in the package`);
    const m = JSON.parse(text('extension/package.json'));
    const project = /github\.com\/([^/]+\/[^/.]+)/.exec(m.repository.url)?.[1];
    assert.ok(project, m.repository.url);
    assert.match(m.bugs.url, new RegExp(`^https://github.com/${project}/issues$`));
    assert.match(m.homepage, new RegExp(`^https://github.com/${project}`));
    assert.match(m.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(m.categories.length && m.keywords.length && m.keywords.length <= 30);
    const icon = entries.get(`extension/${m.icon.replace(/^\.\//, '')}`).read();
    assert.ok(icon.readUInt32BE(16) >= 128 && icon.readUInt32BE(20) >= 128, 'the icon is at least 128 × 128');
    assert.match(text('extension/changelog.md'), new RegExp(`^## ${m.version.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(text('extension/LICENSE.txt'), /^MIT License/);
    assert.match(text('extension/media/styles/LICENSES-images.md'), /public domain/);
    assert.match(text('extension/engine/weights/vgg19/README.md'), /CC BY 4\.0/);
    assert.match(text(`${MODULES}sharp/LICENSE`), /Apache License/);
    // The Marketplace shows README images only from https; each must be a file of this repository.
    const images = [...text('extension/readme.md').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((i) => i[1]);
    assert.ok(images.length >= 3, images.join(', '));
    for (const url of images) {
      const file = new RegExp(`^https://github.com/${project}/raw/HEAD/(.+)$`).exec(url)?.[1];
      assert.ok(file && existsSync(join(repo, file)), `${url} is no file of the repository`);
    }
  });

  it('the staged natives are refused when they are not the tarballs pnpm-lock.yaml pins', function () {
    const foreign = wanted.find((t) => built.has(t) && t !== targetOf());
    skipUnless(this, foreign, 'needs a package of another platform than this machine\'s');
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
