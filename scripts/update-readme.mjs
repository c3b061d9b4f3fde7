#!/usr/bin/env node
// Regenerates the parts of README.md that are derived from code (between
// <!-- NAME:start --> and <!-- NAME:end --> markers). `--check` fails if stale.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const readmePath = `${root}README.md`;
const sections = {
  'cli-help': () => '```\n' + execFileSync(process.execPath, [`${root}packages/engine/bin/neural-style.js`, '--help'], { encoding: 'utf8' }).trimEnd() + '\n```',
};

let text = readFileSync(readmePath, 'utf8');
for (const [name, render] of Object.entries(sections)) {
  const pattern = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!pattern.test(text)) throw new Error(`README.md has no ${name} markers`);
  text = text.replace(pattern, (_, start, end) => `${start}\n${render()}\n${end}`);
}
if (process.argv.includes('--check')) {
  if (text !== readFileSync(readmePath, 'utf8')) {
    console.error('README.md is stale: run `node scripts/update-readme.mjs`.');
    process.exit(1);
  }
} else {
  writeFileSync(readmePath, text);
}
