/** Neural Style engine: Gatys et al. 2015 style transfer on TensorFlow.js with real VGG19 weights. */
export * from './core/index';
export {
  OUTPUT_FORMATS, OUTPUT_FORMAT_NAMES, OUTPUT_EXTENSIONS, formatOfExtension, extensionOf, type OutputFormat,
} from './output-formats';
export { formatDuration } from './duration';
export { chooseBackend, describeBackend } from './node/backend';
export type { BackendReport } from './node/backend';
export { loadEngine, stylizeFiles } from './node/engine';
/** For `stylize`'s limits.scratchFiles: a tiled scale's image-sized vectors in temporary files (as stylizeFiles). */
export { openScratchFile } from './node/scratch-file';
export type { Engine, LoadEngineOptions } from './node/engine';
export { decodeImageFile, encodeImage, writeImageFile } from './node/image';
export { loadWeightFiles, BUNDLED_WEIGHTS_DIR } from './node/weights-source';
export * from './protocol';
