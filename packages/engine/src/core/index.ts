/**
 * The engine's core: no Node or DOM API, so the same code runs in the engine
 * process and in a webview. It takes RGB pixel buffers and weight bytes.
 */
export * from './options';
export { NeuralStyleError, CancelledError } from './errors';
export { validateOptions, validateRunOptions, checkOption, checkStyleCount, styleBlend } from './validate';
export { stylize } from './stylize';
export type { ClipTemporal, StylizeRequest, StylizeHooks, StylizeResult } from './stylize';
export { DEFAULT_TEMPORAL_WEIGHT, stylizeClip } from './clip';
export type { ClipHooks, ClipRequest } from './clip';
export { resumeProblem } from './resume';
export type { ResumePoint, ScaleCheckpoint } from './resume';
export type { Progress, LossTerms } from './progress';
export { checkStyleShape, planStylization, scaleSizes, scaleIterations, styleLongestSide, styleSize } from './plan';
export type { Plan, ScalePlan, Size } from './plan';
export { DEFAULT_SPEEDS, defaultSpeed, estimateRun, planWork } from './cost';
export type { MachineSpeed, RunEstimate, RunWork } from './cost';
export type { MemoryLimits } from './memory-limits';
export type { Objective, Evaluation } from './objective';
export type { RgbImage } from './pixels';
export { createVgg19 } from './vgg19';
export type { FeatureExtractor } from './vgg19';
export { decodeVgg19, verifyWeightFiles, parseManifest } from './weights';
export type { WeightFiles, WeightsManifest } from './weights';
export { adapterName, softwareReason } from './gpu-adapter';
export type { GpuAdapterInfo } from './gpu-adapter';
export { readbackProblem } from './gpu-readback';
