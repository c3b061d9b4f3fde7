// Node's package lookup, by hand: some packages (@img/*) do not export their package.json.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package.json of `name` as Node would find it from `fromDir`, or null. */
export function findPackage(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/** A package folder's package.json, parsed. */
export function readManifest(packageDir) {
  return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
}
