import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  InstanceNormalization,
  instanceNormalization,
} from '../../src/layers/instance-normalization';
import { expectThrows } from '../helpers/fixtures/throws';
import { expectNoLeaks } from '../helpers/leaks';

describe('InstanceNormalization', () => {
  it('normalises each sample and channel over the spatial axes', async () => {
    // Two samples, 2×1 image, 2 channels: [b, h, w, c].
    // Sample 0: channel 0 = [1, 3] (mean 2, var 1), channel 1 = [10, 10] (mean 10, var 0).
    // Sample 1: channel 0 = [0, 4] (mean 2, var 4), channel 1 = [-1, 1] (mean 0, var 1).
    const x = tf.tensor4d([1, 10, 3, 10, 0, -1, 4, 1], [2, 2, 1, 2]);
    const layer = instanceNormalization({ epsilon: 1e-5 });
    // Builds gamma and beta, the layer's own, before the leak check.
    tf.dispose(layer.apply(x) as tf.Tensor);
    await expectNoLeaks(async () => {
      const y = layer.apply(x) as tf.Tensor;
      // (x − mean) / √(var + 1e-5), γ = 1, β = 0:
      // s0c0 ±1/√1.00001 ≈ ±0.999995; s0c1 0; s1c0 ±2/√4.00001 ≈ ±0.9999988; s1c1 ±0.999995.
      const a = 1 / Math.sqrt(1.00001);
      const b = 2 / Math.sqrt(4.00001);
      expect(Array.from(await y.data())).toEqual(
        [-a, 0, a, 0, -b, -a, b, a].map((v) => expect.closeTo(v, 6)),
      );
      y.dispose();
    });
    x.dispose();
    layer.dispose();
  });

  it('applies the learned per-channel scale and offset', async () => {
    const x = tf.tensor3d([1, 3], [1, 2, 1]); // [batch 1, steps 2, channel 1]: normalised ±1
    const layer = new InstanceNormalization({ epsilon: 1e-8 });
    layer.apply(x); // builds gamma and beta, [1] each
    layer.setWeights([tf.tensor1d([2]), tf.tensor1d([5])]);
    const y = layer.apply(x) as tf.Tensor;
    // 2 · [-1, 1] + 5 = [3, 7].
    expect(Array.from(await y.data())).toEqual([3, 7].map((v) => expect.closeTo(v, 5)));
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[1], [1]]);
    tf.dispose([x, y]);
    layer.dispose();
  });

  it('has no weights when scale and center are off', () => {
    const layer = new InstanceNormalization({ scale: false, center: false });
    layer.apply(tf.input({ shape: [4, 4, 3] }));
    expect(layer.weights).toEqual([]);
  });

  it('round-trips its config', () => {
    const layer = new InstanceNormalization({ epsilon: 1e-3, center: false });
    const copy = InstanceNormalization.fromConfig(InstanceNormalization, layer.getConfig());
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(layer.getConfig()).toMatchObject({ epsilon: 1e-3, scale: true, center: false });
  });

  it('rejects bad options and inputs with exact messages', () => {
    expectThrows(
      () => new InstanceNormalization({ scale: 1 } as never),
      TypeError,
      'InstanceNormalization: scale must be true or false, got 1.',
    );
    expectThrows(
      () => new InstanceNormalization().apply(tf.input({ shape: [8] })),
      RangeError,
      'InstanceNormalization: input must have shape [batch,steps,channels] or ' +
        '[batch,height,width,channels], got [?,8].',
    );
  });
});
