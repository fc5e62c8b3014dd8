import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  effectiveGroupSize,
  MinibatchStdDev,
  minibatchStdDev,
} from '../../src/layers/minibatch-stddev';
import { expectThrows } from '../helpers/fixtures/throws';
import { expectNoLeaks } from '../helpers/leaks';

async function run(layer: MinibatchStdDev, x: tf.Tensor): Promise<number[]> {
  const y = layer.apply(x) as tf.Tensor;
  const values = Array.from(await y.data());
  y.dispose();
  return values;
}

describe('MinibatchStdDev', () => {
  it('appends the population std of one group of four on every sample', async () => {
    const x = tf.tensor4d([1, 2, 3, 4], [4, 1, 1, 1]);
    const layer = new MinibatchStdDev({ groupSize: 4 });
    // mean 2.5; squared deviations 2.25, 0.25, 0.25, 2.25; variance 5 / 4 = 1.25;
    // std √(1.25 + 1e-8) = 1.118034 (the 1e-8 moves it by 4.5e-9).
    const expected = [1, 2, 3, 4].flatMap((v) => [v, Math.sqrt(1.25)]);
    expect(await run(layer, x)).toEqual(expected.map((v) => expect.closeTo(v, 6)));
    x.dispose();
  });

  it('groups samples with a stride of batch / groupSize, as ProGAN reshapes', async () => {
    // Batch 4, groupSize 2: M = 2 groups; group 0 = samples {0, 2}, group 1 = samples {1, 3}.
    const x = tf.tensor2d([[0], [10], [2], [16]]);
    // Group 0: values 0, 2 -> mean 1, deviations ±1, std 1.
    // Group 1: values 10, 16 -> mean 13, deviations ±3, std 3.
    // (Contiguous groups {0,1}, {2,3} would give std 5 and 7 instead.)
    const values = await run(new MinibatchStdDev({ groupSize: 2 }), x);
    expect(values).toEqual([0, 1, 10, 3, 2, 1, 16, 3].map((v) => expect.closeTo(v, 6)));
    x.dispose();
  });

  it('averages the per-feature std over every feature and position', async () => {
    // One group of 2, features [h=1, w=2, c=1]: position 0 holds 0 and 2 (std 1),
    // position 1 holds 5 and 5 (std √1e-8 = 1e-4). Mean over features: (1 + 1e-4) / 2.
    const x = tf.tensor4d([0, 5, 2, 5], [2, 1, 2, 1]);
    const y = new MinibatchStdDev({ groupSize: 2 }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 1, 2, 2]);
    const s = (1 + 1e-4) / 2;
    expect(Array.from(await y.data())).toEqual(
      [0, s, 5, s, 2, s, 5, s].map((v) => expect.closeTo(v, 6)),
    );
    tf.dispose([x, y]);
  });

  it('uses the largest divisor of the batch not above groupSize', async () => {
    // 6 with groupSize 4 -> 3; 7 (prime) with 4 -> 1; 8 with 4 -> 4; 2 with 4 -> 2.
    expect([6, 7, 8, 2].map((b) => effectiveGroupSize(b, 4))).toEqual([3, 1, 4, 2]);
    // Batch 6, groups of 3, M = 2: group 0 = samples 0, 2, 4 = values 0, 3, 6
    // (mean 3, squared deviations 9, 0, 9, variance 6); group 1 = samples 1, 3, 5 = 1, 1, 1
    // (variance 0, std √1e-8 = 1e-4).
    const x = tf.tensor2d([[0], [1], [3], [1], [6], [1]]);
    const values = await run(new MinibatchStdDev({ groupSize: 4 }), x);
    const std = [Math.sqrt(6), 1e-4];
    const expected = [0, 1, 3, 1, 6, 1].flatMap((v, i) => [v, std[i % 2]]);
    expect(values).toEqual(expected.map((v) => expect.closeTo(v, 5)));
    x.dispose();
  });

  it('reports the output shape for [batch, features] and image inputs', () => {
    const layer = minibatchStdDev();
    expect(layer.computeOutputShape([null, 8])).toEqual([null, 9]);
    expect(layer.computeOutputShape([null, 4, 4, 16])).toEqual([null, 4, 4, 17]);
    const image = tf.input({ shape: [4, 4, 16] });
    expect((layer.apply(image) as tf.SymbolicTensor).shape).toEqual([null, 4, 4, 17]);
  });

  it('round-trips its config', () => {
    const layer = new MinibatchStdDev({ groupSize: 2, epsilon: 1e-6, name: 'mbstd' });
    const copy = MinibatchStdDev.fromConfig(MinibatchStdDev, layer.getConfig());
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(layer.getConfig()).toMatchObject({ groupSize: 2, epsilon: 1e-6, name: 'mbstd' });
  });

  it('passes gradients to its input and leaks no tensors', async () => {
    const x = tf.tensor2d([[1], [3]]);
    const layer = new MinibatchStdDev({ groupSize: 2 });
    await expectNoLeaks(async () => {
      // Output sum = x0 + x1 + 2·std, std = |x1 − x0| / 2 (ε negligible):
      // d/dx0 = 1 − 1 = 0, d/dx1 = 1 + 1 = 2.
      const g = tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t) as tf.Tensor))(x);
      expect(Array.from(await g.data())).toEqual([0, 2].map((v) => expect.closeTo(v, 5)));
      g.dispose();
    });
    x.dispose();
  });

  it('rejects bad options and inputs with exact messages', () => {
    expectThrows(
      () => new MinibatchStdDev({ groupSize: 0 }),
      RangeError,
      'MinibatchStdDev: groupSize must be an integer >= 1, got 0.',
    );
    expectThrows(
      () => new MinibatchStdDev({ epsilon: 0 }),
      RangeError,
      'MinibatchStdDev: epsilon must be > 0, got 0.',
    );
    expectThrows(
      () => new MinibatchStdDev({ group: 4 } as never),
      RangeError,
      "MinibatchStdDev: option 'group' is not supported; the supported options are " +
        "'groupSize', 'epsilon', 'name', 'trainable', 'inputShape', 'batchInputShape', " +
        "'batchSize', 'dtype', 'weights', 'inputDType'.",
    );
    const x = tf.zeros([2, 3, 4]);
    expectThrows(
      () => new MinibatchStdDev().apply(x),
      RangeError,
      'MinibatchStdDev: input must have shape [batch,features] or ' +
        '[batch,height,width,channels], got [2,3,4].',
    );
    x.dispose();
  });
});
