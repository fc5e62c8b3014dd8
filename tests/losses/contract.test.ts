import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  crossEntropyDiscriminatorLoss,
  crossEntropyLoss,
  minimaxGeneratorLoss,
  minimaxLoss,
  nonSaturatingGeneratorLoss,
  nonSaturatingLoss,
} from '../../src/losses/cross-entropy';
import { hingeDiscriminatorLoss, hingeGeneratorLoss, hingeLoss } from '../../src/losses/hinge';
import {
  leastSquaresDiscriminatorLoss,
  leastSquaresGeneratorLoss,
  leastSquaresLoss,
} from '../../src/losses/least-squares';
import {
  relativisticAverageDiscriminatorLoss,
  relativisticAverageGeneratorLoss,
  relativisticAverageHingeDiscriminatorLoss,
  relativisticAverageHingeGeneratorLoss,
  relativisticAverageHingeLoss,
  relativisticAverageLoss,
} from '../../src/losses/relativistic';
import type { AdversarialLoss, LossOptions } from '../../src/losses/types';
import {
  wassersteinDiscriminatorLoss,
  wassersteinGeneratorLoss,
  wassersteinLoss,
} from '../../src/losses/wasserstein';
import { expectNoLeaks } from '../helpers/leaks';

type Loss = (real: tf.Tensor, fake: tf.Tensor, options?: LossOptions) => tf.Tensor;

/** One loss pair, its functions called uniformly as `(real, fake, options)`. */
interface PairCase {
  pair: AdversarialLoss;
  generatorName: string;
  generator: Loss;
  /** Whether the generator loss reads the real logits. */
  relativistic: boolean;
  discriminatorName: string;
  discriminator: Loss;
}

function plain(
  pair: AdversarialLoss,
  generatorName: string,
  generator: (fake: tf.Tensor, options?: LossOptions) => tf.Tensor,
  discriminatorName: string,
  discriminator: Loss,
): PairCase {
  return {
    pair,
    generatorName,
    generator: (_real, fake, options) => generator(fake, options),
    relativistic: false,
    discriminatorName,
    discriminator,
  };
}

const smoothed = crossEntropyLoss({ labelSmoothing: 0.1 });
const CASES: PairCase[] = [
  plain(
    nonSaturatingLoss,
    'nonSaturatingGeneratorLoss',
    nonSaturatingGeneratorLoss,
    'crossEntropyDiscriminatorLoss',
    crossEntropyDiscriminatorLoss,
  ),
  plain(
    minimaxLoss,
    'minimaxGeneratorLoss',
    minimaxGeneratorLoss,
    'crossEntropyDiscriminatorLoss',
    crossEntropyDiscriminatorLoss,
  ),
  plain(
    smoothed,
    'nonSaturatingGeneratorLoss',
    nonSaturatingGeneratorLoss,
    'crossEntropyDiscriminatorLoss',
    (real, fake, options) =>
      crossEntropyDiscriminatorLoss(real, fake, { ...options, labelSmoothing: 0.1 }),
  ),
  plain(
    wassersteinLoss,
    'wassersteinGeneratorLoss',
    wassersteinGeneratorLoss,
    'wassersteinDiscriminatorLoss',
    wassersteinDiscriminatorLoss,
  ),
  plain(
    hingeLoss,
    'hingeGeneratorLoss',
    hingeGeneratorLoss,
    'hingeDiscriminatorLoss',
    hingeDiscriminatorLoss,
  ),
  plain(
    leastSquaresLoss,
    'leastSquaresGeneratorLoss',
    leastSquaresGeneratorLoss,
    'leastSquaresDiscriminatorLoss',
    leastSquaresDiscriminatorLoss,
  ),
  {
    pair: relativisticAverageLoss,
    generatorName: 'relativisticAverageGeneratorLoss',
    generator: relativisticAverageGeneratorLoss,
    relativistic: true,
    discriminatorName: 'relativisticAverageDiscriminatorLoss',
    discriminator: relativisticAverageDiscriminatorLoss,
  },
  {
    pair: relativisticAverageHingeLoss,
    generatorName: 'relativisticAverageHingeGeneratorLoss',
    generator: relativisticAverageHingeGeneratorLoss,
    relativistic: true,
    discriminatorName: 'relativisticAverageHingeDiscriminatorLoss',
    discriminator: relativisticAverageHingeDiscriminatorLoss,
  },
];

const REAL = [1.5, -0.5, 3];
const FAKE = [-2, 0.25, 1];

/** Both losses of a case on the same logits, as `[name, function]` pairs. */
function sides(c: PairCase): [string, Loss][] {
  return [
    [c.generatorName, c.generator],
    [c.discriminatorName, c.discriminator],
  ];
}

