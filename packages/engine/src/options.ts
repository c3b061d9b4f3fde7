/**
 * The `@neural-style/engine/options` entry: what a program around the engine
 * needs to offer and check its options without loading TensorFlow.js (the
 * extension host imports this). No Node, no DOM, no tfjs.
 */
export * from './core/options';
export { NeuralStyleError, CancelledError } from './core/errors';
export { validateOptions, validateRunOptions, checkOption, checkStyleCount, styleBlend } from './core/validate';
export {
  OUTPUT_FORMATS, OUTPUT_FORMAT_NAMES, OUTPUT_EXTENSIONS, formatOfExtension, extensionOf, type OutputFormat,
} from './output-formats';
export { formatDuration } from './duration';
export { adapterName, softwareReason, type GpuAdapterInfo } from './core/gpu-adapter';
export { PARAMETERS_KEYWORD, formatResultParameters, parseResultParameters, fileNameOf, type ResultParameters } from './result-parameters';
