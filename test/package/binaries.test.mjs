// The header reader the package check stands on, on real binaries of every platform: webgpu's
// tarball carries Dawn for darwin, linux and win32, whatever platform installed it.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeBinary, elfLibc, runsOn } from '../../extension/scripts/binaries.mjs';
import { importedModules } from '../../extension/scripts/dawn.mjs';
import { TARGETS } from '../../extension/scripts/targets.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const webgpu = dirname(createRequire(join(repo, 'packages', 'engine', 'package.json')).resolve('webgpu'));
const dawn = (folder, file = 'dawn.node') => describeBinary(readFileSync(join(webgpu, 'dist', folder, file)));

describe('native binary headers', () => {
  it('a universal Mach-O lists both slices and runs on both macOS targets only', () => {
    const binary = dawn('darwin-universal');
    assert.deepEqual({ format: binary.format, universal: binary.universal, arches: binary.arches }, { format: 'macho', universal: true, arches: ['x64', 'arm64'] });
    for (const [target, { binary: expected }] of Object.entries(TARGETS)) assert.equal(runsOn(binary, expected), target.startsWith('darwin-'), target);
  });

  it('PE files say their machine: x64 and arm64 Dawn with their DirectX compilers', () => {
    for (const file of ['dawn.node', 'd3dcompiler_47.dll', 'dxcompiler.dll']) {
      assert.deepEqual(dawn('win32-x64', file), { format: 'pe', arch: 'x64' }, file);
      assert.deepEqual(dawn('win32-arm64', file), { format: 'pe', arch: 'arm64' }, file);
    }
    assert.ok(!runsOn(dawn('win32-arm64'), TARGETS['win32-x64'].binary));
  });

  it('ELF shared objects: the machine, and glibc from the C library they need', () => {
    for (const [folder, arch] of [['linux-x64', 'x64'], ['linux-arm64', 'arm64']]) {
      const binary = dawn(folder);
      assert.equal(binary.format, 'elf');
      assert.equal(binary.arch, arch);
      assert.equal(binary.interpreter, null, 'a shared object has no interpreter');
      assert.ok(binary.needed.includes('libc.so.6'), binary.needed.join(', '));
      assert.equal(binary.libc, 'glibc');
    }
    assert.ok(runsOn(dawn('linux-x64'), TARGETS['linux-x64'].binary));
    assert.ok(!runsOn(dawn('linux-x64'), TARGETS['alpine-x64'].binary), 'a glibc binary is no Alpine binary');
    assert.ok(!runsOn(dawn('linux-arm64'), TARGETS['linux-x64'].binary));
  });

  it('an executable\'s interpreter tells glibc from musl', function () {
    if (process.platform !== 'linux') {
      console.log(`      skipped: Node, the executable read here, is no ELF file on ${process.platform}`);
      this.skip();
    }
    const node = describeBinary(readFileSync(process.execPath));
    assert.equal(node.format, 'elf');
    assert.match(node.interpreter, /^\/lib.*\/ld-(linux|musl)-/);
    assert.equal(node.libc, /ld-musl/.test(node.interpreter) ? 'musl' : 'glibc');
  });

  it('musl and glibc by name; null when nothing says', () => {
    assert.equal(elfLibc({ interpreter: '/lib/ld-musl-x86_64.so.1', needed: [] }), 'musl');
    assert.equal(elfLibc({ interpreter: null, needed: ['libstdc++.so.6', 'libc.musl-x86_64.so.1'] }), 'musl');
    assert.equal(elfLibc({ interpreter: '/lib64/ld-linux-x86-64.so.2', needed: ['libc.so.6'] }), 'glibc');
    assert.equal(elfLibc({ interpreter: null, needed: ['libvips-cpp.so.42'] }), null);
  });

  it('is null for what is no native binary: text, a wasm module, a Java class', () => {
    assert.equal(describeBinary(readFileSync(join(webgpu, 'index.js'))), null);
    assert.equal(describeBinary(Buffer.concat([Buffer.from('\0asm\x01\0\0\0'), Buffer.alloc(64)])), null);
    assert.equal(describeBinary(Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]),
      Buffer.alloc(64)])), null);
  });
});

describe('webgpu at run time', () => {
  it('its entry imports nothing but Node\'s own modules (its dependencies stay out of the packages)', () => {
    const found = importedModules(readFileSync(join(webgpu, 'index.js'), 'utf8'));
    assert.ok(found.length >= 3, found.join(', '));
    assert.deepEqual(found.filter((name) => !name.startsWith('node:') && !['module', 'path', 'url'].includes(name)), []);
  });

  it('an entry that imports a package is caught, however it imports it', () => {
    const source = "import debug from 'debug';\nimport 'side-effect';\nconst t = await import(\"@webgpu/types\");\nconst { join } = require('node:path');";
    assert.deepEqual(importedModules(source), ['debug', 'side-effect', '@webgpu/types', 'node:path']);
  });
});
