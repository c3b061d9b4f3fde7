import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { HostImage } from '../../packages/engine/src/core/image/host-image';
import { normalizedGram } from '../../packages/engine/src/core/losses';
import { VggLayer } from '../../packages/engine/src/core/options';
import { toTensor } from '../../packages/engine/src/core/pixels';
import { testEngine } from './helpers';

/* What the regions and style-mask tests measure a result with, and how they expect a refusal. */

const LAYERS: VggLayer[] = ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1'];

/** The style loss's distance (Σ_l Σ (G − A)² / 4C², unweighted) between two pictures' Grams at the style layers. */
export async function gramDistance(a: HostImage, b: HostImage): Promise<number> {
  const engine = await testEngine();
  const grams = (image: HostImage) => tf.tidy(() => {
    const features = engine.vgg.extract(toTensor(image), LAYERS, 'avg');
    return LAYERS.map((layer) => normalizedGram(features.get(layer)!));
  });
  const [ga, gb] = [grams(a), grams(b)];
  const distance = tf.tidy(() => tf.addN(ga.map((g, i) =>
    tf.div(tf.sum(tf.squaredDifference(g, gb[i])), 4 * g.shape[0] ** 2))));
  const value = (await distance.data())[0];
  tf.dispose([...ga, ...gb, distance]);
  return value;
}

/** `run` fails with `message` within half a second: refused before the work. */
export async function expectRefusal(run: Promise<unknown>, message: RegExp): Promise<void> {
  const started = Date.now();
  const error = await run.then(() => null, (e: Error) => e);
  expect(error, 'refused').to.be.instanceOf(Error);
  expect(error!.message).to.match(message);
  expect(Date.now() - started, 'refused before the work').to.be.below(500);
}
