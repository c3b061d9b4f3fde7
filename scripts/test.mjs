#!/usr/bin/env node
// `pnpm test`: the build, then each suite's own script (package.json test:*, mocha with the suite's
// .mocharc and mocha's spec reporter), then one line over all of them, the last one printed:
// "tests: N passed, N failed, N skipped". The counts are read from each run's spec summary.
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const suites = [
  { name: 'engine', script: 'test:engine' },
  { name: 'extension unit', script: 'test:extension:unit' },
  { name: 'extension host (VS Code)', script: 'test:extension:host' },
  // Last: it makes the production build (pnpm package's), which leaves extension/dist minified.
  { name: 'platform packages (vsce)', script: 'test:package' },
];
// A suite that cannot run here says so on a line of its own and exits 0.
const SKIP_LINE = /^suite skipped: (.+)$/m;

// Under `pnpm test` (also `npx pnpm@10 test`, where pnpm is not on PATH) npm_execpath is pnpm itself.
const pnpm = process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath)
  ? [process.execPath, process.env.npm_execpath] : ['pnpm'];

/** Runs `pnpm run -s <script>` with its output passed through; resolves to its exit code and stdout. */
function runScript(script) {
  // Piped output turns mocha's colours off; keep them for a terminal.
  const env = process.stdout.isTTY ? { ...process.env, MOCHA_COLORS: '1' } : process.env;
  const child = spawn(pnpm[0], [...pnpm.slice(1), 'run', '-s', script], { cwd: root, env, stdio: ['inherit', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    stdout += chunk;
  });
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: 1, stdout: `${stdout}\n${error.message}` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

/** Mocha's spec summary ("N passing (…)", then "N pending" and "N failing" when not 0), or null. */
function specSummary(output) {
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const passing = [...text.matchAll(/^\s*(\d+) passing \(/gm)].pop();
  if (!passing) return null;
  const rest = text.slice(passing.index);
  const count = (word) => Number(rest.match(new RegExp(`^\\s*(\\d+) ${word}$`, 'm'))?.[1] ?? 0);
  return { passed: Number(passing[1]), failed: count('failing'), skipped: count('pending') };
}

/** One suite's counts; a run that ends without a summary or exits non-zero counts as a failure. */
function outcome({ code, stdout }) {
  const summary = specSummary(stdout);
  const skip = stdout.match(SKIP_LINE);
  if (!summary && code === 0 && skip) return { passed: 0, failed: 0, skipped: 0, skippedBecause: skip[1] };
  if (!summary) return { passed: 0, failed: 1, skipped: 0, note: `ended without mocha's summary (exit code ${code}): counted as 1 failed` };
  if (code !== 0 && summary.failed === 0) return { ...summary, failed: 1, note: `exit code ${code} after its summary: counted as 1 failed` };
  return summary;
}

const counts = (c) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
const lines = [];
const totals = { passed: 0, failed: 0, skipped: 0 };
const build = await runScript('build');
if (build.code !== 0) {
  lines.push(`build: failed (exit code ${build.code}); no suite ran`);
  totals.failed = 1;
} else {
  for (const suite of suites) {
    console.log(`\n== ${suite.name} (pnpm ${suite.script})`);
    const result = outcome(await runScript(suite.script));
    const said = result.skippedBecause ? `skipped (${result.skippedBecause})` : `${counts(result)}${result.note ? `; ${result.note}` : ''}`;
    lines.push(`${suite.name}: ${said}`);
    for (const key of Object.keys(totals)) totals[key] += result[key];
  }
}
console.log(`\n${lines.join('\n')}\ntests: ${counts(totals)}`);
process.exit(totals.failed > 0 ? 1 : 0);