describe.each(CASES.map((c) => [c.pair.name, c] as const))('loss pair %s', (_name, c) => {
  it('returns a scalar under mean and sum, a [batch] vector under none, for both logit shapes', () => {
    for (const shape of [[3], [3, 1]]) {
      const real = tf.tensor(REAL, shape);
      const fake = tf.tensor(FAKE, shape);
      for (const [name, loss] of sides(c)) {
        const none = loss(real, fake, { reduction: 'none' });
        const mean = loss(real, fake);
        const sum = loss(real, fake, { reduction: 'sum' });
        expect(none.shape, name).toEqual([3]);
        expect(mean.shape, name).toEqual([]);
        expect(sum.shape, name).toEqual([]);
        // mean = sum(ℓ_i)/3 and sum = sum(ℓ_i), from the same per-sample values.
        const values = none.dataSync();
        const total = values[0] + values[1] + values[2];
        expect(sum.dataSync()[0], name).toBeCloseTo(total, 5);
        expect(mean.dataSync()[0], name).toBeCloseTo(total / 3, 5);
        tf.dispose([none, mean, sum]);
      }
      tf.dispose([real, fake]);
    }
  });

  it('multiplies each sample by its weight before reducing', () => {
    const real = tf.tensor1d(REAL);
    const fake = tf.tensor1d(FAKE);
    const weights = tf.tensor1d([2, 0, 0.5]);
    for (const [name, loss] of sides(c)) {
      const plainValues = loss(real, fake, { reduction: 'none' }).dataSync();
      const weighted = loss(real, fake, { reduction: 'none', weights }).dataSync();
      // w_i·ℓ_i per sample; mean = (2ℓ_0 + 0 + 0.5ℓ_2)/3 (divided by the batch, not by Σw).
      expect(weighted[0], name).toBeCloseTo(2 * plainValues[0], 5);
      expect(Math.abs(weighted[1]), name).toBe(0);
      expect(weighted[2], name).toBeCloseTo(0.5 * plainValues[2], 5);
      const mean = loss(real, fake, { weights }).dataSync()[0];
      expect(mean, name).toBeCloseTo((2 * plainValues[0] + 0.5 * plainValues[2]) / 3, 5);
    }
    tf.dispose([real, fake, weights]);
  });

  it('gives finite values and finite gradients for logits of ±200', () => {
    for (const [r, f] of [
      [200, -200],
      [-200, 200],
      [200, 200],
      [-200, -200],
    ]) {
      const real = tf.tensor1d([r, 0]);
      const fake = tf.tensor1d([f, 0]);
      sides(c).forEach(([name, loss], side) => {
        const value = loss(real, fake);
        // A plain generator loss reads only the fake logits: differentiate what it reads.
        const gradients =
          side === 0 && !c.relativistic
            ? [tf.grad((b: tf.Tensor) => loss(real, b))(fake)]
            : tf.grads((a: tf.Tensor, b: tf.Tensor) => loss(a, b))([real, fake]);
        const numbers = [...value.dataSync(), ...gradients.flatMap((g) => [...g.dataSync()])];
        expect(numbers.every(Number.isFinite), `${name} at (${r}, ${f})`).toBe(true);
        tf.dispose([value, ...gradients]);
      });
      tf.dispose([real, fake]);
    }
  });

  it('leaks no tensors and disposes no input, in the functions and in the pair', async () => {
    const real = tf.tensor2d(REAL, [3, 1]);
    const fake = tf.tensor2d(FAKE, [3, 1]);
    const weights = tf.tensor1d([1, 2, 3]);
    await expectNoLeaks(() => {
      for (const [, loss] of sides(c)) {
        tf.dispose([loss(real, fake), loss(real, fake, { reduction: 'none', weights })]);
      }
      tf.dispose([c.pair.generatorLoss(fake, real), c.pair.discriminatorLoss(real, fake)]);
    });
    expect([real.isDisposed, fake.isDisposed, weights.isDisposed]).toEqual([false, false, false]);
    tf.dispose([real, fake, weights]);
  });

  it('makes the pair object compute the mean-reduced functions', () => {
    const real = tf.tensor1d(REAL);
    const fake = tf.tensor1d(FAKE);
    const g = c.pair.generatorLoss(fake, real);
    const d = c.pair.discriminatorLoss(real, fake);
    expect(g.shape).toEqual([]);
    expect(g.dataSync()[0]).toBeCloseTo(c.generator(real, fake).dataSync()[0], 6);
    expect(d.dataSync()[0]).toBeCloseTo(c.discriminator(real, fake).dataSync()[0], 6);
    expect(c.pair.needsRealLogitsForGenerator ?? false).toBe(c.relativistic);
    tf.dispose([real, fake, g, d]);
  });

  it('throws a RangeError naming both shapes when real and fake logits differ', () => {
    const real = tf.zeros([3]);
    const fake = tf.zeros([3, 1]);
    const pairs = c.relativistic ? sides(c) : [sides(c)[1]];
    for (const [name, loss] of pairs) {
      expect(() => loss(real, fake)).toThrow(
        new RangeError(
          `${name}: realLogits and fakeLogits must have the same shape, got [3] and [3,1].`,
        ),
      );
    }
    tf.dispose([real, fake]);
  });

  it('throws a RangeError for logits that are not one per sample, and for wrong weights', () => {
    const wide = tf.zeros([3, 2]);
    const real = tf.zeros([3]);
    const weights = tf.ones([4]);
    const [generatorName, generator] = sides(c)[0];
    const first = c.relativistic ? 'realLogits' : 'fakeLogits';
    expect(() => generator(wide, wide)).toThrow(
      new RangeError(`${generatorName}: ${first} must have shape [batch] or [batch,1], got [3,2].`),
    );
    for (const [name, loss] of sides(c)) {
      expect(() => loss(real, real, { weights })).toThrow(
        new RangeError(`${name}: weights must have shape [3], got [4].`),
      );
      expect(() => loss(real, real, { reduction: 'max' as 'sum' })).toThrow(
        new RangeError(`${name}: reduction must be one of 'mean', 'sum', 'none', got 'max'.`),
      );
    }
    tf.dispose([wide, real, weights]);
  });
});
