// The platforms a .vsix is built for (vsce's --target names) and the native parts each one carries:
//   sharp  the @img/sharp-<sharp> package (and @img/sharp-libvips-<sharp> where sharp ships libvips apart)
//   dawn   the webgpu package's dist/<dawn>/ folder (dawn.node; none where Dawn has no build)
//   binary what every native file in the package must be, as read from its header (binaries.mjs)
// The Marketplace and Open VSX give each machine its target's package by themselves.
export const TARGETS = {
  'win32-x64': { os: 'win32', cpu: 'x64', sharp: 'win32-x64', dawn: 'win32-x64', binary: { format: 'pe', arch: 'x64' } },
  'win32-arm64': { os: 'win32', cpu: 'arm64', sharp: 'win32-arm64', dawn: 'win32-arm64', binary: { format: 'pe', arch: 'arm64' } },
  // Dawn builds one universal (x64 + arm64) dawn.node for macOS.
  'darwin-x64': { os: 'darwin', cpu: 'x64', sharp: 'darwin-x64', dawn: 'darwin-universal', binary: { format: 'macho', arch: 'x64' } },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64', sharp: 'darwin-arm64', dawn: 'darwin-universal', binary: { format: 'macho', arch: 'arm64' } },
  'linux-x64': { os: 'linux', cpu: 'x64', libc: 'glibc', sharp: 'linux-x64', dawn: 'linux-x64', binary: { format: 'elf', arch: 'x64', libc: 'glibc' } },
  'linux-arm64': { os: 'linux', cpu: 'arm64', libc: 'glibc', sharp: 'linux-arm64', dawn: 'linux-arm64', binary: { format: 'elf', arch: 'arm64', libc: 'glibc' } },
  // Alpine: musl builds of sharp; Dawn has none, so the webview's GPU and wasm serve there.
  'alpine-x64': { os: 'linux', cpu: 'x64', libc: 'musl', sharp: 'linuxmusl-x64', dawn: null, binary: { format: 'elf', arch: 'x64', libc: 'musl' } },
};

export const TARGET_NAMES = Object.keys(TARGETS);

/** Whether this Node runs on musl: its report names a glibc only where there is one. */
function runsOnMusl() {
  return process.platform === 'linux' && !process.report?.getReport().header.glibcVersionRuntime;
}

/** The target of a machine (this one by default), or null when none of the packages is for it. */
export function targetOf(platform = process.platform, arch = process.arch, musl = runsOnMusl()) {
  const os = platform === 'linux' && musl ? 'alpine' : platform;
  const name = `${os}-${arch}`;
  return Object.hasOwn(TARGETS, name) ? name : null;
}

/**
 * The targets a command line names: `--all`, `--target <t>[,<t>…]`, else this machine's; throws naming the valid ones.
 */
export function targetsFromArgs(argv) {
  if (argv.includes('--all')) return TARGET_NAMES;
  const at = argv.indexOf('--target');
  const names = at >= 0 ? (argv[at + 1] ?? '').split(',') : [targetOf()];
  const unknown = names.filter((name) => !name || !Object.hasOwn(TARGETS, name));
  if (!unknown.length) return names;
  const what = at >= 0 ? `Unknown target "${unknown[0] ?? ''}".` : `This machine (${process.platform}-${process.arch}) has no package of its own.`;
  throw new Error(`${what} Use --target with one of: ${TARGET_NAMES.join(', ')} (or --all).`);
}

/** vsce's own name for a platform package: <name>-<target>-<version>.vsix. */
export function vsixName(manifest, target) {
  return `${manifest.name}-${target}-${manifest.version}.vsix`;
}
