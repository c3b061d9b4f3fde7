import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Engine, loadEngine } from '../../packages/engine/src/index';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const CONTENT = path.join(FIXTURES, 'chelsea-64.png');
export const STYLE = path.join(FIXTURES, 'starry-64.png');

let shared: Promise<Engine> | null = null;
/** One engine (backend + weights) for the whole suite: loading takes seconds. */
export function testEngine(): Promise<Engine> {
  shared ??= loadEngine({ backend: 'auto' });
  return shared;
}

export function tempDir(prefix = 'ns-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}
