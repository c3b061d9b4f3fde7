#!/usr/bin/env node
// Runs every test suite in order (build first), prints each with mocha's spec
// reporter, and ends with one line of totals: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const suites = [
  { name: 'engine', args: ['--config', 'test/engine/.mocharc.json'] },
  { name: 'extension unit', args: ['--config', 'test/extension/unit/.mocharc.json'] },
  { name: 'extension integration (VS Code)', command: ['node', 'extension/out/test/runTest.js'], when: 'extension/out/test/runTest.js' },
];

function run(command, args, env = {}) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

// Under `pnpm test` (also `npx pnpm@10 test`, where pnpm is not on PATH) npm_execpath is pnpm itself.
const pnpm = process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath)
  ? [process.execPath, [process.env.npm_execpath]] : ['pnpm', []];
if (run(pnpm[0], [...pnpm[1], 'run', '-s', 'build']) !== 0) {
  console.log('tests: 0 passed, 1 failed (build failed)');
  process.exit(1);
}
const totals = { passed: 0, failed: 0, skipped: 0 };
const statsDir = mkdtempSync(join(tmpdir(), 'ns-test-'));
let exit = 0;
for (const suite of suites) {
  if (suite.when && !existsSync(join(root, suite.when))) {
    console.log(`\n== ${suite.name}: skipped (${suite.when} not present)`);
    continue;
  }
  console.log(`\n== ${suite.name}`);
  const statsFile = join(statsDir, `${suite.name.replace(/\W+/g, '_')}.json`);
  const env = { NS_TEST_STATS: statsFile };
  const code = suite.command
    ? run(suite.command[0], suite.command.slice(1), env)
    : run(process.execPath, [join(root, 'node_modules/mocha/bin/mocha.js'), ...suite.args], env);
  if (existsSync(statsFile)) {
    const s = JSON.parse(readFileSync(statsFile, 'utf8'));
    totals.passed += s.passes;
    totals.failed += s.failures;
    totals.skipped += s.pending;
  } else if (code !== 0) {
    totals.failed += 1;
  }
  if (code !== 0) exit = 1;
}
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exit);
