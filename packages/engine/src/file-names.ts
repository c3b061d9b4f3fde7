import * as path from 'path';

/*
 * File names and paths as each desktop platform sees them, whatever platform runs the code (the
 * tests pass one): Windows refuses some names, and Windows and macOS take names that differ only in
 * case for one file. No file system access here.
 */

/**
 * Names Windows keeps for devices, with any extension too ("nul.png" is NUL): the part before the first dot, trailing
 * spaces aside.
 */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
const WINDOWS_FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f]/g;

/** The path functions of `platform`: path.win32 on Windows, path.posix elsewhere. */
export function pathFor(platform: NodeJS.Platform = process.platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/**
 * Whether `file` names one file wherever the process runs: absolute and, on Windows, with its drive
 * (C:\photos\a.png) or server (\\server\share\a.png). \photos\a.png is on whichever drive is
 * current, C:a.png in that drive's current folder.
 */
export function isFullPath(file: string, platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'win32') return path.posix.isAbsolute(file);
  return /^([a-z]:[\\/]|[\\/]{2}[^\\/])/i.test(file);
}

/** Why Windows refuses `name` (one file name, not a path), or null when it takes it. */
export function windowsNameProblem(name: string): string | null {
  const bad = name.match(WINDOWS_FORBIDDEN);
  if (bad) return `Windows does not allow ${JSON.stringify(bad[0])} in a file name`;
  if (/[. ]$/.test(name)) return 'Windows drops a dot or a space at the end of a file name';
  const stem = name.split('.')[0].trimEnd();
  if (WINDOWS_DEVICE.test(stem)) return `Windows keeps the name ${stem.toUpperCase()} for a device, with any extension`;
  return null;
}

/**
 * `name` made a file name every desktop takes: what Windows forbids becomes "_", a dot or space at the
 * end goes, and a device name gets "_" ("con.starry.png" → "con_.starry.png"). Results are made on
 * one machine and opened on others (a synced or shared folder), so this holds everywhere.
 */
export function portableFileName(name: string): string {
  const cleaned = name.replace(WINDOWS_FORBIDDEN, '_').replace(/[. ]+$/, '');
  return cleaned.replace(/^[^.]*/, (stem) => (WINDOWS_DEVICE.test(stem.trimEnd()) ? `${stem.trimEnd()}_` : stem));
}

/** Whether `platform`'s file systems take names that differ only in case for one file (Windows; macOS by default). */
export function caseInsensitive(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'win32' || platform === 'darwin';
}

/**
 * The key under which paths name the same file on `platform`: separators and `..` normalized, case
 * folded on Windows and macOS, and on macOS also the Unicode form (APFS takes "é" composed or not
 * for one name).
 */
export function pathKey(file: string, platform: NodeJS.Platform = process.platform): string {
  const normal = pathFor(platform).normalize(file);
  if (platform === 'darwin') return normal.normalize('NFC').toLowerCase();
  return caseInsensitive(platform) ? normal.toLowerCase() : normal;
}

/** Whether `a` and `b` name the same file on `platform` (by name: links are not followed). */
export function samePath(a: string, b: string, platform: NodeJS.Platform = process.platform): boolean {
  return pathKey(a, platform) === pathKey(b, platform);
}

/**
 * A job's checkpoint of `scale` (node/checkpoint.ts writes it, a host removes it): `ns1a2b-3.scale-2.png`, the job's
 * id kept to file-name-safe characters.
 */
export function checkpointName(id: string, scale: number): string {
  return `${checkpointPrefix(id)}${scale}.png`;
}

/** How the names of job `id`'s checkpoints begin. */
export function checkpointPrefix(id: string): string {
  return `${id.replace(/[^A-Za-z0-9_-]/g, '_')}.scale-`;
}
