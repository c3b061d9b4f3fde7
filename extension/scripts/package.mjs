// pnpm package [--target <t>[,<t>…]] | pnpm package:all: the production build once, then for each
// target its folder (prepackage.mjs) packaged by `vsce package --target`, opened and checked
// (inspect-vsix.mjs: a package with another platform's binary is refused), and its size printed.
// No --target: this machine's package, the one the e2e installs. --out-dir <dir>: where the
// packages go (extension/ by default).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binaryLabel } from './binaries.mjs';
import { inspectVsix } from './inspect-vsix.mjs';
import { prepackage } from './prepackage.mjs';
import { targetsFromArgs, vsixName } from './targets.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const targets = targetsFromArgs(argv);
const outDir = resolve(option('--out-dir') ?? root);
const vsceBin = join(dirname(createRequire(join(root, 'package.json')).resolve('@vscode/vsce/package.json')), 'vsce');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Packages `target` and checks the package; returns its inspection. */
function packageTarget(target) {
  const folder = prepackage(target);
  const out = join(outDir, vsixName(manifest, target));
  execFileSync(process.execPath, [vsceBin, 'package', '--target', target, '--no-dependencies', '--out', out], { cwd: folder, stdio: ['ignore', 'ignore', 'inherit'] });
  const report = inspectVsix(out, target);
  if (report.problems.length) throw new Error(`${relative(process.cwd(), out)} is not a good ${target} package:\n  ${report.problems.join('\n  ')}`);
  rmSync(folder, { recursive: true, force: true }); // kept only when something is wrong, to look into
  console.log(`${relative(process.cwd(), out)}: ${mb(report.bytes)}, ${report.files} files; native: ${report.natives.map((n) => `${n.name.split('/').pop()} (${binaryLabel(n)})`).join(', ')}`);
  return { target, file: out, ...report };
}

mkdirSync(outDir, { recursive: true });
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { stdio: 'inherit' });
const built = targets.map(packageTarget);
if (built.length > 1) {
  console.log('\n| target | package | size |\n|---|---|---|');
  for (const b of built) console.log(`| ${b.target} | ${relative(root, b.file)} | ${mb(b.bytes)} |`);
}
