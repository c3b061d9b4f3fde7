/**
 * What the compute bundle (compute.js, loaded by the panel only when a job
 * runs on the GPU) gives the panel's script: the panel owns the one
 * acquireVsCodeApi() and passes each compute message on with a way to answer.
 */
import type { FromCompute, ToCompute } from '../../shared/protocol';

/** What compute.js is sent: everything but the probe, which the panel's script answers without tfjs. */
export type ComputeRequest = Exclude<ToCompute, { type: 'probe' }>;

export interface ComputeApi {
  handle(message: ComputeRequest, post: (message: FromCompute) => void): void;
}

/** The global compute.js sets when it loads. */
export const COMPUTE_GLOBAL = 'neuralStyleCompute';
