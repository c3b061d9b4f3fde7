import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import type { DawnAdapter, DawnProbe } from '../../../packages/engine/src/node/dawn';
import { ROOT } from '../helpers';

/*
 * Dawn on these GPU-less machines: Chromium's SwiftShader Vulkan driver (the
 * `chromium` package the VS Code rig installs) with the system's Vulkan
 * loader (libvulkan1). Where neither is there the tests skip with the
 * reason, and fail under CI=true, whose machine has both.
 */

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** This process's environment, with Chromium's SwiftShader as the Vulkan driver unless one is named already. */
export function dawnEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const named = process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES;
  return { ...process.env, ...(named || !fs.existsSync(SWIFTSHADER) ? {}
    : { VK_ICD_FILENAMES: SWIFTSHADER }), ...extra };
}

/** What Dawn offers in a fresh process with dawnEnv(). */
function probe(): DawnProbe {
  const script = `require(${JSON.stringify(path.join(ROOT, 'packages', 'engine', 'dist', 'node', 'dawn.js'))}).probeDawn().then((p) => { process.stdout.write(JSON.stringify(p)); process.exit(0); })`;
  const r = spawnSync(process.execPath, ['-e', script], { env: dawnEnv(), encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? JSON.parse(r.stdout) : { problem: `the probe failed: ${r.stderr.trim().split('\n').pop()}` };
}

/** Dawn's adapter here, or the calling suite skipped with why (a failure under CI=true). */
export function dawnOrSkip(suite: Mocha.Context): DawnAdapter {
  const found = probe();
  if ('problem' in found) {
    if (process.env.CI === 'true') throw new Error(`No WebGPU adapter for Dawn here: ${found.problem}. CI installs libvulkan1 and Chromium (its SwiftShader Vulkan driver).`);
    console.log(`      skipped: ${found.problem} (apt-get install libvulkan1 chromium: Chromium's SwiftShader serves as the Vulkan driver)`);
    suite.skip();
  }
  const { adapter } = found as { adapter: DawnAdapter };
  console.log(`      adapter: ${adapter.name}${adapter.software ? ' (software)' : ''}`);
  return adapter;
}
