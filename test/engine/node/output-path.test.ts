import { expect } from 'chai';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { NeuralStyleError } from '../../../packages/engine/src/core/errors';
import { shown } from '../../../packages/engine/src/core/text';
import { checkJob } from '../../../packages/engine/src/node/job-check';
import {
  checkOutputPath, removeStaleTemps, removeTempsOf, writeOutputFile,
} from '../../../packages/engine/src/node/output-file';
import { CONTENT, listFiles, STYLE, tempDir, tinyDisk } from '../helpers';

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

async function refusal(job: { output: string; content?: string; ifExists?: 'refuse' | 'replace' | 'number' },
): Promise<NeuralStyleError> {
  const started = performance.now();
  const checked = checkJob({
    content: job.content ?? CONTENT, styles: [STYLE], output: job.output, ifExists: job.ifExists, options: { size: 32 },
  });
  const error = await checked.then(() => null, (e) => e);
  expect(error, 'expected a refusal').to.be.instanceOf(NeuralStyleError);
  expect(performance.now() - started, 'refused in under a second').to.be.below(1000);
  expect(error.message.split('\n')).to.have.length(1);
  return error;
}

describe('the output path: checked before any work', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir('ns-out-'); });

  it('a missing folder, a folder, a path under a file and an unknown extension are refused, naming the '
    + 'path', async () => {
    const missing = path.join(dir, 'nodir', 'out.png');
    expect((await refusal({ output: missing })).message).to.equal(`Cannot write ${missing}: folder `
      + `${path.join(dir, 'nodir')} does not exist. Create it first, or choose another folder.`);
    fs.mkdirSync(path.join(dir, 'folder.png'));
    expect((await refusal({ output: path.join(dir, 'folder.png') })).message)
      .to.match(/folder\.png: it is a folder\. Give a file name/);
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    expect((await refusal({ output: path.join(dir, 'file', 'out.png') })).message)
      .to.match(/out\.png: .*file is a file, not a folder/);
    expect((await refusal({ output: path.join(dir, 'out.bmp') })).message)
      .to.match(/out\.bmp: unknown output format "\.bmp"/);
    expect(listFiles(dir)).to.deep.equal(['file', 'folder.png']);
  });

  it('an input is never the output: directly, through a symlink or a hard link (also with overwrite)', async () => {
    const content = path.join(dir, 'photo.png');
    fs.copyFileSync(CONTENT, content);
    fs.symlinkSync(content, path.join(dir, 'sym.png'));
    fs.linkSync(content, path.join(dir, 'hard.png'));
    for (const output of ['photo.png', 'sym.png', 'hard.png']) {
      for (const ifExists of ['refuse', 'replace'] as const) {
        expect((await refusal({ output: path.join(dir, output), content, ifExists })).message, output)
          .to.match(/^Refusing to write .*: it is the input image .*photo\.png.*Choose another output path\.$/);
      }
    }
    expect(fs.readFileSync(content).equals(fs.readFileSync(CONTENT))).to.equal(true);
  });

  it('an existing output is refused unless it may be replaced or numbered', async () => {
    const output = path.join(dir, 'out.png');
    fs.writeFileSync(output, 'mine');
    expect((await refusal({ output })).message).to.equal(`${output} already exists. Choose another output path, or `
      + 'allow replacing it (CLI: --overwrite).');
    await checkJob({ content: CONTENT, styles: [STYLE], output, ifExists: 'replace' });
    await checkJob({ content: CONTENT, styles: [STYLE], output, ifExists: 'number' });
    expect(fs.readFileSync(output, 'utf8')).to.equal('mine');
  });

  it('a read-only folder is refused before any work', async function () {
    const disk = tinyDisk('ro,size=64k');
    if ('skip' in disk) {
      console.log(`      skipped: ${disk.skip}`);
      this.skip();
    }
    try {
      const output = path.join(disk.dir, 'out.png');
      expect((await refusal({ output })).message).to.equal(`Cannot write ${output}: ${disk.dir} is on a read-only `
        + 'file system. Choose an output in a writable folder.');
    } finally {
      disk.unmount();
    }
  });

  it('a 1 MB path is quoted cut, not whole', async () => {
    const output = path.join(dir, `${'x'.repeat(1_000_000)}.png`);
    const message = (await refusal({ output })).message;
    expect(message.length).to.be.below(500);
    expect(message).to.match(new RegExp('^Cannot write .*…x+\\.png: the file name is 1000004 bytes, more than this '
      + "folder's file system takes \\(most take 255\\)\\. Choose a shorter one\\.$"));
  });

  // Names of every length near the file system's limit, in 1- to 4-byte characters: each either passes the check and is
  // then written under exactly that name, or is refused up front saying the name is too long — never after the work.
  it('a name the file system takes is written, one it does not is refused up front, truly', async () => {
    const units = ['q', 'ж', '雪', '🦉'];
    for (const unit of units) {
      for (let bytes = 200; bytes <= 262; bytes += 1) {
        const count = Math.floor((bytes - 4) / Buffer.byteLength(unit));
        const name = `${unit.repeat(count)}${'_'.repeat(bytes - 4 - count * Buffer.byteLength(unit))}.png`;
        const output = path.join(dir, name);
        const check = await checkJob({ content: CONTENT, styles: [STYLE], output, options: { size: 32 } })
          .then(() => null, (e) => e);
        if (bytes <= 255) {
          expect(check, `${bytes} bytes of ${unit}`).to.equal(null);
          expect(await writeOutputFile(output, Buffer.from('picture'))).to.equal(output);
          fs.rmSync(output);
        } else {
          expect(check?.message, `${bytes} bytes of ${unit}`).to.equal(`Cannot write ${shown(output)}: the file name `
            + `is ${bytes} bytes, more than this folder's file system takes (most take 255). Choose a shorter one.`);
        }
      }
    }
    expect(listFiles(dir)).to.deep.equal([]);
  });

  it('a taken name that is numbered must leave room for "-1": checked up front', async () => {
    const name = `${'n'.repeat(251)}.png`; // 255 bytes: name-1.png would be 257
    fs.writeFileSync(path.join(dir, name), 'taken');
    await checkJob({ content: CONTENT, styles: [STYLE], output: path.join(dir, name), ifExists: 'replace' });
    expect((await refusal({ output: path.join(dir, name), ifExists: 'number' })).message)
      .to.match(/: the file name is 257 bytes, more than this folder's file system takes/);
    const shorter = `${'n'.repeat(249)}.png`;
    fs.writeFileSync(path.join(dir, shorter), 'taken');
    await checkJob({ content: CONTENT, styles: [STYLE], output: path.join(dir, shorter), ifExists: 'number' });
    expect(await writeOutputFile(path.join(dir, shorter), Buffer.from('new'), 'number'))
      .to.equal(path.join(dir, `${'n'.repeat(249)}-1.png`));
  });
});

