import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { hostImage } from '../../../packages/engine/src/core/image/host-image';
import { MEMORY_STORE, storedInMemory, wholeOf } from '../../../packages/engine/src/core/image/stored-image';
import { totalVariationLoss } from '../../../packages/engine/src/core/losses';
import { circularTotalVariation } from '../../../packages/engine/src/core/seamless';
import { addTotalVariation } from '../../../packages/engine/src/core/tiling/total-variation';
import { testEngine } from '../helpers';

/*
 * The tiled scale's TV goes a band of rows at a time: each band must see the
 * row below it (and, on a torus, the last band the first row), or the term
 * and its gradient break at every band's edge.
 */
describe('total variation of a stored image, band by band', function () {
  before(async () => { await testEngine(); });

  for (const circular of [false, true]) {
    it(`equals the tensor term and its gradient in bands of 1, 2 and 5 rows${circular ? ', on a torus' : ''}`, () => {
      const [h, w, weight] = [11, 7, 0.5];
      const data = Float32Array.from({ length: h * w * 3 }, (_, i) => 100 * Math.sin(i * 0.37));
      const x = tf.tensor4d(data, [1, h, w, 3]);
      const term = (t: tf.Tensor4D) => (circular ? circularTotalVariation(t) : totalVariationLoss(t));
      const want = term(x).dataSync()[0];
      const wantGradient = tf.grad((t) => tf.mul(term(t as tf.Tensor4D), weight))(x).dataSync();
      for (const rows of [1, 2, 5, h]) {
        const gradient = MEMORY_STORE(h, w, 3);
        const got = addTotalVariation(storedInMemory(hostImage(h, w, 3, data)), gradient, weight, circular,
          rows * w * 3);
        expect(got, `value, ${rows}-row bands`).to.be.closeTo(want, 1e-4 * want);
        const g = wholeOf(gradient).data;
        wantGradient.forEach((v, i) => expect(g[i], `gradient ${i}, ${rows}-row bands`).to.be.closeTo(v, 1e-3));
      }
      x.dispose();
    });
  }
});
