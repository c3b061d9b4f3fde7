import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ROOT } from '../helpers';

interface Peak { rssMb: number; heapMb: number }

function peak(size: number, tileSize: number): Peak {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', path.join(__dirname, 'tile-memory-child.ts'), String(size), String(tileSize)],
    { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  expect(r.status, r.stderr).to.equal(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Peak;
}

describe('tile memory', function () {
  it('a run of many small tiles holds the backend memory of one tile: 16x the pixels, the same wasm heap', function () {
    const small = peak(96, 48);
    const large = peak(384, 48);
    console.log(`      96 px: heap ${small.heapMb} MB, RSS ${small.rssMb.toFixed(0)} MB; 384 px: heap ${large.heapMb} MB, RSS ${large.rssMb.toFixed(0)} MB`);
    // The heap grows in steps; 16x the pixels whole would need ~16x the activations (hundreds of MB more).
    expect(large.heapMb, 'wasm heap').to.be.at.most(small.heapMb * 1.1 + 16);
    // Ordinary memory grows with the image: its buffers are ~250 bytes a pixel (0.04 GB at 384 px), with slack for V8.
    expect(large.rssMb - small.rssMb, 'RSS growth').to.be.below(150);
  });
});
