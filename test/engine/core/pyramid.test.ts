import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { hostImage } from '../../../packages/engine/src/core/image/host-image';
import { arrayValues, mapBands, MEMORY_STORE, storedInMemory, wholeOf } from '../../../packages/engine/src/core/image/stored-image';
import { StoredPyramidMaps } from '../../../packages/engine/src/core/optim/stored-pyramid';
import { StoredVariable } from '../../../packages/engine/src/core/optim/stored-variable';
import { PyramidBasis, upsample2x } from '../../../packages/engine/src/core/optim/pyramid';
import { storedPyramid, testEngine } from '../helpers';

const sum = (t: tf.Tensor) => { const v = t.dataSync()[0]; t.dispose(); return v; };

describe('pyramid parameterization', function () {
  before(async () => { await testEngine(); });

  it('has levels down to 2 px, and fromImage → toImage is the identity', () => {
    const p = new PyramidBasis(43, 64);
    expect(p.levels.map((l) => [l.height, l.width]))
      .to.deep.equal([[43, 64], [22, 32], [11, 16], [6, 8], [3, 4], [2, 2]]);
    expect(p.length).to.equal(p.levels.reduce((a, l) => a + l.size, 0));
    const image = tf.randomUniform([1, 43, 64, 3], -100, 100) as tf.Tensor4D;
    const z = p.fromImage(image);
    const back = p.toImage(z);
    expect(sum(tf.max(tf.abs(tf.sub(back, image))))).to.be.below(1e-4);
    tf.dispose([image, z, back]);
  });

  it('its gradient is the exact adjoint of toImage (non-square, on the active backend)', () => {
    // <toImage(z), r> = <z, ∇z <toImage(z), r>> for a linear map; a wrong
    // upsampling gradient (tfjs's resizeBilinear on wasm or cpu) fails this by far.
    const p = new PyramidBasis(37, 52);
    const z = tf.randomNormal([p.length]);
    const r = tf.randomNormal([1, 37, 52, 3]);
    const f = (v: tf.Tensor) => tf.sum(tf.mul(p.toImage(v), r));
    const lhs = sum(f(z));
    const grad = tf.grad(f)(z);
    const rhs = sum(tf.sum(tf.mul(z, grad)));
    expect(Math.abs(lhs - rhs)).to.be.below(1e-3 * (Math.abs(lhs) + 1));
    // And the coarse levels do move the picture: the gradient there is not zero.
    const coarse = p.levels[p.levels.length - 1];
    expect(sum(tf.sum(tf.abs(tf.slice(grad, [coarse.offset], [coarse.size]))))).to.be.above(0);
    // The written-out adjoint (what stylize uses) is that same gradient.
    const written = p.gradient(r as tf.Tensor4D);
    expect(sum(tf.max(tf.abs(tf.sub(written, grad))))).to.be.below(1e-4 * (sum(tf.max(tf.abs(grad))) + 1));
    tf.dispose([z, r, grad, written]);
  });

  it('upsamples to the size asked, and a constant stays constant inside', () => {
    const constant = tf.fill([1, 5, 7, 3], 10) as tf.Tensor4D;
    const up = upsample2x(constant, 10, 13);
    expect(up.shape).to.deep.equal([1, 10, 13, 3]);
    expect(sum(tf.max(tf.abs(tf.sub(tf.slice(up, [0, 1, 1, 0], [1, 8, 11, 3]), 10))))).to.be.below(1e-4);
    tf.dispose([constant, up]);
  });

  it('project moves only the finest level and lands in the feasible set', () => {
    const p = new PyramidBasis(16, 16);
    const z = tf.randomNormal([p.length], 0, 200);
    const { z: projected, image: given } = p.project(z, (x) => tf.clipByValue(x, -50, 50));
    const image = p.toImage(projected);
    expect(sum(tf.max(image))).to.be.at.most(50 + 1e-3);
    expect(sum(tf.min(image))).to.be.at.least(-50 - 1e-3);
    expect(sum(tf.max(tf.abs(tf.sub(image, given))))).to.be.below(1e-3); // the image it returns is its z's
    const fine = p.levels[0].size;
    expect(sum(tf.max(tf.abs(tf.sub(tf.slice(projected, [fine]), tf.slice(z, [fine])))))).to.equal(0);
    tf.dispose([z, projected, given, image]);
  });
});

