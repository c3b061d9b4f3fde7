import * as eng from './src/index';
import * as tf from '@tensorflow/tfjs';
(async () => {
  await eng.chooseBackend('wasm');
  const shapes: [number, number, number][] = [[256, 3, 64], [256, 64, 64], [128, 64, 128], [128, 128, 128], [64, 128, 256], [64, 256, 256], [32, 256, 512], [32, 512, 512], [16, 512, 512]];
  for (const [s, cin, cout] of shapes) {
    const x = tf.randomNormal([1, s, s, cin]) as tf.Tensor4D; const k = tf.randomNormal([3, 3, cin, cout]) as tf.Tensor4D; const b = tf.zeros([cout]) as tf.Tensor1D;
    const kr = tf.transpose(tf.reverse(k, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D; const dy = tf.randomNormal([1, s, s, cout]) as tf.Tensor4D;
    const time = (f: () => tf.Tensor) => { f().dispose(); f().dispose(); let best = 1e9; for (let i = 0; i < 4; i++) { const t = performance.now(); const y = f(); y.dataSync(); best = Math.min(best, performance.now() - t); y.dispose(); } return best; };
    const fw = time(() => tf.fused.conv2d({ x, filter: k, bias: b, strides: 1, pad: 'same', activation: 'relu' }));
    const bw = time(() => tf.conv2d(dy, kr, 1, 'same'));
    const fl = 2 * s * s * cin * cout * 9 / 1e9;
    console.log(`${s}px ${cin}->${cout}: fwd ${fw.toFixed(1)} ms (${(fl / fw * 1000).toFixed(1)} GF/s) bwd ${bw.toFixed(1)} ms (${(fl / bw * 1000).toFixed(1)} GF/s)`);
    tf.dispose([x, k, b, kr, dy]);
  }
})();
