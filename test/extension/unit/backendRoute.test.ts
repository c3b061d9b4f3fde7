import * as assert from 'assert';
import { softwareReason } from '@neural-style/engine/options';
import { chooseRoute, needsEngineGpu, needsProbe } from '../../../extension/src/backendRoute';

const gpu = (name: string, fallback = false) => ({ name, fallback, maxTextureSize: 8192 });
const swiftShaderGl = gpu('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)');
const swiftShaderGpu = gpu('SwiftShader Device (Subzero) (swiftshader)', true);
const noNodeGpu = 'tfjs-node-gpu: not installed';
const h100 = { adapter: { name: 'nvidia-h100-80gb-hbm3 (hopper) — NVIDIA 550.54.15, vulkan' } };
const swiftShaderDawn = { adapter: { name: 'swiftshader-device-subzero (swiftshader) — SwiftShader driver 5.0.0, vulkan', software: 'swiftshader-device-subzero … is a fallback (software) adapter, slower than wasm' } };
const noDawn = { problem: 'webgpu: no GPU adapter (Dawn found no vulkan driver that it can use)' };

describe('backend route (auto order, software adapters)', () => {
  it('names each software renderer and the fallback adapter, not real GPUs', () => {
    for (const name of ['ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'Microsoft Basic Render Driver', 'ANGLE (Mesa, lavapipe)']) {
      assert.match(softwareReason(gpu(name)) ?? '', /software renderer .*slower than wasm/, name);
    }
    assert.match(softwareReason(gpu('Apple M2 (metal-3)', true)) ?? '', /fallback \(software\) adapter/);
    for (const name of ['Apple M2 (metal-3)', 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)', 'ANGLE (Intel, Mesa Intel(R) Xe Graphics (TGL GT2))']) {
      assert.strictEqual(softwareReason(gpu(name)), null, name);
    }
  });

  it('auto: tfjs-node-gpu first, without asking the webview', () => {
    assert.strictEqual(needsProbe('auto', null), false);
    assert.deepStrictEqual(chooseRoute('auto', null), { where: 'engine', backend: 'auto', skipped: [] });
  });

  it('auto: the engine\'s WebGPU (Dawn) on a real GPU next, without asking the webview', () => {
    assert.strictEqual(needsEngineGpu('auto', noNodeGpu), true);
    assert.strictEqual(needsProbe('auto', noNodeGpu, h100), false);
    assert.deepStrictEqual(chooseRoute('auto', noNodeGpu, undefined, h100), { where: 'engine', backend: 'auto', skipped: [noNodeGpu] });
  });

  it('auto: the engine\'s software adapter or none is skipped, saying why, and the webview is asked', () => {
    for (const [engineGpu, why] of [[swiftShaderDawn, /^webgpu in the engine: swiftshader.*slower than wasm$/], [noDawn, /^webgpu in the engine: no GPU adapter/]] as const) {
      assert.strictEqual(needsProbe('auto', noNodeGpu, engineGpu), true);
      const route = chooseRoute('auto', noNodeGpu, { webgpu: gpu('Apple M2 (metal-3)') }, engineGpu);
      assert.strictEqual(route.where, 'webview');
      assert.match(route.skipped[1], why);
    }
  });

  it('auto: a real WebGPU adapter in the webview before WebGL2', () => {
    const route = chooseRoute('auto', noNodeGpu, { webgpu: gpu('Apple M2 (metal-3)'), webgl: gpu('ANGLE (Apple, ANGLE Metal Renderer: Apple M2)') }, noDawn);
    assert.deepStrictEqual(route, { where: 'webview', backend: 'webgpu', adapter: gpu('Apple M2 (metal-3)'), skipped: [noNodeGpu, `webgpu in the engine: ${noDawn.problem.replace('webgpu: ', '')}`] });
  });

  it('webgpu by name: the engine\'s adapter, even a software one (said), else the webview\'s', () => {
    assert.strictEqual(needsEngineGpu('webgpu', null), true);
    assert.deepStrictEqual(chooseRoute('webgpu', null, undefined, h100), { where: 'engine', backend: 'webgpu', skipped: [] });
    const software = chooseRoute('webgpu', null, undefined, swiftShaderDawn);
    assert.strictEqual(software.where, 'engine');
    assert.match(software.skipped[0], /^note: .*slower than wasm; running it because neuralStyle.backend is webgpu$/);
    assert.strictEqual(needsProbe('webgpu', null, noDawn), true);
    const webview = chooseRoute('webgpu', null, { webgpu: gpu('Apple M2 (metal-3)') }, noDawn);
    assert.strictEqual(webview.where, 'webview');
    assert.deepStrictEqual(webview.skipped, [`webgpu in the engine: ${noDawn.problem.replace('webgpu: ', '')}`]);
  });

  it('auto: WebGL2 on a real GPU when WebGPU has no adapter, saying why', () => {
    const route = chooseRoute('auto', noNodeGpu, { webgpuProblem: 'requestAdapter() found no adapter', webgl: gpu('ANGLE (NVIDIA, GeForce GTX 1650)') }, noDawn);
    assert.strictEqual(route.where, 'webview');
    assert.strictEqual(route.backend, 'webgl');
    assert.deepStrictEqual(route.skipped, [noNodeGpu, `webgpu in the engine: ${noDawn.problem.replace('webgpu: ', '')}`, 'webgpu: requestAdapter() found no adapter']);
  });

  it('auto on software adapters (this machine\'s SwiftShader) leaves it to the engine (wasm), each skip said', () => {
    assert.strictEqual(needsProbe('auto', noNodeGpu, swiftShaderDawn), true);
    const route = chooseRoute('auto', noNodeGpu, { webgpu: swiftShaderGpu, webgl: swiftShaderGl }, swiftShaderDawn);
    assert.strictEqual(route.where, 'engine');
    assert.strictEqual(route.backend, 'auto');
    assert.strictEqual(route.skipped.length, 4);
    assert.match(route.skipped[2], /^webgpu: SwiftShader .* fallback \(software\) adapter, slower than wasm$/);
    assert.match(route.skipped[3], /^webgl: ANGLE .*SwiftShader.* software renderer \(SwiftShader\), slower than wasm$/);
  });

  it('webgpu or webgl by name runs there even on software, and says so', () => {
    const route = chooseRoute('webgl', null, { webgl: swiftShaderGl });
    assert.strictEqual(route.where, 'webview');
    assert.match(route.skipped[0], /^note: .*software renderer.*running it because neuralStyle.backend is webgl$/);
  });

  it('webgpu by name without an adapter is a clear error naming the problem and the way out', () => {
    assert.throws(() => chooseRoute('webgpu', null, { webgpuProblem: 'navigator.gpu is missing', webgl: swiftShaderGl }, noDawn),
      /^NeuralStyleError: WebGPU is not available in this VS Code's webview: navigator.gpu is missing\. Set neuralStyle.backend to auto, webgl or wasm\.$/);
  });

  it('engine backends go to the engine process, unprobed', () => {
    for (const backend of ['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'] as const) {
      assert.strictEqual(needsEngineGpu(backend, noNodeGpu), false);
      assert.strictEqual(needsProbe(backend, noNodeGpu), false);
      assert.deepStrictEqual(chooseRoute(backend, noNodeGpu), { where: 'engine', backend, skipped: [] });
    }
  });
});
