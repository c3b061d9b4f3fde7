import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { toVggImage } from '../../../packages/engine/src/core/image/convert';
import { GramsOf, ObjectiveInputs, stylePulls, disposePulls } from '../../../packages/engine/src/core/objective';
import { VggLayer } from '../../../packages/engine/src/core/options';
import { planStylization } from '../../../packages/engine/src/core/plan';
import { StyleTargetCache } from '../../../packages/engine/src/core/style-cache';
import { validateOptions } from '../../../packages/engine/src/core/validate';
import { fixtureImages, testEngine } from '../helpers';

describe('a clip\'s style targets, computed once for all its frames', () => {
  it('a second frame of a scale takes copies of the first one\'s targets; the cache frees them at the end', async () => {
    await testEngine();
    const { content, style } = await fixtureImages();
    const o = validateOptions({ size: 48, multiScale: false });
    const plan = planStylization(o, content, [style], tf.getBackend());
    const [scale] = plan.scales;
    let computed = 0;
    // Grams of a stand-in: one value a layer, the painting's mean, so the test needs no network.
    const gramsOf: GramsOf = async (image) => {
      computed++;
      const mean = image.data.reduce((a, b) => a + b, 0) / image.data.length;
      return new Map(o.styleLayers.map((layer: VggLayer) => [layer, tf.fill([1, 1], mean) as tf.Tensor2D]));
    };
    const before = tf.memory().numTensors;
    const cache = new StyleTargetCache();
    const inputs: ObjectiveInputs = { content: toVggImage(content), styles: [toVggImage(style)], styleCache: cache };
    const first = await stylePulls(inputs, plan, scale, gramsOf);
    const firstValues = await Promise.all(o.styleLayers.map((l) => first[0].targets.get(l)!.data()));
    disposePulls(first); // a frame's objective disposes its own: the kept targets stay
    const second = await stylePulls(inputs, plan, scale, gramsOf);
    expect(computed, 'the painting\'s Grams, computed once').to.equal(1);
    expect(await Promise.all(o.styleLayers.map((l) => second[0].targets.get(l)!.data()))).to.deep.equal(firstValues);
    disposePulls(second);
    await stylePulls({ ...inputs, styleCache: undefined }, plan, scale, gramsOf).then(disposePulls);
    expect(computed, 'without the cache, computed again').to.equal(2);
    cache.dispose();
    expect(tf.memory().numTensors, 'tensors left').to.equal(before);
  });
});
