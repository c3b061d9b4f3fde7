/** Where a job ran, in the panel's words (shared/where.ts), and the host's view of a route (routeJob.ts whereOf). */
import * as assert from 'assert';
import * as os from 'os';
import { gpuName, isGpuBackend, whereText } from '../../../extension/shared/where';
import { whereOf } from '../../../extension/src/routeJob';

const adapter = (name: string, fallback = false) => ({ name, fallback, maxTextureSize: 8192, maxBufferSize: 1 << 30 });

describe('where a job ran, in words', () => {
  it('says the CPU with its cores, or the GPU by its name, never the backend\'s', () => {
    const where = { cores: 6, gpu: 'Radeon Pro 560' };
    assert.strictEqual(whereText('wasm (SIMD, 6 threads)', where), 'the CPU (6 cores)');
    assert.strictEqual(whereText('tensorflow', { cores: 1 }), 'the CPU (1 core)');
    assert.strictEqual(whereText('webgpu: Radeon Pro 560', where), 'your GPU (Radeon Pro 560)');
    assert.strictEqual(whereText('tensorflow-gpu'), 'your GPU');
    assert.strictEqual(whereText('cpu'), 'the CPU');
    assert.deepStrictEqual(['webgl', 'webgpu', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'].map(isGpuBackend),
      [true, true, true, false, false, false]);
  });

  it('reads a GPU\'s name out of WebGL\'s ANGLE renderer string', () => {
    const renderer = 'ANGLE (Intel, Intel(R) Iris(R) Xe Graphics (0x00009A49) Direct3D11 vs_5_0 ps_5_0, D3D11)';
    assert.strictEqual(gpuName(renderer), 'Intel(R) Iris(R) Xe Graphics');
    assert.strictEqual(gpuName('Apple M3 Pro (metal-3)'), 'Apple M3 Pro (metal-3)');
  });
});

describe('the panel\'s view of a route (whereOf)', () => {
  const cores = os.availableParallelism?.() ?? os.cpus().length;

  it('a webview run names its adapter', () => {
    const route = { where: 'webview' as const, backend: 'webgl' as const, adapter: adapter('GeForce GTX 1650'),
      skipped: ['x'] };
    assert.deepStrictEqual(whereOf(route), { cores, gpu: 'GeForce GTX 1650', whyNotGpu: 'x' });
  });

  it('a CPU run says why the GPUs were skipped, and offers a hardware GPU the probes found', () => {
    const skipped = ['tfjs-node-gpu: not installed', 'webgpu in the engine: no adapter', 'note: chosen'];
    const route = { where: 'engine' as const, backend: 'wasm' as const, skipped };
    const probe = { webgpu: adapter('SwiftShader', true),
      webgl: adapter('ANGLE (AMD, Radeon RX 6600 Direct3D11 vs_5_0, D3D11)') };
    assert.deepStrictEqual(whereOf(route, { problem: 'no adapter' }, probe), {
      cores, gpu: 'Radeon RX 6600', whyNotGpu: 'tfjs-node-gpu: not installed; webgpu in the engine: no adapter',
      gpuChoice: { name: 'Radeon RX 6600', backend: 'webgl' },
    });
  });

  it('a software adapter is no GPU to offer; the engine\'s hardware one comes first', () => {
    const route = { where: 'engine' as const, backend: 'auto' as const, skipped: [] };
    const llvmpipe = { adapter: { name: 'llvmpipe', software: 'a software renderer' } };
    assert.deepStrictEqual(whereOf(route, llvmpipe), { cores });
    assert.deepStrictEqual(whereOf(route, { adapter: { name: 'Apple M1' } }, { webgl: adapter('Apple GPU') }).gpuChoice,
      { name: 'Apple M1', backend: 'webgpu' });
  });
});
