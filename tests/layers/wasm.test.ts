import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { pixelShuffle } from '../../src/layers/pixel-shuffle';
import { spectralNormalization } from '../../src/layers/spectral-normalization';

describe('layers on the wasm backend', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('PixelShuffle matches tf.depthToSpace and has a gradient (a rank-6 transpose)', async () => {
    const x = tf.range(0, 2 * 2 * 2 * 8).reshape([2, 2, 2, 8]);
    const ours = pixelShuffle({ factor: 2 }).apply(x) as tf.Tensor;
    const reference = tf.depthToSpace(x as tf.Tensor4D, 2);
    expect(Array.from(await ours.data())).toEqual(Array.from(await reference.data()));
    // d sum(shuffle(x)) / dx = 1 everywhere: the shuffle only moves values.
    const g = tf.grad((t: tf.Tensor) => tf.sum(pixelShuffle().apply(t) as tf.Tensor))(x);
    expect(Array.from(await g.data())).toEqual(new Array(64).fill(1));
    tf.dispose([x, ours, reference, g]);
  });

  it('SpectralNormalization divides diag(3, 1) by 3 after power iteration', async () => {
    const layer = spectralNormalization({
      layer: tf.layers.dense({ units: 2, useBias: false }),
      powerIterations: 10,
    });
    const x = tf.tensor2d([[1, 1]]);
    tf.dispose(layer.apply(x) as tf.Tensor);
    layer.setWeights([
      tf.tensor2d([
        [3, 0],
        [0, 1],
      ]),
      tf.tensor1d([1, 1]),
    ]);
    tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    // Ten steps from u = [1, 1] leave a 9⁻¹⁰ share on e₂, so σ = 3: x·W/3 = [1, 1/3].
    const y = layer.apply(x) as tf.Tensor;
    expect(Array.from(await y.data())).toEqual([1, 1 / 3].map((v) => expect.closeTo(v, 6)));
    tf.dispose([x, y]);
    layer.dispose();
  });
});
