import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { chooseBackend } from '../../../packages/engine/src/node/backend';
import { RUN_OPTION_SPECS, WEBVIEW_BACKENDS } from '../../../packages/engine/src/core/options';
import { ROOT, tempDir } from '../helpers';

const BIN = path.join(ROOT, 'packages', 'engine', 'bin', 'neural-style.js');

describe('webgl (VS Code\'s webview only; webgpu runs in the engine too: dawn.test.ts)', () => {
  it('the webview\'s backends are values of the backend option', () => {
    for (const b of WEBVIEW_BACKENDS) expect(RUN_OPTION_SPECS.backend.values).to.include(b);
  });

  it('the engine refuses webgl with a message saying where it runs and what to use here', async () => {
    let error: (Error & { code?: string }) | undefined;
    await chooseBackend('webgl').catch((e: Error) => { error = e; });
    expect(error?.message).to.equal('Backend webgl runs in VS Code\'s webview (a browser), not in the engine process or the CLI: Node has no WebGL. Here use auto, webgpu, tensorflow-gpu, tensorflow, wasm or cpu.');
    expect(error?.code).to.equal('EBACKEND');
  });

  it('the CLI says so too, and writes nothing', () => {
    const out = path.join(tempDir(), 'out.png');
    const r = spawnSync(process.execPath, [BIN, path.join(ROOT, 'test', 'fixtures', 'chelsea-64.png'), path.join(ROOT, 'test', 'fixtures', 'starry-64.png'),
      '-o', out, '--size', '32', '--iterations', '1', '--backend', 'webgl'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.include('Backend webgl runs in VS Code\'s webview');
    expect(spawnSync('test', ['-e', out]).status).to.equal(1);
  });
});
