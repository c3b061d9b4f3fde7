// The Gram and the sliced-Wasserstein style losses side by side (issue 24):
// each pair painted with both losses at SIZE px, seed 1 and the defaults
// otherwise, on wasm, and each picture measured by both losses: its style
// term against the painting under the Gram loss and under the
// sliced-Wasserstein loss (the saved 8-bit picture, at its own size, each
// loss's directions those of the run's last scale), and its content term.
// One JSON line a picture; the pictures go to OUT_DIR.
//   node packages/engine/bench/style-loss.mjs OUT_DIR SIZE CONTENT:STYLE [CONTENT:STYLE …]
// e.g. node packages/engine/bench/style-loss.mjs /tmp/losses 512 \
//        media/examples/chelsea.png:media/styles/van_gogh_starry_night.jpg
// Loads the built engine through its exports map: `pnpm build` first.
import { mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { bench, engine, tf } from './engine.mjs';

const [outDir, sizeArg, ...pairs] = process.argv.slice(2);
const size = Number(sizeArg);
if (!outDir || !(size > 0) || pairs.length === 0) {
  throw new Error('usage: style-loss.mjs OUT_DIR SIZE CONTENT:STYLE [CONTENT:STYLE …]');
}
const LOSSES = ['gram', 'sliced-wasserstein'];
const name = (file) => basename(file, extname(file));

/** The style and content terms of `picture` under `styleLoss`, at the picture's size. */
async function measure(vgg, picture, content, style, styleLoss) {
  const options = engine.validateOptions({ size, multiScale: false, styleLoss, seed: 1 });
  const plan = engine.planStylization(options, content, [style], tf.getBackend());
  const scale = plan.scales[0];
  const inputs = { content: bench.toVggImage(content), styles: [bench.toVggImage(style)] };
  const objective = await bench.createWholeImageObjective(vgg, inputs, plan, scale);
  const image = bench.toVggImage(picture);
  const x = tf.tensor4d(image.data, [1, image.height, image.width, 3]);
  try {
    const { terms, gradient } = await objective.evaluate(x);
    gradient.dispose();
    return terms;
  } finally {
    x.dispose();
    objective.dispose();
  }
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const loaded = await engine.loadEngine({ backend: 'wasm' });
  for (const pair of pairs) {
    const [contentFile, styleFile] = pair.split(':');
    const maxInputPixels = 1e8;
    const content = await engine.decodeImageFile(contentFile, { longestSide: size, maxInputPixels });
    const style = await engine.decodeImageFile(styleFile, { longestSide: size, maxInputPixels });
    for (const styleLoss of LOSSES) {
      const started = performance.now();
      const result = await engine.stylize(loaded.vgg, { content, styles: [style],
        options: { size, seed: 1, styleLoss, previewEvery: 0 } });
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      const output = join(outDir, `${name(contentFile)}.${name(styleFile)}.${styleLoss}.png`);
      await engine.writeImageFile(result.image, output, [contentFile, styleFile], undefined, 'replace');
      const picture = await engine.decodeImageFile(output, { maxInputPixels });
      const byGram = await measure(loaded.vgg, picture, content, style, 'gram');
      const bySliced = await measure(loaded.vgg, picture, content, style, 'sliced-wasserstein');
      console.log(JSON.stringify({ content: basename(contentFile), style: basename(styleFile), styleLoss, size,
        seconds, steps: result.steps, gramStyle: byGram.style, slicedStyle: bySliced.style, contentTerm: byGram.content,
        output }));
    }
  }
  loaded.dispose();
}

await main();
