// A clip painted three ways (issue 25): each frame alone as a still, as a
// clip with the temporal weight 0 (each frame only starts from the last one
// warped), and as a clip with the default temporal weight. The clip is made
// here from a bundled photo: a slow pan and zoom (its true motion known), so
// its flicker is measured exactly: the mean difference (0..255 levels)
// between each painted frame and the one before it brought by the true
// motion, over the pixels both show; the photo's own frames give the floor
// (what resampling alone leaves). Per size and way: seconds a frame (a
// clip's first frame, coarse to fine, apart), the optical flow's seconds a
// frame (the flow both ways, the consistency mask and the warp, timed on
// their own) and its share, the flicker, the mean style term. wasm, seed 1,
// the defaults otherwise. One JSON line a row with --json, else a table.
//   node packages/engine/bench/clip.mjs [--sizes 256,512] [--frames 6] [--ways alone,0,1000] [--out DIR] [--json]
// (--ways: alone, and the temporal weights of the clips)
// Loads the built engine through its exports map: `pnpm build` first.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bench, engine } from './engine.mjs';
import { SMOKE } from './measure.mjs';

const PHOTO = new URL('../../../media/examples/chelsea.png', import.meta.url).pathname;
const STYLE = new URL('../../../media/styles/van_gogh_starry_night.jpg', import.meta.url).pathname;
/** Per frame: the pan (a fraction of the frame's width) and the zoom. */
const PAN = 0.01;
const ZOOM = 1.01;

function parseArgs(argv) {
  const args = { sizes: SMOKE ? [32] : [256, 512], frames: SMOKE ? 3 : 6, out: null, json: false,
    ways: ['alone', 0, engine.DEFAULT_TEMPORAL_WEIGHT] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') args.sizes = argv[++i].split(',').map(Number);
    else if (a === '--frames') args.frames = Number(argv[++i]);
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--ways') args.ways = argv[++i].split(',').map((w) => (w === 'alone' ? w : Number(w)));
    else if (a === '--json') args.json = true;
    else throw new Error(`Unknown option "${a}". Use --sizes 256,512, --frames N, --ways alone,0,1000, --out DIR, --json.`);
  }
  if (!(args.frames >= 2)) throw new Error('--frames: at least 2');
  if (!args.ways.every((w) => w === 'alone' || w >= 0)) throw new Error('--ways: alone, or temporal weights from 0 up');
  return args;
}

/**
 * Frame t's view of the photo (`photo`: resized to 1.25× the frames' width, so that a frame samples it without
 * aliasing): frame pixel (x, y) shows photo point (ox + k x, oy + k y). The view is the photo's middle 80 % at t = 0,
 * zoomed in by ZOOM a frame about a centre that moves right by PAN of its width a frame.
 */
function view(photo, t, width) {
  const k0 = (0.8 * photo.width) / width;
  const k = k0 / ZOOM ** t;
  const height = Math.round((width * photo.height) / photo.width);
  const cx = photo.width / 2 + PAN * t * width * k0 - 0.1 * photo.width;
  const cy = photo.height / 2;
  return { k, ox: cx - (width / 2) * k, oy: cy - (height / 2) * k, width, height };
}

/** A channel value of `image` at (x, y), bilinear; null outside it. */
function sample(image, x, y, c) {
  if (x < 0 || y < 0 || x > image.width - 1 || y > image.height - 1) return null;
  const [x0, y0] = [Math.min(Math.floor(x), image.width - 2), Math.min(Math.floor(y), image.height - 2)];
  const [fx, fy] = [x - x0, y - y0];
  const at = (xx, yy) => image.data[(yy * image.width + xx) * 3 + c];
  const row = (yy) => at(x0, yy) * (1 - fx) + at(x0 + 1, yy) * fx;
  return row(y0) * (1 - fy) + row(y0 + 1) * fy;
}

/** The clip's frames at `width` px, each drawn from the photo through its view. */
function makeFrames(photo, count, width) {
  return Array.from({ length: count }, (_, t) => {
    const v = view(photo, t, width);
    const data = new Uint8Array(v.width * v.height * 3);
    for (let y = 0; y < v.height; y++) {
      for (let x = 0; x < v.width; x++) {
        for (let c = 0; c < 3; c++) {
          data[(y * v.width + x) * 3 + c] = Math.round(sample(photo, v.ox + v.k * x, v.oy + v.k * y, c));
        }
      }
    }
    return { width: v.width, height: v.height, data };
  });
}

