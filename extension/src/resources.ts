/**
 * Where the engine, the weights and the style presets are. A packaged
 * extension carries them (scripts/prepackage.mjs copies them in); run from the
 * repository, it uses the workspace's engine build and media folder.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface Resources {
  workerPath: string;
  /** The image process (decodes and writes for runs in a webview), beside the bundled engine. */
  imageWorkerPath: string;
  /** Empty: the engine's own bundled weights. */
  weightsDir: string;
  /** The bundled weights' folder, for runs in a webview (which fetch them as webview URIs). */
  bundledWeightsDir: string;
  presetsDir: string;
  packaged: boolean;
}

/**
 * `fromRepository`: prefer the repository's engine build when there is one (the
 * extension runs in development or under test), so a stale copy from an earlier
 * packaging never stands in for the code being tested.
 */
export function findResources(extensionRoot: string, fromRepository = false): Resources {
  const packagedWorker = path.join(extensionRoot, 'engine', 'dist', 'worker.js');
  const packagedWeights = path.join(extensionRoot, 'engine', 'weights', 'vgg19');
  const repoWorker = path.join(extensionRoot, '..', 'packages', 'engine', 'dist', 'worker.js');
  if (!(fromRepository && fs.existsSync(repoWorker)) && fs.existsSync(packagedWorker) && fs.existsSync(path.join(packagedWeights, 'model.json'))) {
    return { workerPath: packagedWorker, imageWorkerPath: path.join(path.dirname(packagedWorker), 'image-worker.js'), weightsDir: packagedWeights,
      bundledWeightsDir: packagedWeights, presetsDir: path.join(extensionRoot, 'media', 'styles'), packaged: true };
  }
  const repo = path.resolve(extensionRoot, '..');
  return {
    workerPath: path.join(repo, 'packages', 'engine', 'dist', 'worker.js'),
    imageWorkerPath: path.join(repo, 'packages', 'engine', 'dist', 'image-worker.js'),
    weightsDir: '',
    bundledWeightsDir: path.join(repo, 'packages', 'engine', 'weights', 'vgg19'),
    presetsDir: path.join(repo, 'media', 'styles'),
    packaged: false,
  };
}

export interface Preset {
  id: string;
  file: string;
  name: string;
  artist: string;
  year: string;
  licence: string;
}

export function readPresets(presetsDir: string): Preset[] {
  try {
    const list = JSON.parse(fs.readFileSync(path.join(presetsDir, 'presets.json'), 'utf8')) as Preset[];
    return list.filter((p) => fs.existsSync(path.join(presetsDir, p.file)));
  } catch {
    return [];
  }
}

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp', 'tif', 'tiff', 'avif'];
export const IMAGE_GLOB = `**/*.{${IMAGE_EXTENSIONS.join(',')}}`;
export const isImagePath = (p: string) => IMAGE_EXTENSIONS.includes(path.extname(p).slice(1).toLowerCase());
