/** Neural Style engine: Gatys et al. 2015 style transfer on TensorFlow.js with real VGG19 weights. */
export * from './core/index';
export {
  OUTPUT_FORMATS, OUTPUT_FORMAT_NAMES, OUTPUT_EXTENSIONS, formatOfExtension, extensionOf, type OutputFormat,
} from './output-formats';
export { formatDuration } from './duration';
export { chooseBackend, describeBackend } from './node/backend';
export type { BackendReport } from './node/backend';
export { loadEngine, stylizeFiles } from './node/engine';
/** For `stylize`'s limits.vectorFiles: a tiled scale's L-BFGS history in a temporary file (stylizeFiles gives it). */
export { openVectorFile } from './node/vector-file';
export type { Engine, LoadEngineOptions } from './node/engine';
export { decodeImageFile, encodeImage, writeImageFile } from './node/image';
export { loadWeightFiles, BUNDLED_WEIGHTS_DIR } from './node/weights-source';
export * from './protocol';
