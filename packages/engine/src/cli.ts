/**
 * `neural-style <content> <style> [<style2> …] -o <out> [options]`. Every option
 * flag comes from the defaults table (core/options.ts), so --help is never stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs, ParseArgsConfig } from 'util';
import { DEFAULT_TEMPORAL_WEIGHT, OPTION_SPECS, OptionSpec, RUN_OPTION_SPECS, StylizeOptions } from './core/options';
import { CancelledError, NeuralStyleError } from './core/errors';
import { checkOption, checkStyleCount, validateRunOptions } from './core/validate';
import { printable, shown } from './core/text';
import { parseTextureSize } from './core/texture';
import { ChildJob, ChildJobEvents, runJobInChild } from './node/child-job';
import type { RunEstimate } from './core/cost';
import { formatDuration } from './duration';
import { regionMasksOf, styleMasksOf } from './mask-flags';
import { ProgressBar } from './node/progress-bar';
import { watchStdout } from './node/stdout-watch';
import { backendLine, FromEngine, JobSpec, progressFraction, ProgressReport } from './protocol';

/*
 * No tfjs and no sharp in this process: it checks the flags, then runs the job
 * in an engine process (node/child-job.ts) that Ctrl-C ends at once, and that
 * checks the job (the inputs' headers, the output path) in milliseconds before
 * its backend and weights load.
 */

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const ALL_SPECS: Record<string, OptionSpec> = { ...OPTION_SPECS, ...RUN_OPTION_SPECS };

/** A help row: the flag, then its text at column 38 (on the next line when the flag is longer). */
const row = (flag: string, text: string) =>
  (flag.length < 36 ? `  ${flag.padEnd(36)}${text}` : `  ${flag}\n${' '.repeat(38)}${text}`);

function usage(): string {
  const lines = [
    'Usage: neural-style <content> <style> [<style2> …] -o <output> [options]',
    '       neural-style --texture <WxH> <style> [<style2> …] -o <output> [options]',
    '       neural-style <frames/|clip.gif|.webp|.png|.mp4> <style> [<style2> …] -o <clip.gif|.webp|.png|.mp4|frames/>',
    '',
    'Paints <content> in the style of the style image(s) (Gatys et al. 2015) and writes <output>',
    '(png, jpg, webp, avif or tiff, from its extension). The inputs are never modified.',
    'With --texture, paints a texture of the style(s) from noise, with no photo (seamless: one that tiles).',
    'With masks, each style paints its own region of the photo: white in its mask; the photo stays where no mask is.',
    'A clip (a folder of frames, an animated GIF, WebP or PNG, a video) is painted frame by frame without flicker: -o a',
    '.gif, .webp, .png or .mp4, or a folder for the frames. Videos (mp4, mov, mkv, webm, avi) in and MP4 out need ffmpeg',
    'on the PATH.',
    '',
    'Options:',
    row('-o, --output <file>', 'Output image (required; never one of the inputs).'),
    row('    --texture <WxH|N>', 'A texture of this size (N: N×N) in place of a content image.'),
    row('    --mask <style>=<mask>', 'A region for that style: a grey image the photo\'s size, white where the style '
      + 'goes. One per style; or give the masks alone, in the styles\' order.'),
    row('    --style-mask <style>=<mask>', 'The part of that painting its style is taken from: a grey image the '
      + 'painting\'s size, white there. Any styles; with one style, the mask alone.'),
    row('    --temporal-weight <n>', 'A clip: how strongly each frame holds to the last where the motion is known '
      + `(default ${DEFAULT_TEMPORAL_WEIGHT}; 0: it only starts from it).`),
    row('    --resume', 'A clip: go on from the frames an interrupted run of the same command left (in the output '
      + 'folder, or in <output>.frames beside an animation).'),
    row('    --overwrite', 'Replace the output file if it exists (without it, an existing output is refused).'),
    row('    --weights <dir|url>', 'VGG19 weights: a folder (or its model.json, or a file:// URL of either), '
      + 'or an https URL of a model.json (default: the bundled ones).'),
    row('    --json', 'Print JSON lines (backend, progress, done) on stdout instead of a progress bar.'),
    row('    --verbose', 'Print stack traces with errors.'),
    row('-h, --help', 'This help.'),
  ];
  for (const [name, spec] of Object.entries(ALL_SPECS)) {
    const value = spec.type === 'enum' ? spec.values.join('|') : spec.type === 'number' ? 'n' : 'list';
    const flag = spec.type === 'boolean' ? `--${kebab(name)}, --no-${kebab(name)}` : `--${kebab(name)} <${value}>`;
    const def = Array.isArray(spec.default) ? (spec.default.length ? spec.default.join(',') : 'none')
      : String(spec.default);
    lines.push(row(`    ${flag}`, `${spec.description} (default: ${def})`));
  }
  return lines.join('\n');
}

