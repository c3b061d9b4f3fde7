/*
 * One stylization in its own process, for the tile-memory test: prints its
 * peak RSS and the wasm heap's final size (the heap only grows, so that is
 * its peak). `node -r tsx/cjs tile-memory-child.ts SIZE TILE_SIZE`
 */
import * as tf from '@tensorflow/tfjs';
import { loadEngine, stylize } from '../../../packages/engine/src/index';
import { uniformNoise } from '../../../packages/engine/src/core/image/noise';

async function main(): Promise<void> {
  const [size, tileSize] = process.argv.slice(2).map(Number);
  const engine = await loadEngine({ backend: 'wasm' });
  const noise = (seed: number) => ({ width: size, height: size,
    data: Uint8Array.from(uniformNoise(size, size, 3, seed).data, (v) => v + 128) });
  const options = { size, iterations: 1, multiScale: false, previewEvery: 0, optimizer: 'adam' as const, tileSize };
  const result = await stylize(engine.vgg, { content: noise(1), styles: [noise(2)], options });
  const heap = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
  process.stdout.write(`${JSON.stringify({ rssMb: process.resourceUsage().maxRSS / 1024, heapMb: heap / 2 ** 20, width: result.image.width })}\n`);
  process.exit(0);
}

void main();
