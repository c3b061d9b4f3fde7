// "The same look at every size", as a number: each result is scored at one
// common size by the PyTorch reference (gatys_torch.py score: the paper's
// content and style losses, every image resized to --size), beside the
// painting's own style loss (the style image scored as a result) and the
// photo's (the content photo as it is). A result painted as much as the 256 px
// demo scores a style loss near the painting's own; one that looks like the
// photo through a filter scores several times it. --own-size scores each
// result at its own longest side instead, against the painting at that size:
// a downscaled large result has lost the pixel-level strokes a small one has,
// which the common size penalises.
//   node packages/engine/bench/look.mjs CONTENT STYLE RESULT… [--size 512 | --own-size] [--json]
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PYTHON, REFERENCE, runMeasured, TORCH_THREADS } from './measure.mjs';

function parseArgs(argv) {
  const args = { size: 512, ownSize: false, json: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--size') args.size = Number(argv[++i]);
    else if (argv[i] === '--own-size') args.ownSize = true;
    else if (argv[i] === '--json') args.json = true;
    else args.files.push(argv[i]);
  }
  if (args.files.length < 3 || !Number.isInteger(args.size) || args.size < 32) {
    throw new Error('usage: look.mjs CONTENT STYLE RESULT… [--size N (≥ 32) | --own-size] [--json]');
  }
  return args;
}

function score(content, style, result, size) {
  const r = runMeasured(PYTHON, [REFERENCE, '--threads', String(TORCH_THREADS), 'score', content, style, result, '--size', String(size)]);
  if (r.error) throw new Error(`scoring ${result} failed: ${r.error}`);
  return r.json;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(PYTHON) || !existsSync(REFERENCE)) {
    console.log(`look: skipped (${PYTHON} or ${REFERENCE} not found)`);
    return;
  }
  const [content, style, ...results] = args.files;
  const sizes = args.ownSize ? await Promise.all(results.map(longestSide)) : results.map(() => args.size);
  const rows = [['the photo itself', content, args.size], ...results.map((r, i) => [r, r, sizes[i]])];
  const painting = new Map();
  for (const [label, file, size] of rows) {
    if (!painting.has(size)) painting.set(size, score(content, style, style, size).style_loss);
    const s = score(content, style, file, size);
    const row = {
      image: label, scored_at: size, style_loss: s.style_loss, content_loss: s.content_loss,
      painting_style_loss: painting.get(size), style_vs_painting: s.style_loss / painting.get(size),
    };
    console.log(args.json ? JSON.stringify(row)
      : `${label} at ${size} px: style loss ${s.style_loss.toExponential(3)} (${row.style_vs_painting.toFixed(2)}× the painting's ${row.painting_style_loss.toExponential(3)}), content loss ${s.content_loss.toExponential(3)}`);
  }
}

async function longestSide(file) {
  const sharp = createRequire(import.meta.url)('sharp');
  const { width, height } = await sharp(file).metadata();
  return Math.max(width, height);
}

await main();
