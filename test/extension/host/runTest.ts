/**
 * Runs the integration suite (index.ts and *.test.ts beside it) inside a real VS Code extension host.
 * VSCODE_TEST_EXECUTABLE (set by .ci/run to ../shared/vscode-test/code-shim,
 * which runs the tests in code-server) is used when set; otherwise VS Code is
 * downloaded. A failed download fails the run under CI=true and is a printed
 * skip elsewhere (the "suite skipped: why" line scripts/test.mjs reports).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const extensionDevelopmentPath = path.resolve(__dirname, '../..');
  const extensionTestsPath = path.resolve(__dirname, 'index');
  const fixtures = path.resolve(extensionDevelopmentPath, '..', 'test', 'fixtures');

  let vscodeExecutablePath = process.env.VSCODE_TEST_EXECUTABLE || undefined;
  if (!vscodeExecutablePath) {
    try {
      vscodeExecutablePath = await downloadAndUnzipVSCode();
    } catch (e) {
      const why = `cannot download VS Code (${(e as Error).message.split('\n')[0]}) and VSCODE_TEST_EXECUTABLE is not set`;
      if (process.env.CI === 'true') {
        console.error(`extension integration tests FAILED: ${why}.`);
        return 1;
      }
      console.log(`suite skipped: ${why}. Run bash ../shared/vscode-test/install-code-server.sh and set VSCODE_TEST_EXECUTABLE=<repo>/../shared/vscode-test/code-shim.`);
      return 0;
    }
  }
  // A fresh folder each run: the tests write results beside the fixture images.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-ext-ws-'));
  fs.copyFileSync(path.join(fixtures, 'chelsea-64.png'), path.join(workspace, 'chelsea.png'));
  fs.copyFileSync(path.join(fixtures, 'chelsea-64.png'), path.join(workspace, 'chelsea-copy.png'));
  fs.copyFileSync(path.join(fixtures, 'starry-64.png'), path.join(workspace, 'starry.png'));
  fs.copyFileSync(path.join(fixtures, 'bmp', 'starry-16-24bit.bmp'), path.join(workspace, 'tiny.bmp'));
  // The rig stops a run after CODE_SERVER_TEST_TIMEOUT s (600 by default): the software GPU jobs alone take minutes.
  process.env.CODE_SERVER_TEST_TIMEOUT ??= '1800';
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { NS_TEST_WORKSPACE: workspace },
    });
    return 0;
  } catch (e) {
    console.error(`extension integration tests failed: ${(e as Error).message ?? e}`);
    return 1;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
