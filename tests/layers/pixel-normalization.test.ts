import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { PixelNormalization, pixelNormalization } from '../../src/layers/pixel-normalization';
import { expectThrows } from '../helpers/fixtures/throws';
import { expectNoLeaks } from '../helpers/leaks';

describe('PixelNormalization', () => {
  it('scales each position to unit root mean square over the channels', async () => {
    const x = tf.tensor4d([3, 4, 1, -1], [1, 1, 2, 2]);
    await expectNoLeaks(async () => {
      const y = pixelNormalization().apply(x) as tf.Tensor;
      // Position 0: mean square (9 + 16) / 2 = 12.5 -> [3, 4] / √12.5 = [0.848528, 1.131371].
      // Position 1: mean square (1 + 1) / 2 = 1 -> [1, -1]. (ε = 1e-8 is below the tolerance.)
      const r = Math.sqrt(12.5);
      expect(Array.from(await y.data())).toEqual(
        [3 / r, 4 / r, 1, -1].map((v) => expect.closeTo(v, 6)),
      );
      y.dispose();
    });
    x.dispose();
  });

  it('keeps a zero vector finite', async () => {
    const x = tf.zeros([1, 3]);
    const y = new PixelNormalization().apply(x) as tf.Tensor;
    // 0 / √(0 + 1e-8) = 0.
    expect(Array.from(await y.data())).toEqual([0, 0, 0]);
    tf.dispose([x, y]);
  });

  it('round-trips its config', () => {
    const layer = new PixelNormalization({ epsilon: 1e-6 });
    const copy = PixelNormalization.fromConfig(PixelNormalization, layer.getConfig());
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(layer.getConfig().epsilon).toBe(1e-6);
  });

  it('rejects a bad epsilon with an exact message', () => {
    expectThrows(
      () => new PixelNormalization({ epsilon: -1 }),
      RangeError,
      'PixelNormalization: epsilon must be > 0, got -1.',
    );
  });
});
