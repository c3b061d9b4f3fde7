// The test-only message (loseGpu) is on the wire of a development build and refused by a production one:
// the panel protocol is bundled here as build.mjs bundles it, with NEURAL_STYLE_TEST_BUILD defined each way.
import * as assert from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

type Protocol = typeof import('../../../extension/shared/protocol');

async function protocolBuiltAs(testBuild: boolean, dir: string): Promise<Protocol> {
  const outfile = join(dir, `protocol-${testBuild}.js`);
  await esbuild.build({
    entryPoints: [join(__dirname, '../../../extension/shared/protocol.ts')], outfile, bundle: true,
    platform: 'node', format: 'cjs', logLevel: 'error', define: { NEURAL_STYLE_TEST_BUILD: String(testBuild) },
  });
  return require(outfile) as Protocol;
}

describe('test-only parts in a production build', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'ns-test-build-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a development build takes loseGpu, a production build refuses it as an unknown message', async () => {
    const development = await protocolBuiltAs(true, dir);
    assert.deepStrictEqual(development.parseToWebview({ type: 'loseGpu' }), { type: 'loseGpu' });
    const production = await protocolBuiltAs(false, dir);
    assert.throws(() => production.parseToWebview({ type: 'loseGpu' }), /loseGpu/);
    // The rest of the compute protocol is the same in both.
    assert.deepStrictEqual(production.parseToWebview({ type: 'stopCompute' }), { type: 'stopCompute' });
  });
});
