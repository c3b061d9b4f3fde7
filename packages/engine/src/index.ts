/** Neural Style engine: Gatys et al. 2015 style transfer on TensorFlow.js with real VGG19 weights. */
export * from './core/index';
export { chooseBackend, describeBackend } from './node/backend';
export type { BackendReport } from './node/backend';
export { loadEngine, stylizeFiles } from './node/engine';
export type { Engine, EngineConfig, FileJob } from './node/engine';
export { decodeImageFile, encodeImage, writeImageFile, OUTPUT_FORMATS } from './node/image';
export { loadWeightFiles, BUNDLED_WEIGHTS_DIR } from './node/weights-source';
export * from './protocol';
