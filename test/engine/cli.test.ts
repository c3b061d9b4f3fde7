import { expect } from 'chai';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { OPTION_SPECS, RUN_OPTION_SPECS } from '../../packages/engine/src/index';
import { readPngText } from '../../packages/engine/src/node/png-text';
import { listFiles, ROOT, tempDir } from './helpers';

const BIN = path.join(ROOT, 'packages', 'engine', 'bin', 'neural-style.js');
const EXAMPLE = path.join(ROOT, 'media', 'examples', 'chelsea.png');
const PRESET = path.join(ROOT, 'media', 'styles', 'van_gogh_starry_night.jpg');
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

describe('CLI (built bin, end to end)', () => {
  before(function () {
    if (!fs.existsSync(path.join(ROOT, 'packages', 'engine', 'dist', 'cli.js'))) {
      throw new Error('packages/engine/dist is missing: run `pnpm build` first (pnpm test does).');
    }
  });

  it('--help lists every option with its default', () => {
    const r = cli('--help');
    expect(r.status).to.equal(0);
    for (const [name, spec] of Object.entries({ ...OPTION_SPECS, ...RUN_OPTION_SPECS })) {
      const def = Array.isArray(spec.default) ? (spec.default.length ? spec.default.join(',') : 'none') : String(spec.default);
      // A long flag puts its text on the next line: the entry is the flag's line and that one.
      const lines = r.stdout.split('\n');
      const at = lines.findIndex((l) => l.includes(`--${kebab(name)}`));
      expect(at, name).to.be.at.least(0);
      const entry = /^\s+-/.test(lines[at + 1] ?? '-') ? lines[at] : `${lines[at]} ${lines[at + 1]}`;
      expect(entry, name).to.contain(`(default: ${def})`);
    }
  });

  it('stylizes the bundled example, with JSON lines and the parameters in the PNG', () => {
    const out = path.join(tempDir(), 'chelsea.starry.png');
    const r = cli(EXAMPLE, PRESET, '-o', out, '--size', '32', '--iterations', '2', '--no-multi-scale', '--seed', '3', '--json');
    expect(r.status, r.stderr).to.equal(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0]).to.include({ event: 'backend' });
    expect(events.filter((e) => e.event === 'progress').map((e) => e.step)).to.deep.equal([1, 2]);
    expect(events[events.length - 1]).to.include({ event: 'done', output: out, steps: 2 });
    const meta = readPngText(fs.readFileSync(out));
    expect(JSON.parse(meta['neural-style'])).to.include({ seed: 3, size: 32, iterations: 2, optimizer: 'lbfgs' });
    return sharp(out).metadata().then((m) => expect([m.width, m.height]).to.deep.equal([32, 21]));
  });

  it('a bad input gives one "Error:" line on stderr, a non-zero exit and no stack trace', () => {
    const dir = tempDir();
    const r = cli(path.join(dir, 'nope.png'), PRESET, '-o', path.join(dir, 'out.png'));
    expect(r.status).to.equal(1);
    expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('backend:'))).to.deep.equal([`Error: ${path.join(dir, 'nope.png')} does not exist.`]);
    expect(listFiles(dir)).to.deep.equal([]);
    const verbose = cli(path.join(dir, 'nope.png'), PRESET, '-o', path.join(dir, 'out.png'), '--verbose');
    expect(verbose.stderr).to.match(/\n\s+at /);
  });

  it('bad flags and values say what is allowed', () => {
    expect(cli(EXAMPLE, PRESET, '-o', 'x.png', '--optimizer', 'sgd').stderr.trim()).to.equal('Error: Invalid --optimizer "sgd". Use one of: lbfgs, adam.');
    expect(cli(EXAMPLE, PRESET, '-o', 'x.png', '--iterations', 'many').stderr.trim()).to.equal('Error: Invalid --iterations "many". Use an integer at least 1 and at most 10000.');
    expect(cli(EXAMPLE, PRESET, '-o', 'x.png', '--colour', 'red').stderr.trim()).to.match(/^Error: Unknown option '--colour'.* Run with --help/);
    expect(cli(EXAMPLE, '-o', 'x.png').stderr.trim()).to.equal('Error: Give a content image and at least one style image. Run with --help for usage.');
    expect(cli(EXAMPLE, PRESET).status).to.equal(1);
  });

  it('Ctrl-C cancels: exit 130, nothing written', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [BIN, EXAMPLE, PRESET, '-o', path.join(dir, 'out.png'), '--size', '64', '--iterations', '500', '--json']);
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (d) => { stderr += d; });
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (!interrupted && stdout.includes('"event":"progress"')) {
          interrupted = true;
          child.kill('SIGINT');
        }
      });
      child.on('exit', resolve);
    });
    expect(code, stderr).to.equal(130);
    expect(stderr).to.contain('Cancelled; nothing was written.');
    expect(listFiles(dir)).to.deep.equal([]);
  });
});

describe('README', () => {
  it('shows the current --help (pnpm gen regenerates it)', () => {
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', path.join(ROOT, 'scripts', 'generate.ts'), '--check'], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
  });
});
