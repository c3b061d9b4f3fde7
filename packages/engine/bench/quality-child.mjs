// Our engine to a target loss: node quality-child.mjs CONTENT STYLE OUT SIZE TARGET OPTIONS_JSON
// CONTENT and STYLE are already at SIZE (resized once by the reference's own
// PIL code: both sides optimise the same pixels). Runs the engine's stylize
// with OPTIONS; at the final scale, as soon as the total loss (the paper's,
// what gatys_torch.py's score computes) is at or below TARGET less
// ROUNDING_MARGIN, saves that image and stops.
// Prints one JSON line: seconds from start, loss, iterations, whether it got there.
import { createRequire } from 'node:module';
import { basename } from 'node:path';

const started = performance.now();
// Loaded after `started`: the engine's load counts in the time to the picture.
const require = createRequire(import.meta.url);
const engine = require('@neural-style/engine');
const { formatResultParameters } = require('@neural-style/engine/result-parameters');
const [content, style, out, sizeArg, targetArg, optionsJson] = process.argv.slice(2);
const size = Number(sizeArg);
const target = Number(targetArg);
const options = { ...JSON.parse(optionsJson || '{}'), size, previewEvery: 1, previewSize: size };
/**
 * The saved picture has 8-bit pixels, and `score` of it came out 0.9e-4 to
 * 1.3e-4 above the loss of the float pixels it was rounded from (every
 * quality run so far); once, stopping at the target itself left the saved
 * picture 1.2e-6 above it. Stopping 5e-4 below the target (about a third of
 * one late iteration's progress) makes the saved picture reach it.
 */
const ROUNDING_MARGIN = 5e-4;
const stopAt = target * (1 - ROUNDING_MARGIN);

async function main() {
  const loaded = await engine.loadEngine({ backend: 'wasm' });
  const images = {
    content: await engine.decodeImageFile(content, { maxInputPixels: 1e8 }),
    styles: [await engine.decodeImageFile(style, { maxInputPixels: 1e8 })],
  };
  const abort = new AbortController();
  let best = null;
  let reached = false;
  const trace = [];
  try {
    const result = await engine.stylize(loaded.vgg, { ...images, options }, {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.iteration % 10 === 0 || p.iteration === 1) {
          const { total, content: contentLoss, style: styleLoss } = p.losses;
          trace.push([p.scale, p.iteration, Math.round(p.elapsedMs) / 1000, total, contentLoss, styleLoss]);
          if (process.env.NS_TRACE) console.error(JSON.stringify(trace[trace.length - 1]));
        }
        if (p.scale !== p.scales || !p.preview) return;
        if (!best || p.losses.total < best.loss) {
          best = { loss: p.losses.total, image: p.preview, step: p.step, ms: performance.now() - started };
        }
        if (p.losses.total <= stopAt) {
          reached = true;
          abort.abort();
        }
      },
    });
    best ??= { loss: result.losses.total, image: result.image, step: result.steps, ms: performance.now() - started };
  } catch (error) {
    if (!(error instanceof engine.CancelledError)) throw error;
  }
  // What made it, as any result of the engine records it.
  const parameters = formatResultParameters({
    content: basename(content), styles: [basename(style)], backend: loaded.backend.name, steps: best.step,
    options: engine.validateOptions(options),
  });
  await engine.writeImageFile(best.image, out, [content, style], parameters, 'replace');
  console.log(JSON.stringify({
    seconds: Math.round(best.ms) / 1000, loss: best.loss, stop_at: stopAt, steps: best.step, reached,
    backend: loaded.backend.detail, trace,
  }));
}

main().catch((error) => {
  console.log(JSON.stringify({ error: String(error?.message ?? error).split('\n')[0] }));
  process.exitCode = 1;
});
