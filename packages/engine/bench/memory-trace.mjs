// Where a run's memory goes, iteration by iteration: one JSON line per
// iteration (and, with --tiles, per tile) with the process's RSS and peak
// RSS, V8's heap, the ArrayBuffers outside it (the tiled scale's images and
// vectors), and the wasm heap's size; at the start, the plan's estimate.
// The run is the product's (stylizeFiles: the machine's limits, the history
// file), on wasm.
//   node packages/engine/bench/memory-trace.mjs CONTENT STYLE OUT [--tiles] [OPTIONS_JSON] [MEMORY_GB]
// e.g. node packages/engine/bench/memory-trace.mjs media/examples/chelsea.png media/styles/van_gogh_starry_night.jpg \
//        /tmp/out.png '{"size":4096,"multiScale":false,"iterations":3}'
// With --expose-gc, a full collection before each sample (exact ArrayBuffer figures; the tests use it).
// Loads the built engine through its exports map: `pnpm build` first.
import { engine, tf } from './engine.mjs';

const args = process.argv.slice(2);
const perTile = args.includes('--tiles');
const [content, style, output, optionsJson = '{}', memory = '0'] = args.filter((a) => a !== '--tiles');
const MB = 2 ** 20;

function wasmHeapMb() {
  const wasm = tf.backend()?.wasm;
  return wasm ? Math.round(wasm.HEAPU8.buffer.byteLength / MB) : null;
}

function sample() {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return {
    rss_mb: Math.round(m.rss / MB), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    v8_heap_mb: Math.round(m.heapUsed / MB), array_buffers_mb: Math.round(m.arrayBuffers / MB * 100) / 100,
    wasm_heap_mb: wasmHeapMb(), tensors: tf.memory().numTensors,
  };
}

async function main() {
  const loaded = await engine.loadEngine({ backend: 'wasm' });
  const options = { previewEvery: 0, ...JSON.parse(optionsJson) };
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  const line = (record) => console.log(JSON.stringify({ ...record, s: seconds(), ...sample() }));
  line({ at: 'start' });
  const job = { content, styles: [style], output, options, memory: Number(memory), ifExists: 'replace' };
  let planned = false;
  const result = await engine.stylizeFiles(loaded, job, {
    onProgress: (p) => {
      if (!planned) {
        planned = true;
        line({ at: 'first report', scales: p.scales, width: p.width, height: p.height });
      }
      // An iteration's end reports tile === tiles (or no tiles, whole); the reports within it, fewer.
      if (!perTile && p.tile !== p.tiles) return;
      line({ scale: p.scale, width: p.width, height: p.height, iteration: p.iteration, step: p.step, tile: p.tile,
        tiles: p.tiles, total: p.losses.total, style: p.losses.style, content: p.losses.content });
    },
  });
  line({ at: 'end', total: result.losses.total, style: result.losses.style, content: result.losses.content });
  loaded.dispose();
}

main().catch((error) => {
  console.log(JSON.stringify({ error: String(error?.stack ?? error) }));
  process.exitCode = 1;
});
