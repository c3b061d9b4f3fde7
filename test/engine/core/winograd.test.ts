import * as assert from 'assert';
import { tf } from '../../../packages/engine/src/node/engine';
import { chooseBackend } from '../../../packages/engine/src/node/backend';
import { ConvAlgorithm, convAlgorithmFor, ConvolutionChoice } from '../../../packages/engine/src/core/ops/conv';
import { WinogradVariant } from '../../../packages/engine/src/core/ops/winograd/common';
import { WINOGRAD_2X2 } from '../../../packages/engine/src/core/ops/winograd/f2x2';
import { WINOGRAD_4X4 } from '../../../packages/engine/src/core/ops/winograd/f4x4';

/*
 * Winograd F(2x2, 3x3) and F(4x4, 3x3) against tfjs's own convolution, on the
 * backend the engine runs on: sizes at every remainder of the tile size (the
 * last tile row/column partly outside), images smaller than a tile, and
 * channel counts like VGG's.
 */

interface Variant<F> extends WinogradVariant<F> {
  name: string;
  /** Relative error allowed against tf.conv2d: F(4x4)'s larger transform coefficients lose ~10x more bits. */
  tolerance: number;
}

function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0] / Math.max(1e-12, tf.norm(b).dataSync()[0]));
}

function describeVariant<F>(v: Variant<F>): void {
  describe(`Winograd ${v.name} convolution`, () => {
    before(async () => {
      await chooseBackend('wasm');
    });

    const shapes: Array<[number, number, number, number]> = [
      [8, 6, 3, 5], [9, 7, 4, 4], [1, 1, 2, 3], [2, 3, 8, 1], [16, 11, 64, 32], [5, 4, 256, 16],
      [10, 13, 6, 7], [7, 12, 5, 9],
    ];
    for (const [h, w, cin, cout] of shapes) {
      it(`equals tf.conv2d(x, kernel, 1, 'same') for ${h}x${w}, ${cin}→${cout} channels`, () => {
        const kernel = tf.randomNormal([3, 3, cin, cout], 0, 0.3, 'float32', h * 31 + w) as tf.Tensor4D;
        const x = tf.randomNormal([1, h, w, cin], 0, 1, 'float32', cin) as tf.Tensor4D;
        const filter = v.filter(kernel);
        const before = tf.memory().numTensors;
        const fast = v.conv(x, filter);
        assert.strictEqual(tf.memory().numTensors, before + 1, 'only the result is left');
        const plain = tf.conv2d(x, kernel, 1, 'same');
        assert.deepStrictEqual(fast.shape, plain.shape);
        const error = relativeError(fast, plain);
        assert.ok(error < v.tolerance, `relative error ${error}`);
        tf.dispose([fast, plain, x, kernel]);
        v.dispose(filter);
      });
    }

    it('adds a bias to every output, odd sizes included', () => {
      const kernel = tf.randomNormal([3, 3, 6, 5], 0, 0.3, 'float32', 7) as tf.Tensor4D;
      const bias = tf.randomNormal([5], 0, 1, 'float32', 8) as tf.Tensor1D;
      const x = tf.randomNormal([1, 7, 5, 6], 0, 1, 'float32', 9) as tf.Tensor4D;
      const filter = v.filter(kernel);
      const fast = v.conv(x, filter, bias);
      const plain = tf.add(tf.conv2d(x, kernel, 1, 'same'), bias);
      const error = relativeError(fast, plain);
      assert.ok(error < v.tolerance, `relative error ${error}`);
      tf.dispose([fast, plain, x, kernel, bias]);
      v.dispose(filter);
    });

    it('rejects a kernel that is not 3x3 and an input with the wrong channel count', () => {
      const k5 = tf.zeros([5, 5, 2, 2]) as tf.Tensor4D;
      assert.throws(() => v.filter(k5), /3x3/);
      const filter = v.filter(tf.zeros([3, 3, 2, 2]) as tf.Tensor4D);
      const x = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
      assert.throws(() => v.conv(x, filter), /expected \[1, h, w, 2\]/);
      tf.dispose([k5, x]);
      v.dispose(filter);
    });
  });
}

describeVariant({ ...WINOGRAD_2X2, name: 'F(2x2, 3x3)', tolerance: 2e-6 });
describeVariant({ ...WINOGRAD_4X4, name: 'F(4x4, 3x3)', tolerance: 3e-5 });

describe('convolution algorithm per layer', () => {
  it("'auto' picks Winograd only on wasm and not for the 3-channel first layer; F(4x4) up to 256 channels, F(2x2) with 512", () => {
    const cases: Array<[ConvolutionChoice, string, number, number, ConvAlgorithm]> = [
      ['auto', 'wasm', 512, 512, 'winograd'],
      ['auto', 'wasm', 256, 512, 'winograd'],
      ['auto', 'wasm', 512, 256, 'winograd'],
      ['auto', 'wasm', 256, 256, 'winograd-4x4'],
      ['auto', 'wasm', 128, 256, 'winograd-4x4-when-small-else-2x2'],
      ['auto', 'wasm', 128, 128, 'winograd-4x4-when-small-else-2x2'],
      ['auto', 'wasm', 128, 64, 'winograd-4x4-when-small'],
      ['auto', 'wasm', 64, 64, 'winograd-4x4-when-small'],
      ['auto', 'wasm', 3, 64, 'direct'],
      ['auto', 'wasm', 64, 3, 'direct'],
      ['auto', 'tensorflow', 512, 512, 'direct'],
      ['direct', 'wasm', 512, 512, 'direct'],
      ['winograd', 'cpu', 3, 64, 'winograd'],
    ];
    for (const [choice, backend, inChannels, outChannels, expected] of cases) {
      assert.strictEqual(convAlgorithmFor(choice, backend, inChannels, outChannels), expected, `${choice} on ${backend}, ${inChannels}→${outChannels}`);
    }
  });
});
