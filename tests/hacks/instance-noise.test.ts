import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { addInstanceNoise, exponentialDecay, linearDecay } from '../../src/hacks/instance-noise';
import { expectNoLeaks } from '../helpers/leaks';

describe('addInstanceNoise', () => {
  it('adds noise of the requested standard deviation', () => {
    // x = 3 everywhere, σ = 0.5: x + σε has mean 3 and sd 0.5. Over 20000 values the mean's
    // standard error is 0.5/√20000 = 0.003536 (5 of them: 0.018), and the sd estimate's is
    // about 0.5/√(2·20000) = 0.0025 (5 of them: 0.0125).
    const x = tf.fill([20, 1000], 3);
    const noisy = addInstanceNoise(x, 0.5, 1);
    const values = Array.from(noisy.dataSync());
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean - 3)).toBeLessThan(0.018);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.0125);
    tf.dispose([x, noisy]);
  });

  it('returns equal values for stddev 0 and the same noise for the same seed', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const same = addInstanceNoise(x, 0, 5);
    expect(same.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const a = addInstanceNoise(x, 0.1, 5);
    const b = addInstanceNoise(x, 0.1, 5);
    expect(a.arraySync()).toEqual(b.arraySync());
    tf.dispose([x, same, a, b]);
  });

  it('passes the gradient 1 through to x and leaks nothing', async () => {
    // d/dx sum(x + σε) = 1 for every entry.
    const x = tf.tensor1d([0.5, -0.5]);
    await expectNoLeaks(() => {
      const grad = tf.grad((v: tf.Tensor) => tf.sum(addInstanceNoise(v, 0.3, 2)))(x);
      expect(Array.from(grad.dataSync())).toEqual([1, 1]);
      grad.dispose();
    });
    x.dispose();
  });

  it('rejects a negative stddev with the exact message', () => {
    const x = tf.zeros([2]);
    expect(() => addInstanceNoise(x, -0.1, 1)).toThrow(
      new RangeError('addInstanceNoise: stddev must be >= 0, got -0.1.'),
    );
    x.dispose();
  });
});

describe('linearDecay', () => {
  it('moves from start to end over steps, then stays at end', () => {
    // start 0.1, end 0.02, 100 steps: σ(25) = 0.1 + (0.02 - 0.1)·25/100 = 0.1 - 0.02 = 0.08;
    // σ(100) = σ(500) = 0.02.
    const schedule = linearDecay({ start: 0.1, end: 0.02, steps: 100 });
    expect(schedule.stddevAt(0)).toBe(0.1);
    expect(schedule.stddevAt(25)).toBeCloseTo(0.08, 12);
    expect(schedule.stddevAt(100)).toBeCloseTo(0.02, 12);
    expect(schedule.stddevAt(500)).toBeCloseTo(0.02, 12);
  });

  it('ends at 0 by default', () => {
    // σ(50) = 0.2 + (0 - 0.2)·50/200 = 0.15.
    const schedule = linearDecay({ start: 0.2, steps: 200 });
    expect(schedule.stddevAt(50)).toBeCloseTo(0.15, 12);
    expect(schedule.stddevAt(200)).toBe(0);
  });

  it('rejects zero steps and a fractional step with the exact messages', () => {
    expect(() => linearDecay({ start: 0.1, steps: 0 })).toThrow(
      new RangeError('linearDecay: steps must be an integer >= 1, got 0.'),
    );
    expect(() => linearDecay({ start: 0.1, steps: 10 }).stddevAt(1.5)).toThrow(
      new TypeError('linearDecay.stddevAt: step must be an integer, got 1.5.'),
    );
  });
});

describe('exponentialDecay', () => {
  it('multiplies by rate each step and stops at the minimum', () => {
    // σ(2) = 0.1 · 0.5² = 0.025; σ(10) = 0.1 · 0.5^10 = 0.0000977 < 0.01, so 0.01.
    const schedule = exponentialDecay({ start: 0.1, rate: 0.5, minimum: 0.01 });
    expect(schedule.stddevAt(0)).toBe(0.1);
    expect(schedule.stddevAt(2)).toBeCloseTo(0.025, 12);
    expect(schedule.stddevAt(10)).toBe(0.01);
  });

  it('rejects a rate above 1 with the exact message', () => {
    expect(() => exponentialDecay({ start: 0.1, rate: 1.5 })).toThrow(
      new RangeError('exponentialDecay: rate must be in [0, 1], got 1.5.'),
    );
  });
});
