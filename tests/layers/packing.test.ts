import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { PackSamples, packSamples, RepeatPacks, repeatPacks } from '../../src/layers/packing';
import { expectThrows } from '../helpers/fixtures/throws';
import { expectNoLeaks } from '../helpers/leaks';

async function run(layer: tf.layers.Layer, x: tf.Tensor): Promise<[number[], number[]]> {
  const y = layer.apply(x) as tf.Tensor;
  const result: [number[], number[]] = [y.shape, Array.from(await y.data())];
  y.dispose();
  return result;
}

describe('PackSamples', () => {
  it('puts each run of m consecutive points side by side', async () => {
    // Batch 6 of 2 features, m = 3: pack 0 = samples 0, 1, 2 and pack 1 = samples 3, 4, 5,
    // each row the three samples' features in order: [6, 2] -> [2, 6].
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    const [shape, values] = await run(new PackSamples({ size: 3 }), x);
    expect(shape).toEqual([2, 6]);
    expect(values).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    x.dispose();
  });

  it('stacks the images of a pack on the channels, sample by sample', async () => {
    // Batch 4 of 1x2 images with 2 channels; sample s, pixel w, channel c holds 100s + 10w + c.
    // m = 2: pack 0's pixel w holds [s0 c0, s0 c1, s1 c0, s1 c1] = [10w, 10w+1, 100+10w, 101+10w].
    const values = [0, 1, 2, 3].flatMap((s) =>
      [0, 1].flatMap((w) => [0, 1].map((c) => 100 * s + 10 * w + c)),
    );
    const x = tf.tensor4d(values, [4, 1, 2, 2]);
    const [shape, packed] = await run(packSamples({ size: 2 }), x);
    expect(shape).toEqual([2, 1, 2, 4]);
    expect(packed).toEqual([
      ...[0, 1, 100, 101, 10, 11, 110, 111],
      ...[200, 201, 300, 301, 210, 211, 310, 311],
    ]);
    x.dispose();
  });

  it('gives the packed symbolic shape with an unknown batch', () => {
    // [null, 2] with m = 4 -> [null, 4·2 = 8]; [null, 3, 3, 5] -> [null, 3, 3, 20].
    const points = packSamples({ size: 4 }).apply(tf.input({ shape: [2] })) as tf.SymbolicTensor;
    const images = packSamples({ size: 4 }).apply(tf.input({ shape: [3, 3, 5] }));
    expect(points.shape).toEqual([null, 8]);
    expect((images as tf.SymbolicTensor).shape).toEqual([null, 3, 3, 20]);
  });

  it('refuses a batch that is not a multiple of the pack size', () => {
    const x = tf.zeros([6, 2]);
    expectThrows(
      () => new PackSamples({ size: 4 }).apply(x),
      RangeError,
      'PackSamples: the batch must be a multiple of the pack size 4, got a batch of 6.',
    );
    x.dispose();
  });

  it('refuses a bad size and a rank-3 input', () => {
    expectThrows(
      () => packSamples({ size: 0 }),
      RangeError,
      'PackSamples: size must be an integer >= 1, got 0.',
    );
    const x = tf.zeros([4, 2, 3]);
    expectThrows(
      () => new PackSamples({ size: 2 }).apply(x),
      RangeError,
      'PackSamples: input must have shape [batch,features] or [batch,height,width,channels], got [4,2,3].',
    );
    x.dispose();
  });

  it('leaks no tensors', async () => {
    const x = tf.ones([8, 3]);
    await expectNoLeaks(() => tf.dispose(new PackSamples({ size: 4 }).apply(x) as tf.Tensor));
    x.dispose();
  });
});

describe('RepeatPacks', () => {
  it('repeats each pack row m times in place', async () => {
    // Two packs' logits 0.5 and -1 with m = 3 -> [0.5, 0.5, 0.5, -1, -1, -1] as [6, 1].
    const logits = tf.tensor2d([[0.5], [-1]]);
    const [shape, values] = await run(repeatPacks({ size: 3 }), logits);
    expect(shape).toEqual([6, 1]);
    expect(values).toEqual([0.5, 0.5, 0.5, -1, -1, -1]);
    logits.dispose();
  });

  it('makes a batch mean over samples equal the mean over packs', async () => {
    // Logits 1, 2, 6 repeated 4 times each: mean (4·1 + 4·2 + 4·6) / 12 = 3 = (1 + 2 + 6) / 3.
    const logits = tf.tensor2d([[1], [2], [6]]);
    const each = new RepeatPacks({ size: 4 }).apply(logits) as tf.Tensor;
    const mean = tf.mean(each);
    expect(each.shape).toEqual([12, 1]);
    expect(await mean.data()).toEqual(new Float32Array([3]));
    tf.dispose([logits, each, mean]);
  });

  it('leaks no tensors', async () => {
    const x = tf.ones([2, 1]);
    await expectNoLeaks(() => tf.dispose(new RepeatPacks({ size: 4 }).apply(x) as tf.Tensor));
    x.dispose();
  });
});