/** Flicker: the mean |frame t − frame t−1 at where the true motion puts each pixel| over the pixels both show. */
function flicker(frames, photo) {
  let [sum, n] = [0, 0];
  const { width } = frames[0];
  for (let t = 1; t < frames.length; t++) {
    const [now, before] = [view(photo, t, width), view(photo, t - 1, width)];
    for (let y = 0; y < now.height; y++) {
      for (let x = 0; x < now.width; x++) {
        const bx = (now.ox + now.k * x - before.ox) / before.k;
        const by = (now.oy + now.k * y - before.oy) / before.k;
        for (let c = 0; c < 3; c++) {
          const was = sample(frames[t - 1], bx, by, c);
          if (was === null) continue;
          sum += Math.abs(frames[t].data[(y * width + x) * 3 + c] - was);
          n++;
        }
      }
    }
  }
  return sum / n;
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const seconds = (ms) => Math.round(ms / 100) / 10;

/** Each frame painted alone, as a still. */
async function paintAlone(vgg, frames, style, options) {
  const painted = [];
  const times = [];
  const styleTerms = [];
  for (const content of frames) {
    const started = performance.now();
    const result = await engine.stylize(vgg, { content, styles: [style], options });
    times.push(performance.now() - started);
    painted.push(result.image);
    styleTerms.push(result.losses.style);
  }
  return { painted, first: times[0], times: times.slice(1), flow: null, styleTerms };
}

/** The frames as a clip with `temporalWeight`; then each frame's flow and warp again, timed alone. */
async function paintClip(vgg, frames, style, options, temporalWeight) {
  const painted = [];
  const times = [];
  let began = 0;
  const summaries = await engine.stylizeClip(vgg, { frames, styles: [style], options, temporalWeight }, {
    onFrameStart: () => { began = performance.now(); },
    onFrame: (_, result) => { times.push(performance.now() - began); painted.push(result.image); },
  });
  const flow = [];
  for (let t = 1; t < frames.length; t++) {
    const started = performance.now();
    bench.warpedPrevious(frames[t - 1], painted[t - 1], frames[t], temporalWeight);
    flow.push(performance.now() - started);
  }
  return { painted, first: times[0], times: times.slice(1), flow, styleTerms: summaries.map((s) => s.losses.style) };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const loaded = await engine.loadEngine({ backend: 'wasm' });
  const rows = [];
  for (const size of args.sizes) {
    const photo = await engine.decodeImageFile(PHOTO, { longestSide: Math.round(size / 0.8), maxInputPixels: 1e8 });
    const frames = makeFrames(photo, args.frames, size);
    const style = await engine.decodeImageFile(STYLE, { longestSide: size, maxInputPixels: 1e8 });
    const options = { size, seed: 1, previewEvery: 0, ...(SMOKE ? { iterations: 1, fineIterations: 1 } : {}) };
    const ways = args.ways.map((w) => (w === 'alone' ? ['alone', () => paintAlone(loaded.vgg, frames, style, options)]
      : [`clip, temporal weight ${w}`, () => paintClip(loaded.vgg, frames, style, options, w)]));
    const floor = flicker(frames, photo);
    for (const [way, paint] of ways) {
      const run = await paint();
      const row = {
        size: `${frames[0].width}x${frames[0].height}`, frames: frames.length, way,
        s_first_frame: seconds(run.first), s_per_frame: seconds(mean(run.times)),
        s_flow_per_frame: run.flow ? seconds(mean(run.flow)) : null,
        flow_share: run.flow ? Math.round((100 * mean(run.flow)) / mean(run.times)) / 100 : null,
        flicker: Math.round(flicker(run.painted, photo) * 100) / 100,
        flicker_of_the_photo: Math.round(floor * 100) / 100,
        style_term: Number(mean(run.styleTerms).toPrecision(3)),
      };
      rows.push(row);
      if (args.json) console.log(JSON.stringify(row));
      else console.error(`${row.size} ${way}: ${row.s_per_frame} s a frame, flicker ${row.flicker}`);
      if (args.out) {
        mkdirSync(args.out, { recursive: true });
        for (const [t, image] of run.painted.entries()) {
          const name = `${size}.${way.replace(/[^a-z0-9]+/g, '-')}.${String(t + 1).padStart(3, '0')}.png`;
          await engine.writeImageFile(image, join(args.out, name), [PHOTO, STYLE], undefined, 'replace');
        }
      }
    }
  }
  if (!args.json) console.table(rows);
}

await main();
