// sharp's native packages for a target: @img/sharp-<p> and, where sharp ships it apart, its libvips.
// This machine's come from the workspace's install. Another platform's are installed the way sharp
// documents it, npm's --os/--cpu/--libc, into a staging folder under node_modules/.cache, at the
// version the installed sharp pins, and each tarball's integrity must be pnpm-lock.yaml's. Why not
// pnpm's supportedArchitectures: it applies to every package of the workspace, so every developer's
// install would fetch every platform's esbuild (two versions), vsce-sign and sharp.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findPackage, readManifest } from './find-package.mjs';
import { TARGETS, targetOf } from './targets.mjs';

/** The integrity pnpm-lock.yaml records for name@version, or null. */
export function lockedIntegrity(lockText, name, version) {
  const key = `${name}@${version}`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return lockText.match(new RegExp(`^  '?${key}'?:\\n    resolution: \\{integrity: ([^,}\\s]+)`, 'm'))?.[1] ?? null;
}

/** The native package of `target` and the libvips package it needs (when apart): their names. */
function nativeNames(target, nativeManifest) {
  const native = `@img/sharp-${TARGETS[target].sharp}`;
  const libvips = Object.keys(nativeManifest?.optionalDependencies ?? {}).filter((n) => n.startsWith('@img/sharp-libvips-'));
  return [native, ...libvips];
}

/** Throws unless every staged package is there and is, byte for byte, the tarball pnpm-lock.yaml pins. */
export function checkStaged(modules, names, lockText) {
  const hidden = JSON.parse(readFileSync(join(modules, '.package-lock.json'), 'utf8')).packages;
  for (const name of names) {
    const entry = hidden[`node_modules/${name}`];
    if (!entry || !existsSync(join(modules, name, 'package.json'))) throw new Error(`${name} is not in the staging folder ${modules}.`);
    const locked = lockedIntegrity(lockText, name, entry.version);
    if (locked !== entry.integrity) {
      throw new Error(`${name}@${entry.version} from the registry (${entry.integrity}) is not the one pnpm-lock.yaml pins (${locked ?? 'none'}).`);
    }
  }
}

function npmInstall(dir, target, sharpVersion) {
  const { os, cpu, libc } = TARGETS[target];
  const args = ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund',
    `--os=${os}`, `--cpu=${cpu}`, ...(libc ? [`--libc=${libc}`] : []), `sharp@${sharpVersion}`];
  try {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { stdio: 'pipe', shell: process.platform === 'win32' });
  } catch (e) {
    const said = `${e.stderr ?? ''}`.split('\n').filter((l) => /npm error (code|network|request)|E[A-Z]{3,}/.test(l)).slice(0, 3).join(' ');
    throw new Error(`Cannot install sharp's native packages for ${target} from the npm registry (npm ${args.join(' ')}: ${said || e.message}). `
      + 'Packaging for another platform needs the registry once (then its cache); this machine\'s package does not.');
  }
}

/** Where `target`'s natives for sharp `version` are staged (a cache: a clean install empties it). */
export function stagingFolder(repo, target, version) {
  return join(repo, 'node_modules', '.cache', 'neural-style-natives', `${target}-sharp-${version}`);
}

/** The staged node_modules with `target`'s native packages, installed when missing or not the locked ones. */
function staged(target, repo, sharpManifest) {
  const dir = stagingFolder(repo, target, sharpManifest.version);
  const modules = join(dir, 'node_modules');
  const lockText = readFileSync(join(repo, 'pnpm-lock.yaml'), 'utf8');
  const names = () => nativeNames(target, readManifest(join(modules, '@img', `sharp-${TARGETS[target].sharp}`)));
  try {
    checkStaged(modules, names(), lockText);
    return modules;
  } catch {
    // Not staged yet, or not as locked: stage it afresh.
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  npmInstall(dir, target, sharpManifest.version);
  checkStaged(modules, names(), lockText);
  return modules;
}

/**
 * sharp's native packages for `target`, name → folder: from this machine's install when the
 * target is this machine's, else from the staging folder. Throws when one is missing.
 */
export function sharpNatives(target, { repo, sharpDir }) {
  const sharpManifest = readManifest(sharpDir);
  const fromInstall = target === targetOf();
  const modules = fromInstall ? null : staged(target, repo, sharpManifest);
  const folderOf = (name) => {
    const manifest = fromInstall ? findPackage(name, sharpDir) : join(modules, name, 'package.json');
    return manifest && existsSync(manifest) ? realpathSync(dirname(manifest)) : null;
  };
  const native = folderOf(`@img/sharp-${TARGETS[target].sharp}`);
  if (!native) throw new Error(`sharp's native package for ${target} is not installed: run pnpm install first.`);
  const folders = new Map();
  for (const name of nativeNames(target, readManifest(native))) {
    const folder = folderOf(name);
    if (!folder) throw new Error(`${name}, which sharp needs on ${target}, is not installed: run pnpm install first.`);
    folders.set(name, folder);
  }
  return folders;
}