describe('the pyramid of a tiled scale (stored, a band of rows at a time)', function () {
  before(async () => { await testEngine(); });

  for (const [h, w] of [[13, 9], [32, 20], [7, 7]]) {
    it(`equals the tensor pyramid's image and gradient at ${h}x${w}, whatever the bands`, () => {
      const tensorPyramid = new PyramidBasis(h, w);
      const z = tf.randomNormal([tensorPyramid.length], 0, 10, 'float32', h * w) as tf.Tensor1D;
      const dx = tf.randomNormal([1, h, w, 3], 0, 1, 'float32', h + w) as tf.Tensor4D;
      const wantImage = tensorPyramid.toImage(z);
      const wantGradient = tensorPyramid.gradient(dx);
      const close = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(b)
        .forEach((v, i) => expect(a[i], `value ${i}`).to.be.closeTo(v, 1e-4 * (1 + Math.abs(v))));
      const whole = storedPyramid(h, w, z.dataSync() as Float32Array, dx.dataSync() as Float32Array);
      close(whole.image, wantImage.dataSync());
      close(whole.gradient, wantGradient.dataSync());
      for (const rows of [1, 2, 5]) { // a band of one row, of two, of five: the same values, to the bit
        const banded = storedPyramid(h, w, z.dataSync() as Float32Array, dx.dataSync() as Float32Array, false,
          rows * w * 3);
        expect(Array.from(banded.image), `image, ${rows}-row bands`).to.deep.equal(Array.from(whole.image));
        expect(Array.from(banded.gradient), `gradient, ${rows}-row bands`).to.deep.equal(Array.from(whole.gradient));
      }
      tf.dispose([z, dx, wantImage, wantGradient]);
    });
  }

  it('projects a value onto the clipped image, keeping its coarse levels', () => {
    const [h, w] = [13, 9];
    const start = storedInMemory(hostImage(h, w, 3));
    const maps = new StoredPyramidMaps(h, w, false, undefined, 2 * w * 3);
    const vectors = { create: (n: number) => new Float32Array(n), values: arrayValues, dispose: () => {} };
    const variable = new StoredVariable(maps, start, vectors, MEMORY_STORE);
    const candidate = Float32Array.from({ length: maps.length }, (_, i) => 40 * Math.sin(i));
    const clip = (image: ReturnType<typeof storedInMemory>) => mapBands(image, MEMORY_STORE, (band) =>
      hostImage(band.height, band.width, 3, band.data.map((v) => Math.min(20, Math.max(-20, v)))));
    const projected = variable.projection(clip)(candidate);
    variable.moveTo(projected);
    const image = wholeOf(variable.image).data;
    expect(Math.max(...image.map(Math.abs)), 'inside the clip').to.be.at.most(20);
    const again = MEMORY_STORE(h, w, 3);
    maps.toImage(arrayValues(projected), again);
    const recomputed = wholeOf(again).data;
    image.forEach((v, i) => expect(recomputed[i], `pixel value ${i}`).to.be.closeTo(v, 1e-4));
    const fine = maps.levels[0].size;
    expect(Array.from(projected.subarray(fine)), 'coarse levels').to.deep.equal(Array.from(candidate.subarray(fine)));
    expect(Array.from(candidate.subarray(0, 3)), 'the candidate stays the caller\'s')
      .to.deep.equal([0, 40 * Math.sin(1), 40 * Math.sin(2)].map(Math.fround));
  });
});
