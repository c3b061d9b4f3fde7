import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { decodeImageFile } from '../../../packages/engine/src/node/image';
import { toVggImage } from '../../../packages/engine/src/core/image/convert';
import { toTensor } from '../../../packages/engine/src/core/pixels';
import { gram } from '../../../packages/engine/src/core/ops/gram';
import { VggLayer } from '../../../packages/engine/src/core/options';
import { CONTENT, FIXTURES, testEngine } from '../helpers';

/*
 * The fixture comes from the PyTorch reference on the same weights:
 *   test/fixtures/make-fixtures.sh
 * (/usr/bin/python3 ../shared/reference/gatys_torch.py features chelsea-64.png --size 64)
 * chelsea-64.png is already 64 px, so both sides see the same pixels.
 */
const reference = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'vgg19-features-chelsea-64.json'), 'utf8'));
const LAYERS: VggLayer[] = ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1', 'conv4_2'];
const keras = (l: string) => `block${l[4]}_conv${l[6]}`;

describe('VGG19 features match the PyTorch reference', () => {
  type Figures = { l2: number; mean: number; std: number; gramL2: number; gramTrace: number; shape: number[] };
  const ours = new Map<VggLayer, Figures>();

  before(async () => {
    const engine = await testEngine();
    const image = await decodeImageFile(CONTENT, { maxInputPixels: 1e8 });
    tf.tidy(() => {
      const feats = engine.vgg.extract(toTensor(toVggImage(image)), LAYERS, 'avg');
      for (const layer of LAYERS) {
        const f = feats.get(layer)!;
        const g = gram(f);
        const moments = tf.moments(f);
        const n = f.size;
        ours.set(layer, {
          l2: tf.norm(f).dataSync()[0], mean: moments.mean.dataSync()[0],
          std: Math.sqrt(moments.variance.dataSync()[0] * n / (n - 1)), // torch's std is unbiased
          gramL2: tf.norm(g).dataSync()[0], gramTrace: tf.sum(tf.mul(g, tf.eye(g.shape[0]))).dataSync()[0],
          shape: f.shape,
        });
      }
    });
  });

  it('has the same input and layer shapes', () => {
    expect(reference.input_shape_nchw).to.deep.equal([1, 3, 43, 64]);
    for (const layer of LAYERS) {
      const [, c, h, w] = reference[keras(layer)].shape_nchw;
      expect(ours.get(layer)!.shape, layer).to.deep.equal([1, h, w, c]);
    }
  });

  for (const layer of LAYERS) {
    it(`${layer}: L2 norm, mean, std and Gram within 1e-3 relative`, () => {
      const ref = reference[keras(layer)];
      const got = ours.get(layer)!;
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
      expect(rel(got.l2, ref.l2), 'l2').to.be.below(1e-3);
      expect(rel(got.mean, ref.mean), 'mean').to.be.below(1e-3);
      expect(rel(got.std, ref.std), 'std').to.be.below(1e-3);
      expect(rel(got.gramL2, ref.gram_l2), 'gram l2').to.be.below(1e-3);
      expect(rel(got.gramTrace, ref.gram_trace), 'gram trace').to.be.below(1e-3);
    });
  }
});
