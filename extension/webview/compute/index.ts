/**
 * The compute bundle (dist/compute.js): the engine core with tfjs's WebGPU
 * and WebGL2 backends, loaded into a job's panel only when the job runs on
 * the GPU. One run at a time; a second compute while one runs is refused.
 */
import '../pageL10n';
import * as l10n from '@vscode/l10n';
import type { WebviewBackend } from '@neural-style/engine/options';
import type { FromCompute } from '../../shared/protocol';
import { COMPUTE_GLOBAL, type ComputeApi, type ComputeRequest } from './api';
import { loseGpu } from './gpu-lost';
import { TEST_BUILD } from '../../shared/testBuild';
import { runCompute } from './run';

let running: { abort: AbortController; backend: WebviewBackend } | undefined;

const api: ComputeApi = {
  handle(message: ComputeRequest, post: (m: FromCompute) => void): void {
    switch (message.type) {
      case 'compute': {
        if (running) {
          post({ type: 'computeFailed', code: 'EINVAL', message: l10n.t('A run is already going on in this panel.') });
          return;
        }
        const current = { abort: new AbortController(), backend: message.backend };
        running = current;
        void runCompute(message, current.abort.signal, post).finally(() => {
          if (running === current) running = undefined;
        });
        break;
      }
      case 'stopCompute':
        running?.abort.abort();
        break;
      case 'loseGpu':
        if (TEST_BUILD && running) loseGpu(running.backend);
        break;
    }
  },
};

(globalThis as Record<string, unknown>)[COMPUTE_GLOBAL] = api;
