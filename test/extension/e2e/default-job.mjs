// A benchmark, not a test: the default job as a new user makes it, timed in the real VS Code (code-server and
// Chromium, the packaged .vsix). Right-click a photo → Stylize Image… → The Starry Night, with every setting the
// default, then wait for the result. Prints, from the click on the painting: the first line the panel shows, the
// first step, the result written; and the panel's estimate and ETA against the time the run really took (its
// error at 10 % … 90 % of the wait). Needs what rig.mjs says; a run takes minutes (the job's own time and ~30 s).
// Usage: node test/extension/e2e/default-job.mjs [path/to.vsix]      (pnpm bench:extension)
// NS_SETTINGS='{"neuralStyle.size":128}' runs another job (workspace settings as JSON), e.g. to try the script.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { contextMenuItem, installVsix, logger, makeWorkspace, openWorkbench, panelFrame, pickerRow, repo, vsixPath }
  from './rig.mjs';

const PHOTO = 'chelsea.png';
const OUTPUT = 'chelsea.van_gogh_starry_night.png';
const FRACTIONS = [0.1, 0.25, 0.5, 0.75, 0.9];

/** "1:02:03" or "4:05" in ms. */
const durationMs = (text) => text.split(':').reduce((sum, part) => sum * 60 + Number(part), 0) * 1000;

/** What a line of the panel says of the time left: "… 4:05 left" while running, "… about 4:05 …" before. */
function leftMs(text) {
  const running = /(\d+(?::\d\d)+) left/.exec(text);
  if (running) return durationMs(running[1]);
  const planned = /about (\d+(?::\d\d)+)/.exec(text);
  return planned ? durationMs(planned[1]) : undefined;
}

/** The samples' ETA error at each fraction of the wait: (said − true) / true, from the sample nearest before it. */
function etaErrors(samples, totalMs) {
  return FRACTIONS.map((fraction) => {
    const at = fraction * totalMs;
    const sample = samples.filter((s) => s.ms <= at && s.leftMs !== undefined).at(-1);
    if (!sample) return { fraction, error: null };
    const trueLeft = totalMs - sample.ms;
    return { fraction, atS: sample.ms / 1000, saidS: sample.leftMs / 1000, trueS: trueLeft / 1000,
      error: Math.round((sample.leftMs - trueLeft) / trueLeft * 1000) / 10 };
  });
}

const vsix = vsixPath(process.argv[2]);
if (!existsSync(vsix)) {
  console.error(`default-job: ${vsix} not found; run pnpm package first.`);
  process.exit(1);
}
const log = logger();
const settings = process.env.NS_SETTINGS ? JSON.parse(process.env.NS_SETTINGS) : undefined;
const workspace = makeWorkspace({ photos: [join(repo, 'media', 'examples', PHOTO)], settings });
installVsix(vsix, workspace.dataDir);
const { cs, ctx, page } = await openWorkbench(workspace, PHOTO);
let failed = false;
try {
  await (await contextMenuItem(page, PHOTO, 'Stylize Image…')).click();
  const painting = await pickerRow(page, 'The Starry Night');
  const clicked = Date.now();
  await painting.click();
  log('clicked The Starry Night');
  const frame = await panelFrame(page);
  const output = join(workspace.ws, OUTPUT);
  const samples = [];
  let firstStepMs;
  for (const deadline = clicked + 3 * 3600e3; !existsSync(output);) {
    if (Date.now() > deadline) throw new Error(`${OUTPUT} was not written in 3 hours`);
    const text = await frame.locator('#progress-text').textContent().catch(() => '') ?? '';
    const ms = Date.now() - clicked;
    if (text && text !== samples.at(-1)?.text) {
      samples.push({ ms, text, leftMs: leftMs(text) });
      if (samples.length === 1) log(`the panel's first line: ${text}`);
    }
    if (firstStepMs === undefined && /Step [1-9]/.test(text)) {
      firstStepMs = ms;
      log(`the first step: ${text}`);
    }
    await page.waitForTimeout(500);
  }
  const totalMs = Date.now() - clicked;
  log(`${OUTPUT} written`);
  const estimate = samples.find((s) => !/Step \d/.test(s.text) && s.leftMs !== undefined);
  const summary = {
    settings: settings ?? 'defaults', clickToFirstLineS: samples[0] && samples[0].ms / 1000,
    clickToFirstStepS: firstStepMs / 1000, clickToResultS: totalMs / 1000,
    estimateBeforeFirstStep: estimate && { atS: estimate.ms / 1000, saidS: estimate.leftMs / 1000,
      trueS: (totalMs - estimate.ms) / 1000, text: estimate.text },
    etaErrorPercent: etaErrors(samples, totalMs),
  };
  console.log(JSON.stringify(summary, null, 2));
} catch (e) {
  failed = true;
  console.error('default-job FAILED', e);
} finally {
  await ctx.close().catch(() => {});
  await cs.stop();
  if (!failed) rmSync(workspace.dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
