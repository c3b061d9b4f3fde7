/**
 * `neural-style <content> <style> [<style2> …] -o <out> [options]`. Every option
 * flag comes from the defaults table (core/options.ts), so --help is never stale.
 */
import * as path from 'path';
import { parseArgs, ParseArgsConfig } from 'util';
import { OPTION_SPECS, OptionSpec, RUN_OPTION_SPECS, StylizeOptions } from './core/options';
import { CancelledError, NeuralStyleError } from './core/errors';
import { Progress } from './core/stylize';
import { checkOption, validateOptions, validateRunOptions } from './core/validate';
import { describeBackend } from './node/backend';
import { loadEngine, stylizeFiles } from './node/engine';
import { imageSize, outputFormat } from './node/image';
import { formatDuration } from './duration';
import { ProgressBar } from './node/progress-bar';
import { progressFraction } from './protocol';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const ALL_SPECS: Record<string, OptionSpec> = { ...OPTION_SPECS, ...RUN_OPTION_SPECS };

/** A help row: the flag, then its text at column 38 (on the next line when the flag is longer). */
const row = (flag: string, text: string) => (flag.length < 36 ? `  ${flag.padEnd(36)}${text}` : `  ${flag}\n${' '.repeat(38)}${text}`);

function usage(): string {
  const lines = [
    'Usage: neural-style <content> <style> [<style2> …] -o <output> [options]',
    '',
    'Paints <content> in the style of the style image(s) (Gatys et al. 2015) and writes <output>',
    '(png, jpg, webp, avif or tiff, from its extension). The inputs are never modified.',
    '',
    'Options:',
    row('-o, --output <file>', 'Output image (required; never one of the inputs).'),
    row('    --weights <dir|url>', 'VGG19 weights: a folder, or an https URL of a model.json (default: the bundled ones).'),
    row('    --json', 'Print JSON lines (backend, progress, done) on stdout instead of a progress bar.'),
    row('    --verbose', 'Print stack traces with errors.'),
    row('-h, --help', 'This help.'),
  ];
  for (const [name, spec] of Object.entries(ALL_SPECS)) {
    const flag = spec.type === 'boolean' ? `--${kebab(name)}, --no-${kebab(name)}` : `--${kebab(name)} <${spec.type === 'enum' ? spec.values.join('|') : spec.type === 'number' ? 'n' : 'list'}>`;
    const def = Array.isArray(spec.default) ? (spec.default.length ? spec.default.join(',') : 'none') : String(spec.default);
    lines.push(row(`    ${flag}`, `${spec.description} (default: ${def})`));
  }
  return lines.join('\n');
}

function parse(argv: string[]) {
  const options: ParseArgsConfig['options'] = {
    output: { type: 'string', short: 'o' }, weights: { type: 'string' }, json: { type: 'boolean' },
    verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(ALL_SPECS)) {
    options[kebab(name)] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
    if (spec.type === 'boolean') options[`no-${kebab(name)}`] = { type: 'boolean' };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new NeuralStyleError(`${(e as Error).message.split('\n')[0]} Run with --help for the options.`);
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

function printProgress(json: boolean, bar: ProgressBar | null, p: Progress): void {
  if (json) {
    const { preview: _preview, ...rest } = p;
    process.stdout.write(`${JSON.stringify({ event: 'progress', ...rest })}\n`);
  } else {
    const tile = p.tiles ? `  tile ${p.tile}/${p.tiles}` : '';
    bar?.update(progressFraction(p), `scale ${p.scale}/${p.scales} ${p.width}×${p.height}  it ${p.iteration}/${p.iterations}${tile}  loss ${p.losses.total.toExponential(3)}  ETA ${formatDuration(p.etaMs)}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  let verbose = argv.includes('--verbose');
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on('SIGINT', onSignal); // not once: a second Ctrl-C during cleanup must not kill us mid-write
  process.on('SIGTERM', onSignal);
  try {
    const { values, positionals, stylize: given, run } = parse(argv);
    verbose = Boolean(values.verbose);
    if (values.help) {
      process.stdout.write(`${usage()}\n`);
      return 0;
    }
    const json = Boolean(values.json);
    if (positionals.length < 2) throw new NeuralStyleError('Give a content image and at least one style image. Run with --help for usage.');
    if (typeof values.output !== 'string') throw new NeuralStyleError('Give the output file with -o <file>.');
    const options = validateOptions(given);
    const runOptions = validateRunOptions(run);
    const [content, ...styles] = positionals;
    // Read the headers first: a bad input fails in milliseconds, before the weights load.
    for (const file of positionals) await imageSize(file, runOptions.maxInputPixels);
    outputFormat(values.output);
    const engine = await loadEngine({ backend: runOptions.backend, weights: values.weights as string | undefined });
    const backendLine = describeBackend(engine.backend);
    if (json) process.stdout.write(`${JSON.stringify({ event: 'backend', backend: engine.backend.name, detail: engine.backend.detail, skipped: engine.backend.skipped })}\n`);
    else process.stderr.write(`${backendLine}\n`);
    const bar = !json && process.stderr.isTTY ? new ProgressBar(process.stderr) : null;
    let lastLine = 0;
    const result = await stylizeFiles(engine, { content, styles, output: values.output, options, maxInputPixels: runOptions.maxInputPixels }, {
      signal: abort.signal,
      onProgress: (p) => {
        printProgress(json, bar, p);
        // Without a TTY (logs, CI) print a plain line now and then rather than a bar.
        if (!json && !bar && (p.step === p.totalSteps || performance.now() - lastLine > 10_000)) {
          lastLine = performance.now();
          const tile = p.tiles && p.tile !== p.tiles ? `, tile ${p.tile}/${p.tiles}` : '';
          process.stderr.write(`step ${p.step}/${p.totalSteps} (scale ${p.scale}/${p.scales}${tile}) loss ${p.losses.total.toExponential(3)} ETA ${formatDuration(p.etaMs)}\n`);
        }
      },
    });
    bar?.done();
    if (json) process.stdout.write(`${JSON.stringify({ event: 'done', output: path.resolve(result.output), steps: result.steps, elapsedMs: Math.round(result.elapsedMs), losses: result.losses, backend: result.backend })}\n`);
    else process.stderr.write(`Wrote ${result.output} (${result.steps} iterations in ${formatDuration(result.elapsedMs)})\n`);
    return 0;
  } catch (error) {
    const e = error as Error;
    if (error instanceof CancelledError) {
      process.stderr.write('\nCancelled; nothing was written.\n');
      return 130;
    }
    const known = error instanceof NeuralStyleError;
    process.stderr.write(`${known ? '' : '\n'}Error: ${e.message}\n`);
    if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
    return known ? 1 : 70;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
