/**
 * The `@neural-style/engine/options` entry: what a program around the engine
 * needs to offer and check its options without loading TensorFlow.js (the
 * extension host imports this): the table, its checks and the error they
 * throw, the output formats and the GPU adapter's words. No Node, no DOM, no tfjs.
 */
export * from './core/options';
export { NeuralStyleError } from './core/errors';
export { validateOptions, validateRunOptions, checkOption, checkStyleCount, styleBlend } from './core/validate';
export {
  OUTPUT_FORMATS, OUTPUT_FORMAT_NAMES, OUTPUT_EXTENSIONS, formatOfExtension, extensionOf, type OutputFormat,
} from './output-formats';
export { adapterName, softwareReason, type GpuAdapterInfo } from './core/gpu-adapter';

// Not options: their entries are /duration and /result-parameters. Re-exported here only while the extension
// (src/, webview/) imports them from /options; those imports move with its restructuring (issue 22).
export { formatDuration } from './duration';
export {
  PARAMETERS_KEYWORD, formatResultParameters, parseResultParameters, fileNameOf, type ResultParameters,
} from './result-parameters';