describe('the output file: one exclusive create, nothing lost', () => {
  let dir: string;
  beforeEach(() => { dir = tempDir('ns-write-'); });

  it('concurrent writers of one path: exactly one wins, the others get a clear error, nothing is '
    + 'replaced', async () => {
    const output = path.join(dir, 'out.png');
    const datas = Array.from({ length: 8 }, (_, i) => Buffer.alloc(100_000 + i, i));
    const results = await Promise.allSettled(datas.map((d) => writeOutputFile(output, d)));
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(won).to.have.length(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as Error).message).to.equal(`${output} already exists. Choose `
        + 'another output path, or allow replacing it (CLI: --overwrite).');
    }
    expect(fs.readFileSync(output).equals(datas[won[0]])).to.equal(true);
    expect(listFiles(dir)).to.deep.equal(['out.png']);
  });

  it('numbered: concurrent writers each get a free name, and a name taken meanwhile is never replaced', async () => {
    const output = path.join(dir, 'cat.png');
    fs.writeFileSync(path.join(dir, 'cat-1.png'), 'taken');
    const written = await Promise.all(Array.from({ length: 5 },
      (_, i) => writeOutputFile(output, Buffer.from(`run ${i}`), 'number')));
    expect(written.map((f) => path.basename(f)).sort())
      .to.deep.equal(['cat-2.png', 'cat-3.png', 'cat-4.png', 'cat-5.png', 'cat.png']);
    expect(fs.readFileSync(path.join(dir, 'cat-1.png'), 'utf8')).to.equal('taken');
    expect(listFiles(dir)).to.have.length(6);
  });

  it('replace: the old file is whole until the new one is', async () => {
    const output = path.join(dir, 'out.png');
    fs.writeFileSync(output, 'old');
    expect(await writeOutputFile(output, Buffer.from('new'), 'replace')).to.equal(output);
    expect(fs.readFileSync(output, 'utf8')).to.equal('new');
    expect(listFiles(dir)).to.deep.equal(['out.png']);
  });

  it('overwriting a symlink replaces the link, never the file it points to (docs/SECURITY.md)', async () => {
    const elsewhere = tempDir('ns-elsewhere-');
    const precious = path.join(elsewhere, 'precious.png');
    fs.writeFileSync(precious, 'precious');
    const link = path.join(dir, 'out.png');
    const dangling = path.join(dir, 'gone.webp');
    fs.symlinkSync(precious, link);
    fs.symlinkSync(path.join(elsewhere, 'nothing.webp'), dangling);
    for (const output of [link, dangling]) {
      expect((await refusal({ output })).message).to.match(/already exists/);
      expect(await writeOutputFile(output, Buffer.from('numbered'), 'number'))
        .to.equal(output.replace(/(\.\w+)$/, '-1$1'));
      expect(fs.lstatSync(output).isSymbolicLink(), 'numbered: the link stays').to.equal(true);
      checkOutputPath(output, { inputs: [CONTENT], ifExists: 'replace' });
      expect(await writeOutputFile(output, Buffer.from('new'), 'replace')).to.equal(output);
      expect(fs.lstatSync(output).isFile(), 'the link is replaced by the new file').to.equal(true);
      expect(fs.readFileSync(output, 'utf8')).to.equal('new');
    }
    expect(fs.readFileSync(precious, 'utf8')).to.equal('precious');
    expect(listFiles(elsewhere)).to.deep.equal(['precious.png']);
  });

  it('a writer killed mid-write leaves a temp file that the next run removes (SIGKILL, then a second '
    + 'run)', async () => {
    const output = path.join(dir, 'big.png');
    const module = JSON.stringify(require.resolve('../../../packages/engine/src/node/output-file'));
    const write = `require(${module}).writeOutputFile(${JSON.stringify(output)}, Buffer.alloc(1 << 28, 7))`;
    const writer = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', write], { stdio: 'ignore' });
    // Kill it as soon as its temp file exists: it is mid-write (256 MB takes a while).
    for (let i = 0; i < 3000 && !listFiles(dir).some((f) => f.endsWith('.tmp')); i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    writer.kill('SIGKILL');
    await new Promise((r) => writer.once('exit', r));
    const debris = listFiles(dir);
    expect(debris, 'the kill left its temp file').to.have.length(1);
    expect(debris[0]).to.match(new RegExp(`^\\.neural-style\\.${writer.pid}\\.\\d+-0\\.tmp$`));
    checkOutputPath(output, { inputs: [CONTENT] });
    expect(listFiles(dir), 'removed by the next run').to.deep.equal([]);
  });

  it('only the temp files of dead processes are removed; a killed writer\'s are removed by its pid', () => {
    const output = path.join(dir, 'cat.png');
    const dead = deadPid();
    const names = [`.neural-style.${dead}.1700-0.tmp`, `.neural-style.${dead}.probe---.tmp`,
      `.neural-style.${process.pid}.1700-0.tmp`, '.neural-style.1.1700-0.tmp',
      `.neural-style.${dead}.notes`, `.cat.png.${dead}.1700-0.tmp`, `neural-style.${dead}.1700-0.tmp`];
    for (const n of names) fs.writeFileSync(path.join(dir, n), '');
    expect(removeStaleTemps(output).sort()).to.deep.equal(names.slice(0, 2).sort());
    expect(listFiles(dir)).to.deep.equal(names.slice(2).sort());
    expect(removeTempsOf(output, process.pid)).to.deep.equal([`.neural-style.${process.pid}.1700-0.tmp`]);
    expect(listFiles(dir)).to.deep.equal(names.slice(3).sort());
  });

  it('a full disk is a clear error: no partial file, an existing file untouched', async function () {
    const disk = tinyDisk('size=256k');
    if ('skip' in disk) {
      console.log(`      skipped: ${disk.skip}`);
      this.skip();
    }
    try {
      const output = path.join(disk.dir, 'out.png');
      fs.writeFileSync(output, 'the old picture');
      const full = `Cannot write ${output}: the disk is full (or your quota is used up). Free some space or choose `
        + 'another disk; nothing was written.';
      for (const ifExists of ['replace', 'number'] as const) {
        const error = await writeOutputFile(output, Buffer.alloc(1 << 20, 1), ifExists).catch((e) => e);
        expect(error.message, ifExists).to.equal(full);
      }
      expect(fs.readFileSync(output, 'utf8')).to.equal('the old picture');
      expect(listFiles(disk.dir)).to.deep.equal(['out.png']);
    } finally {
      disk.unmount();
    }
  });
});
