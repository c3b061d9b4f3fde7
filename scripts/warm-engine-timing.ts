/*
 * How long a job waits for its first progress on the warm engine: the first
 * job starts the engine process (cold), the next ones find it up (warm).
 * `npx tsx scripts/warm-engine-timing.ts [jobs=3] [size=48]` after a build; prints one line a job.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WarmEngine } from '../extension/src/warmEngine';

const root = path.resolve(__dirname, '..');
const workerPath = path.join(root, 'packages', 'engine', 'dist', 'worker.js');
const fixtures = path.join(root, 'test', 'fixtures');

async function main(): Promise<void> {
  const jobs = Number(process.argv[2] ?? 3);
  const size = Number(process.argv[3] ?? 48);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-timing-'));
  const engine = new WarmEngine(() => 60_000);
  try {
    for (let n = 1; n <= jobs; n++) {
      const t0 = performance.now();
      let first = 0;
      let warm = false;
      const outcome = await engine.run({ workerPath }, {
        id: `t${n}`,
        job: { content: path.join(fixtures, 'chelsea-64.png'), styles: [path.join(fixtures, 'starry-64.png')], output: path.join(tmp, `t${n}.png`),
          options: { size, iterations: 4, multiScale: false, previewEvery: 0 } },
        events: { started: (_pid, w) => { warm = w; }, progress: () => { first ||= performance.now() - t0; } },
      });
      console.log(`job ${n} (${warm ? 'warm' : 'cold'}): first progress after ${first.toFixed(0)} ms, ${outcome.kind} after ${(performance.now() - t0).toFixed(0)} ms`);
    }
  } finally {
    await engine.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
