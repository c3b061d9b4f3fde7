// The engine as the benches load it, through its exports map like any user
// (the built package: `pnpm build` first): the library (`engine`), the bench
// entry (`bench`: the bench kit, the convolutions, tf), and benchEngine, like
// loadEngine plus the convolution choice (every layer forced to one
// algorithm), which is not a public option.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const engine = require('@neural-style/engine');
export const bench = require('@neural-style/engine/bench');
export const { CONVOLUTION_CHOICES, tf } = bench;

/**
 * { backend, vgg } on `backend` with the bundled weights, every layer convolving by `convolution` ('auto': the
 * engine's rule).
 */
export async function benchEngine(backend, convolution = 'auto') {
  if (!CONVOLUTION_CHOICES.includes(convolution)) {
    throw new Error(`--convolution is one of ${CONVOLUTION_CHOICES.join(', ')}, got ${convolution}`);
  }
  const report = await engine.chooseBackend(backend);
  const files = await engine.loadWeightFiles();
  await engine.verifyWeightFiles(files);
  return { backend: report, vgg: engine.createVgg19(engine.decodeVgg19(files), convolution) };
}
