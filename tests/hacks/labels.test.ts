import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { discriminatorTargets, sigmoidCrossEntropyWithTargets } from '../../src/hacks/labels';
import { expectNoLeaks } from '../helpers/leaks';

function crossEntropy(logits: number[], targets: number[]): number {
  return tf.tidy(
    () => sigmoidCrossEntropyWithTargets(tf.tensor1d(logits), tf.tensor1d(targets)).dataSync()[0],
  );
}

function targets(spec: Parameters<typeof discriminatorTargets>[0], batch: number, seed: number) {
  const { real, fake } = discriminatorTargets(spec, batch, seed);
  const out = { real: Array.from(real.dataSync()), fake: Array.from(fake.dataSync()) };
  tf.dispose([real, fake]);
  return out;
}

describe('sigmoidCrossEntropyWithTargets', () => {
  it('gives ln 2 for a logit of 0 and any target', () => {
    // max(0, 0) - 0·t + log(1 + e^0) = ln 2 = 0.693147.
    expect(crossEntropy([0], [0.5])).toBeCloseTo(0.693147, 6);
    expect(crossEntropy([0], [1.2])).toBeCloseTo(0.693147, 6);
  });

  it('averages the per-sample values', () => {
    // x = 2, t = 0.9: 2 - 1.8 + log(1 + e^-2) = 0.2 + 0.126928 = 0.326928.
    // x = -1, t = 0.2: 0 + 0.2 + log(1 + e^-1) = 0.2 + 0.313262 = 0.513262.
    // Mean: (0.326928 + 0.513262) / 2 = 0.420095.
    expect(crossEntropy([2, -1], [0.9, 0.2])).toBeCloseTo(0.420095, 5);
  });

  it('stays finite for logits of ±200', () => {
    // x = -200, t = 1: 0 + 200 + log(1 + e^-200) = 200. x = 200, t = 1: 200 - 200 + ~0 = 0.
    expect(crossEntropy([-200], [1])).toBeCloseTo(200, 3);
    expect(crossEntropy([200], [1])).toBeCloseTo(0, 6);
  });

  it('has the gradient (σ(x) - t) / batch', () => {
    // x = 2, t = 0.9 in a batch of 1: σ(2) - 0.9 = 0.880797 - 0.9 = -0.019203.
    const grad = tf.tidy(
      () =>
        tf
          .grad((x: tf.Tensor) => sigmoidCrossEntropyWithTargets(x, tf.tensor1d([0.9])))(
            tf.tensor1d([2]),
          )
          .dataSync()[0],
    );
    expect(grad).toBeCloseTo(-0.019203, 5);
  });

  it('accepts [batch, 1] logits with [batch] targets and leaks nothing', async () => {
    const logits = tf.tensor2d([[0], [0]]);
    const t = tf.tensor1d([1, 0]);
    const value = await expectNoLeaks(() => {
      const loss = sigmoidCrossEntropyWithTargets(logits, t);
      const v = loss.dataSync()[0];
      loss.dispose();
      return v;
    });
    expect(value).toBeCloseTo(0.693147, 6); // both ln 2
    tf.dispose([logits, t]);
  });

  it('rejects targets of another batch size with the exact message', () => {
    const logits = tf.zeros([4]);
    const t = tf.zeros([3]);
    expect(() => sigmoidCrossEntropyWithTargets(logits, t)).toThrow(
      new RangeError(
        'sigmoidCrossEntropyWithTargets: targets must have shape [4] or [4,1], got [3].',
      ),
    );
    tf.dispose([logits, t]);
  });
});

