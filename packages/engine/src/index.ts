/** Neural Style engine: Gatys et al. 2015 style transfer on TensorFlow.js with real VGG19 weights. */
export * from './options';
export { stylize, scaleSizes, scaleIterations } from './core/stylize';
export type { StylizeRequest, StylizeHooks, StylizeResult, Progress, LossTerms } from './core/stylize';
export type { RgbImage } from './core/pixels';
export { createVgg19, convAlgorithmFor, CONVOLUTION_CHOICES } from './core/vgg19';
export type { FeatureExtractor, ConvolutionChoice } from './core/vgg19';
export { decodeVgg19, verifyWeightFiles, parseManifest } from './core/weights';
export type { WeightFiles, WeightsManifest } from './core/weights';
export { chooseBackend, describeBackend } from './node/backend';
export type { BackendReport } from './node/backend';
export { loadEngine, stylizeFiles } from './node/engine';
export type { Engine, EngineConfig } from './node/engine';
export { decodeImageFile, encodeImage, writeImageFile } from './node/image';
export { loadWeightFiles, BUNDLED_WEIGHTS_DIR } from './node/weights-source';
export * from './protocol';
