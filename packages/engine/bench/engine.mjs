// The engine as the benches load it: like loadEngine, plus the convolution
// choice (every layer forced to one algorithm), which is not a public option.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const engine = require('../dist/index.js');
export const { CONVOLUTION_CHOICES } = require('../dist/core/ops/conv.js');
const { createVgg19 } = require('../dist/core/vgg19.js');

/** { backend, vgg } on `backend` with the bundled weights, every layer convolving by `convolution` ('auto': the engine's rule). */
export async function benchEngine(backend, convolution = 'auto') {
  if (!CONVOLUTION_CHOICES.includes(convolution)) throw new Error(`--convolution is one of ${CONVOLUTION_CHOICES.join(', ')}, got ${convolution}`);
  const report = await engine.chooseBackend(backend);
  const files = await engine.loadWeightFiles();
  await engine.verifyWeightFiles(files);
  return { backend: report, vgg: createVgg19(engine.decodeVgg19(files), convolution) };
}
