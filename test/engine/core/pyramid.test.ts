import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { hostImage } from '../../../packages/engine/src/core/image/host-image';
import { HostPyramidMaps } from '../../../packages/engine/src/core/optim/host-pyramid';
import { HostVariable } from '../../../packages/engine/src/core/optim/host-variable';
import { PyramidBasis, upsample2x } from '../../../packages/engine/src/core/optim/pyramid';
import { testEngine } from '../helpers';

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

describe('the pyramid in ordinary memory (tiled scales)', function () {
  before(async () => { await testEngine(); });

  for (const [h, w] of [[13, 9], [32, 20], [7, 7]]) {
    it(`equals the tensor pyramid's image and gradient at ${h}x${w}`, () => {
      const tensorPyramid = new PyramidBasis(h, w);
      const z = tf.randomNormal([tensorPyramid.length], 0, 10, 'float32', h * w) as tf.Tensor1D;
      const dx = tf.randomNormal([1, h, w, 3], 0, 1, 'float32', h + w) as tf.Tensor4D;
      const wantImage = tensorPyramid.toImage(z);
      const wantGradient = tensorPyramid.gradient(dx);
      const host = new HostVariable(new HostPyramidMaps(h, w), hostImage(h, w, 3));
      host.moveTo(z.dataSync() as Float32Array);
      const gotGradient = host.gradient(hostImage(h, w, 3, dx.dataSync() as Float32Array));
      const close = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(b)
        .forEach((v, i) => expect(a[i], `value ${i}`).to.be.closeTo(v, 1e-4 * (1 + Math.abs(v))));
      close(host.image.data, wantImage.dataSync());
      close(gotGradient, wantGradient.dataSync());
      tf.dispose([z, dx, wantImage, wantGradient]);
    });
  }
});
