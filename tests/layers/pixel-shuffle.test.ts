import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { PixelShuffle, pixelShuffle } from '../../src/layers/pixel-shuffle';
import { expectThrows } from '../helpers/fixtures/throws';
import { expectNoLeaks } from '../helpers/leaks';

describe('PixelShuffle', () => {
  it('moves channel (i·r + j)·c + k to offset (i, j) of channel k', async () => {
    // r = 2, c = 2: input channels [a0, a1, b0, b1, c0, c1, d0, d1] at one position, i.e.
    // (i, j) = (0,0) -> channels 0..1, (0,1) -> 2..3, (1,0) -> 4..5, (1,1) -> 6..7.
    const x = tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 8]);
    const y = pixelShuffle({ factor: 2 }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 2, 2, 2]);
    // Row 0: (0,0) = [0, 1], (0,1) = [2, 3]; row 1: (1,0) = [4, 5], (1,1) = [6, 7].
    expect(Array.from(await y.data())).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    tf.dispose([x, y]);
  });

  it('matches tf.depthToSpace on a larger input', async () => {
    const x = tf.range(0, 2 * 2 * 3 * 18).reshape([2, 2, 3, 18]);
    const ours = new PixelShuffle({ factor: 3 }).apply(x) as tf.Tensor;
    const reference = tf.depthToSpace(x as tf.Tensor4D, 3);
    expect(ours.shape).toEqual([2, 6, 9, 2]);
    expect(Array.from(await ours.data())).toEqual(Array.from(await reference.data()));
    tf.dispose([x, ours, reference]);
  });

  it('has a gradient (tf.depthToSpace has none in tfjs 4.22) and leaks no tensors', async () => {
    const x = tf.zeros([1, 1, 1, 4]);
    const weights = tf.tensor4d([10, 20, 30, 40], [1, 2, 2, 1]);
    await expectNoLeaks(async () => {
      // sum(w ⊙ shuffle(x)): input channel (i·2 + j) lands on position (i, j), so its
      // gradient is w[i, j]: [10, 20, 30, 40].
      const f = (t: tf.Tensor) => tf.sum(tf.mul(weights, pixelShuffle().apply(t) as tf.Tensor));
      const g = tf.grad(f)(x);
      expect(Array.from(await g.data())).toEqual([10, 20, 30, 40]);
      g.dispose();
    });
    tf.dispose([x, weights]);
  });

  it('reports its output shape and round-trips its config', () => {
    const layer = new PixelShuffle({ factor: 2 });
    expect(layer.computeOutputShape([null, 8, 8, 12])).toEqual([null, 16, 16, 3]);
    const copy = PixelShuffle.fromConfig(PixelShuffle, layer.getConfig());
    expect(copy.getConfig()).toEqual(layer.getConfig());
  });

  it('rejects channels that are not a multiple of factor² with an exact message', () => {
    expectThrows(
      () => pixelShuffle({ factor: 2 }).apply(tf.input({ shape: [4, 4, 6] })),
      RangeError,
      'PixelShuffle: input channels must be a multiple of factor² = 4, got 6.',
    );
    expectThrows(
      () => pixelShuffle({ factor: 1.5 }),
      TypeError,
      'PixelShuffle: factor must be an integer, got 1.5.',
    );
  });
});