describe('discriminatorTargets', () => {
  it('gives 1 and 0 with no tricks', () => {
    expect(targets({}, 3, 1)).toEqual({ real: [1, 1, 1], fake: [0, 0, 0] });
  });

  it('smooths only the real targets', () => {
    // 1 - 0.1 = 0.9 (as float32); fake targets stay 0.
    expect(targets({ smoothing: 0.1 }, 2, 1)).toEqual({
      real: [Math.fround(0.9), Math.fround(0.9)],
      fake: [0, 0],
    });
  });

  it('draws noisy real targets inside [0.7, 1.2] with mean near 0.95', () => {
    // U[0.7, 1.2]: mean (0.7 + 1.2)/2 = 0.95, sd 0.5/√12 = 0.144338; over 2000 draws the
    // mean's standard error is 0.144338/√2000 = 0.003227, and 0.016 is about 5 of them.
    const { real, fake } = targets({ realRange: [0.7, 1.2], fakeRange: [0, 0.3] }, 2000, 5);
    expect(Math.min(...real)).toBeGreaterThanOrEqual(Math.fround(0.7));
    expect(Math.max(...real)).toBeLessThanOrEqual(Math.fround(1.2));
    expect(Math.abs(real.reduce((s, v) => s + v, 0) / 2000 - 0.95)).toBeLessThan(0.016);
    // Fake: U[0, 0.3], mean 0.15.
    expect(Math.min(...fake)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...fake)).toBeLessThanOrEqual(Math.fround(0.3));
  });

  it('swaps about flipProbability of the pairs', () => {
    // Without noise a flipped sample has real target 0. Flips ~ Binomial(10000, 0.3): mean
    // 3000, sd √(10000·0.3·0.7) = 45.83; 5 sd = 229.
    const { real, fake } = targets({ flipProbability: 0.3 }, 10000, 3);
    const flipped = real.filter((v) => v === 0).length;
    expect(Math.abs(flipped - 3000)).toBeLessThan(229);
    // A swap exchanges the pair, so every sample still has one 1 and one 0.
    real.forEach((v, i) => expect(v + fake[i]).toBe(1));
  });

  it('flips after the noise, so a flipped real target comes from fakeRange', () => {
    // With probability 1 every pair is swapped: real ∈ [0, 0.3], fake = 0.9.
    const spec = { smoothing: 0.1, fakeRange: [0, 0.3] as [number, number], flipProbability: 1 };
    const { real, fake } = targets(spec, 50, 2);
    expect(Math.max(...real)).toBeLessThanOrEqual(Math.fround(0.3));
    expect(fake.every((v) => v === Math.fround(0.9))).toBe(true);
  });

  it('gives the same targets for the same seed and others for another', () => {
    const spec = { realRange: [0.7, 1.2] as [number, number], flipProbability: 0.2 };
    expect(targets(spec, 16, 9)).toEqual(targets(spec, 16, 9));
    expect(targets(spec, 16, 9)).not.toEqual(targets(spec, 16, 10));
  });

  it('leaks no tensors besides its result', async () => {
    await expectNoLeaks(() => {
      const { real, fake } = discriminatorTargets({ flipProbability: 0.5 }, 8, 1);
      tf.dispose([real, fake]);
    });
  });

  it('rejects bad specs with the exact messages', () => {
    const where = 'discriminatorTargets';
    expect(() => discriminatorTargets({ realRange: [1.2, 0.7] }, 4, 1)).toThrow(
      new RangeError(`${where}: realRange must be [lo, hi] with lo <= hi, got [1.2,0.7].`),
    );
    const short = [0] as unknown as [number, number];
    expect(() => discriminatorTargets({ fakeRange: short }, 4, 1)).toThrow(
      new TypeError(`${where}: fakeRange must be [lo, hi] with finite numbers, got [0].`),
    );
    expect(() => discriminatorTargets({ flipProbability: 1.5 }, 4, 1)).toThrow(
      new RangeError('discriminatorTargets: flipProbability must be in [0, 1], got 1.5.'),
    );
    expect(() => discriminatorTargets({ smoothing: 1 }, 4, 1)).toThrow(
      new RangeError('discriminatorTargets: smoothing must be in [0, 1), got 1.'),
    );
    expect(() => discriminatorTargets({ smoothing: 0.1, realRange: [0.7, 1] }, 4, 1)).toThrow(
      new RangeError(
        `${where}: smoothing and realRange cannot be combined; give the real targets' range only.`,
      ),
    );
    expect(() => discriminatorTargets({ flip: 0.1 } as object, 4, 1)).toThrow(
      new RangeError(
        "discriminatorTargets: option 'flip' is not supported; the supported options are " +
          "'smoothing', 'realRange', 'fakeRange', 'flipProbability'.",
      ),
    );
  });
});