/**
 * `--size -5` → `--size=-5`: parseArgs takes a value that starts with a dash for an option, so the check would never
 * see it.
 */
function joinNegativeValues(argv: string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = /^--([a-z-]+)$/.exec(argv[i])?.[1];
    const next = argv[i + 1];
    const takesValue = flag !== undefined && Object.hasOwn(options, flag) && options[flag].type === 'string';
    if (takesValue && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

function parse(argv: string[]) {
  const options: ParseArgsConfig['options'] = {
    output: { type: 'string', short: 'o' }, texture: { type: 'string' }, weights: { type: 'string' },
    mask: { type: 'string', multiple: true }, 'style-mask': { type: 'string', multiple: true },
    'temporal-weight': { type: 'string' }, resume: { type: 'boolean' },
    json: { type: 'boolean' },
    overwrite: { type: 'boolean' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(ALL_SPECS)) {
    options[kebab(name)] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
    if (spec.type === 'boolean') options[`no-${kebab(name)}`] = { type: 'boolean' };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (e) {
    // Node's message in full (it spans lines), with the user's text in it cut to a sane length.
    const message = shown((e as Error).message.replace(/\s*\n\s*/g, ' ').trim(), 400);
    throw new NeuralStyleError(`${message}${/[.?!]$/.test(message) ? '' : '.'} Run with --help for the options.`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const stylize: Record<string, unknown> = {};
  const run: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(ALL_SPECS)) {
    let value = values[kebab(name)];
    if (values[`no-${kebab(name)}`]) value = false;
    if (value === undefined) continue;
    const target = Object.hasOwn(OPTION_SPECS, name) ? stylize : run;
    target[name] = checkOption(`--${kebab(name)}`, spec, value);
  }
  return { values, positionals: parsed.positionals, stylize: stylize as Partial<StylizeOptions>, run };
}

function printProgress(json: boolean, bar: ProgressBar | null, p: ProgressReport): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ event: 'progress', ...p })}\n`);
  } else {
    const tile = p.tiles ? `  tile ${p.tile}/${p.tiles}` : '';
    const frame = p.frames ? `frame ${p.frame}/${p.frames}  ` : '';
    const where = `${frame}scale ${p.scale}/${p.scales} ${p.width}×${p.height}  it ${p.iteration}/${p.iterations}${tile}`;
    const loss = p.losses.total.toExponential(3);
    bar?.update(progressFraction(p), `${where}  loss ${loss}  ETA ${formatDuration(p.etaMs)}`);
  }
}

/** "plan: 2 scales (512×341, 1024×681), about 3:20 (a guess for wasm)"; an enlarged photo said. */
function planLine(e: RunEstimate): string {
  const sizes = e.scales.map((s) => `${s.width}×${s.height}`).join(', ');
  const basis = e.measured ? `at this machine's speed on ${e.backend}` : `a guess for ${e.backend}`;
  const enlarged = e.upscaled ? `; the photo (${e.content.width}×${e.content.height}) is enlarged` : '';
  return `plan: ${e.scales.length} scale${e.scales.length === 1 ? '' : 's'} (${sizes}), `
    + `about ${formatDuration(e.estimateMs)} (${basis})${enlarged}`;
}

/**
 * The exit codes (docs/CLI.md, "Exit codes"): 0 done, 1 a bad request or input (the message says what), 70 a bug, 128 +
 * signal
 * when cancelled (SIGPIPE: stdout's reader went away, as a shell reports a program that signal ended).
 */
export const EXIT = {
  done: 0, refused: 1, internal: 70, SIGHUP: 129, SIGINT: 130, SIGPIPE: 141, SIGTERM: 143,
} as const;
type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

function identity(file: string): string | null {
  try {
    const s = fs.statSync(file);
    return `${s.dev}:${s.ino}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

/**
 * A message for the terminal: its own lines kept, any control character in them (an ANSI escape from a name) escaped.
 */
const lines = (text: string) => text.split('\n').map(printable).join('\n');

/**
 * How the engine's messages are shown: JSON lines on stdout, or on stderr a bar (a plain line now and then without a
 * TTY).
 */
function engineEvents(json: boolean, verbose: boolean, bar: ProgressBar | null): ChildJobEvents {
  let lastLine = 0;
  return {
    backend: ({ name, detail, skipped, adapter }) => {
      const event = { event: 'backend', backend: name, detail, skipped, ...(adapter ? { adapter } : {}) };
      if (json) process.stdout.write(`${JSON.stringify(event)}\n`);
      else process.stderr.write(`${backendLine({ detail, skipped })}\n`);
    },
    log: (level, message) => {
      const prefix = level === 'info' ? '' : level === 'warn' ? 'Warning: ' : 'Error: ';
      if (level !== 'info' || verbose) process.stderr.write(`${prefix}${lines(message)}\n`);
    },
    stderr: (text) => { if (verbose) process.stderr.write(text); },
    plan: ({ estimate }) => {
      if (json) process.stdout.write(`${JSON.stringify({ event: 'plan', ...estimate })}\n`);
      else process.stderr.write(`${planLine(estimate)}\n`);
    },
    frame: ({ frame, frames, file }) => {
      if (json) process.stdout.write(`${JSON.stringify({ event: 'frame', frame, frames, file: path.resolve(file) })}\n`);
      else if (!bar) process.stderr.write(`frame ${frame}/${frames}: ${shown(file)}\n`);
    },
    progress: ({ type: _type, id: _id, ...p }) => {
      printProgress(json, bar, p);
      if (!json && !bar && (p.step === p.totalSteps || performance.now() - lastLine > 10_000)) {
        lastLine = performance.now();
        const tile = p.tiles && p.tile !== p.tiles ? `, tile ${p.tile}/${p.tiles}` : '';
        const loss = p.losses.total.toExponential(3);
        process.stderr.write(`step ${p.step}/${p.totalSteps} (scale ${p.scale}/${p.scales}${tile}) loss ${loss} `
          + `ETA ${formatDuration(p.etaMs)}\n`);
      }
    },
  };
}

/** The command line as a job, its flags checked (the engine process checks the files before it loads anything). */
type Request = { help: true } | { help: false; run: ChildJob; json: boolean; verbose: boolean };

async function request(argv: string[]): Promise<Request> {
  const { values, positionals, stylize: given, run } = parse(argv);
  if (values.help) return { help: true };
  const texture = typeof values.texture === 'string' ? parseTextureSize(values.texture) : undefined;
  if (positionals.length < (texture ? 1 : 2)) {
    throw new NeuralStyleError(texture ? 'Give at least one style image for the texture. Run with --help for usage.'
      : 'Give a content image and at least one style image. Run with --help for usage.');
  }
  if (typeof values.output !== 'string') throw new NeuralStyleError('Give the output file with -o <file>.');
  if (values.weights === '') {
    throw new NeuralStyleError('Invalid --weights "": give a weights folder, its model.json, or an https URL of a '
      + 'model.json (or leave the flag out for the bundled weights).', 'EWEIGHTS');
  }
  const runOptions = validateRunOptions(run);
  // A texture's images are all styles.
  const content = texture ? undefined : positionals[0];
  const styles = texture ? positionals : positionals.slice(1);
  checkStyleCount(styles.length); // more than a start message carries: said as the engine would say it
  const masks = regionMasksOf(values.mask as string[] | undefined, styles);
  const styleMasks = styleMasksOf(values['style-mask'] as string[] | undefined, styles);
  const clip = await clipOf(content, values['temporal-weight'] as string | undefined, values.resume === true);
  const job: JobSpec = {
    ...(texture ? { texture } : { content }), styles, ...masks ? { masks } : {}, ...styleMasks ? { styleMasks } : {},
    ...clip ? { clip } : {}, output: values.output, options: given,
    maxInputPixels: runOptions.maxInputPixels, gpuMemory: runOptions.gpuMemory, memory: runOptions.memory,
    ifExists: values.overwrite ? 'replace' : 'refuse',
  };
  const weights = values.weights as string | undefined;
  const child: ChildJob = { job, backend: runOptions.backend, weights };
  return { help: false, run: child, json: Boolean(values.json), verbose: Boolean(values.verbose) };
}

/**
 * A clip's part of the job where the content is one (a folder of frames, an animated GIF or WebP, a video: sharp,
 * loaded only to look), with its --temporal-weight and --resume; those flags without a clip are refused.
 */
async function clipOf(content: string | undefined, weight: string | undefined,
  resume: boolean): Promise<JobSpec['clip']> {
  const { isClip } = await import('./node/clip-files');
  const clip = content !== undefined && await isClip(content);
  if (!clip) {
    if (weight === undefined && !resume) return undefined;
    throw new NeuralStyleError(`${weight === undefined ? '--resume' : '--temporal-weight'} is for a clip (a folder of `
      + `frames, an animated GIF, WebP or PNG, or a video), and ${shown(content ?? '--texture')} is a still picture.`);
  }
  const temporalWeight = weight === undefined ? undefined : Number(weight);
  if (temporalWeight !== undefined && !(Number.isFinite(temporalWeight) && temporalWeight >= 0)) {
    throw new NeuralStyleError(`Invalid --temporal-weight ${shown(weight!)}: give a number from 0 up.`);
  }
  return { ...temporalWeight === undefined ? {} : { temporalWeight }, ...resume ? { resume } : {} };
}

/** What an interrupted clip left: its frames and how to go on from them (nothing where it painted none). */
async function framesKept(job: JobSpec): Promise<string> {
  if (!job.clip) return '';
  const { clipFramesFolder, frameFiles } = await import('./node/clip-files');
  const folder = clipFramesFolder(job.output);
  let count = 0;
  try {
    count = frameFiles(folder).length;
  } catch {
    // No folder (nothing was painted), or one that cannot be read: nothing to say of it.
  }
  const frames = count === 1 ? 'The frame painted is' : `The ${count} frames painted are`;
  return count === 0 ? '' : ` ${frames} kept in ${shown(folder)}: run the same command with --resume to go on.`;
}

export async function main(argv: string[]): Promise<number> {
  let verbose = argv.includes('--verbose');
  const abort = new AbortController();
  let signalName: StopSignal = 'SIGINT';
  const onSignal = (name: StopSignal) => {
    signalName = name;
    abort.abort();
  };
  // Not once: a second Ctrl-C during cleanup must not kill us mid-cleanup.
  const signals: StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const name of signals) process.on(name, onSignal);
  const stdout = watchStdout(() => abort.abort());
  let output = '';
  let job: JobSpec | null = null;
  let before: string | null = null;
  // Killed between its last write and its answer, the engine may have written the output after all: say so.
  const written = () => output !== '' && identity(output) !== null && identity(output) !== before;
  try {
    const asked = await request(argv);
    if (asked.help) {
      process.stdout.write(`${usage()}\n`);
      await stdout.flushed();
      return stdout.failure ? outputFailed(stdout.failure, 'nothing else was done') : EXIT.done;
    }
    verbose = asked.verbose;
    output = asked.run.job.output;
    job = asked.run.job;
    before = identity(output);
    const bar = !asked.json && process.stderr.isTTY ? new ProgressBar(process.stderr) : null;
    const done = await runJobInChild(asked.run, abort.signal, engineEvents(asked.json, verbose, bar));
    bar?.done();
    printDone(asked.json, done);
    await stdout.flushed();
    return stdout.failure ? outputFailed(stdout.failure, `${shown(done.output)} was written`) : EXIT.done;
  } catch (error) {
    const kept = job ? await framesKept(job) : '';
    if (error instanceof CancelledError) {
      const outcome = written() ? `${shown(output)} had already been written` : 'nothing was written';
      if (stdout.failure) return outputFailed(stdout.failure, outcome);
      process.stderr.write(written() ? `\nCancelled, but ${outcome}.\n`
        : kept ? `\nCancelled.${kept}\n` : '\nCancelled; nothing was written.\n');
      return EXIT[signalName];
    }
    return reportError(error as Error, verbose, kept);
  } finally {
    for (const name of signals) process.off(name, onSignal);
  }
}

/** stdout failed: its reader went away (EPIPE), or its file takes no more (ENOSPC, EIO); the job was stopped there. */
function outputFailed(error: NodeJS.ErrnoException, outcome: string): number {
  const code = error.code ?? 'EIO';
  if (code === 'EPIPE') {
    process.stderr.write(`Stopped: standard output was closed (EPIPE); ${outcome}.\n`);
    return EXIT.SIGPIPE;
  }
  process.stderr.write(`Error: cannot write to standard output (${code}); stopped, ${outcome}.\n`);
  return EXIT.refused;
}

/**
 * One "Error:" line (a bug's whole message and every stack only with --verbose), and what a clip kept; the exit code
 * says which kind.
 */
function reportError(e: Error, verbose: boolean, kept = ''): number {
  const known = e instanceof NeuralStyleError;
  const message = known || verbose ? e.message : e.message.split('\n')[0];
  process.stderr.write(`${known ? '' : '\n'}Error: ${lines(message)}${kept}\n`);
  if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
  return known ? EXIT.refused : EXIT.internal;
}

function printDone(json: boolean, done: FromEngine<'done'>): void {
  const { steps, losses, backend } = done;
  if (json) {
    const output = path.resolve(done.output);
    const event = { event: 'done', output, steps, elapsedMs: Math.round(done.elapsedMs), losses, backend };
    process.stdout.write(`${JSON.stringify(event)}\n`);
  } else {
    process.stderr.write(`Wrote ${shown(done.output)} (${steps} iterations in ${formatDuration(done.elapsedMs)})\n`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
