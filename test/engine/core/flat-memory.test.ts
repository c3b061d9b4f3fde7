import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { CONTENT, ROOT, STYLE, tempDir } from '../helpers';

/*
 * Issue 26: a 4096 px run's memory rose with every iteration of its tiled
 * scale (3.2 GB after the first, 7.0 GB after the fifth), as the L-BFGS
 * history filled and its two-loop left an image-sized garbage vector a step.
 * Here many iterations of a small tiled scale (128 px, 64 px first-stage
 * tiles: the same code as a print's) in a process of their own, through
 * bench/memory-trace.mjs with a full collection before each sample: after the
 * second iteration (the first pair) nothing the run holds may grow. At this
 * size an L-BFGS pair is 0.35 MB, so a history kept in memory would add
 * ~1.4 MB of ArrayBuffers between the two halves compared, three times the
 * slack. V8 frees ArrayBuffers' memory on a thread of its own after a
 * collection, so a sample sometimes still counts a step's vectors (2.55 MB
 * read 6.46 once): each half's least is compared.
 */

const TRACE = path.join(ROOT, 'packages', 'engine', 'bench', 'memory-trace.mjs');
const ITERATIONS = 8;

interface Sample { iteration?: number; rss_mb: number; array_buffers_mb: number; tensors: number; wasm_heap_mb: number }

describe('memory at a tiled scale stays flat over many iterations (issue 26)', () => {
  it(`${ITERATIONS} iterations at 128 px in 64 px tiles: the same tensors and heap, ArrayBuffers within 0.5 MB, `
    + 'RSS within 24 MB', () => {
    const options = JSON.stringify({ size: 128, multiScale: false, iterations: ITERATIONS, tileSize: 64,
      lbfgsHistory: 100 });
    const out = path.join(tempDir(), 'out.png');
    const r = spawnSync(process.execPath, ['--expose-gc', TRACE, CONTENT, STYLE, out, options],
      { encoding: 'utf8', timeout: 170_000 });
    expect(r.status, r.stderr + r.stdout).to.equal(0);
    const samples: Sample[] = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const iterations = samples.filter((s) => s.iteration !== undefined);
    expect(iterations.map((s) => s.iteration)).to.deep.equal(Array.from({ length: ITERATIONS }, (_, i) => i + 1));
    const [first, ...later] = iterations.slice(1); // from the second on: its step stored the first pair
    const shown = JSON.stringify(iterations);
    for (const s of later) {
      expect(s.tensors, shown).to.equal(first.tensors);
      expect(s.wasm_heap_mb, shown).to.equal(first.wasm_heap_mb);
      expect(s.rss_mb - first.rss_mb, shown).to.be.at.most(24);
    }
    const least = (from: Sample[]) => Math.min(...from.map((s) => s.array_buffers_mb));
    const half = Math.floor(later.length / 2);
    expect(least(later.slice(half)) - least([first, ...later.slice(0, half)]), shown).to.be.at.most(0.5);
  });
});
