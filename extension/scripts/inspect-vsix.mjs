// Opens a built .vsix and lists what is wrong with it for its target: the target its manifest
// declares and its file name; every native binary, read from its own header (binaries.mjs), the
// target's, and only inside the target's packages; the target's sharp and dawn.node present; and
// no test, source map, bench or source file shipped. package.mjs refuses a package with a problem.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { binaryLabel, describeBinary, runsOn } from './binaries.mjs';
import { TARGETS, vsixName } from './targets.mjs';
import { readZip } from './zip.mjs';

const MODULES = 'extension/engine/node_modules/';
const NOT_SHIPPED = /\.(map|ts|cc|cpp|h|gyp|tsbuildinfo)$|\.(test|spec)\.|(^|[/.-])(test|tests|bench)([/.-]|$)/i;
const LOOKS_NATIVE = /\.(node|dll|dylib|exe|so)$|\.so\.\d/;

/** The folders a target's native binaries may sit in. */
function nativeFolders(target) {
  const { sharp, dawn } = TARGETS[target];
  return [`${MODULES}@img/sharp-${sharp}/`, `${MODULES}@img/sharp-libvips-${sharp}/`, ...(dawn ? [`${MODULES}webgpu/dist/${dawn}/`] : [])];
}

/** What must be in every package of `target`. */
function requiredFiles(target) {
  const { sharp, dawn } = TARGETS[target];
  return [`${MODULES}@img/sharp-${sharp}/lib/sharp-${sharp}.node`, ...(dawn ? [`${MODULES}webgpu/dist/${dawn}/dawn.node`, `${MODULES}webgpu/index.js`] : [])];
}

/** The problems of one entry: shipped by mistake, a foreign binary, or one outside the target's folders. */
function entryProblems(entry, binary, target) {
  const problems = [];
  if (NOT_SHIPPED.test(entry.name)) problems.push(`${entry.name} should not ship (a test, source map, bench or source file)`);
  if (!binary) {
    if (LOOKS_NATIVE.test(entry.name)) problems.push(`${entry.name} is named like a native binary but is no ELF, Mach-O or PE file`);
    return problems;
  }
  if (!runsOn(binary, TARGETS[target].binary)) problems.push(`${entry.name} is ${binaryLabel(binary)}: not a ${target} binary`);
  if (!nativeFolders(target).some((folder) => entry.name.startsWith(folder))) problems.push(`${entry.name} is a native binary outside ${target}'s own packages`);
  return problems;
}

/**
 * Reads the .vsix at `file`: { target, manifest, bytes, files, natives: [{ name, ...binary }], problems: [sentences] }.
 */
export function inspectVsix(file, target) {
  const entries = readZip(file);
  const text = (name) => entries.find((e) => e.name === name)?.read().toString('utf8');
  const declared = /<Identity\b[^>]*\bTargetPlatform="([^"]+)"/.exec(text('extension.vsixmanifest') ?? '')?.[1] ?? null;
  const manifest = JSON.parse(text('extension/package.json') ?? '{}');
  const problems = [];
  if (declared !== target) problems.push(`its manifest declares target ${declared ?? '(none)'}, not ${target}`);
  if (basename(file) !== vsixName(manifest, target)) problems.push(`it is named ${basename(file)}, not ${vsixName(manifest, target)}`);
  const natives = [];
  for (const entry of entries) {
    const binary = describeBinary(entry.read());
    if (binary) natives.push({ name: entry.name, ...binary });
    problems.push(...entryProblems(entry, binary, target));
  }
  for (const name of requiredFiles(target)) if (!entries.some((e) => e.name === name)) problems.push(`${name} is missing`);
  if (!TARGETS[target].dawn && entries.some((e) => e.name.startsWith(`${MODULES}webgpu/`))) problems.push(`webgpu ships, though Dawn has no ${target} build`);
  return { target: declared, manifest, bytes: statSync(file).size, files: entries.length, natives, problems };
}
