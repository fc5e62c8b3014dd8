import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { kernelDistance } from '../../src/metrics/kernel-distance';
import { expectNoLeaks } from '../helpers/leaks';
import { expectRejects } from '../helpers/fixtures/throws';

// Linear kernel plus one, k(x, y) = xy + 1 (degree 1, γ 1, c 1), on 1-D sets of two points.
const linear = { degree: 1, gamma: 1, coef0: 1, subsets: 1, subsetSize: 2 };

describe('kernelDistance', () => {
  it('is 0 with the biased estimate for identical sets', async () => {
    const x = tf.randomNormal([40, 6], 0, 1, 'float32', 1);
    const { mean } = await expectNoLeaks(() =>
      kernelDistance(x, x, { estimator: 'biased', subsets: 3, subsetSize: 40 }),
    );
    expect(mean).toBeCloseTo(0, 4);
    x.dispose();
  });

  it('computes the unbiased estimate by hand', async () => {
    // a = {1, 2}, b = {0, 0}: K_aa = [[2, 3], [3, 5]], off-diagonal mean 3; K_bb = 1 everywhere,
    // off-diagonal mean 1; K_ab = 1 everywhere, mean 1. MMD² = 3 + 1 − 2·1 = 2.
    const a = tf.tensor2d([[1], [2]]);
    const b = tf.tensor2d([[0], [0]]);
    const { mean, standardDeviation } = await kernelDistance(a, b, linear);
    expect(mean).toBeCloseTo(2, 5);
    expect(standardDeviation).toBe(0);
    tf.dispose([a, b]);
  });

  it('gives the squared mean difference with the biased linear estimate', async () => {
    // Biased MMD² with k = xy + c is (mean a − mean b)² = (1.5 − 0)² = 2.25:
    // K_aa sums to 13 → 13/4, K_bb to 4 → 1, K_ab to 4 → 1; 3.25 + 1 − 2 = 2.25.
    const a = tf.tensor2d([[1], [2]]);
    const b = tf.tensor2d([[0], [0]]);
    const { mean } = await kernelDistance(a, b, { ...linear, estimator: 'biased' });
    expect(mean).toBeCloseTo(2.25, 5);
    tf.dispose([a, b]);
  });

  it('can be slightly negative, unbiased, for identical sets', async () => {
    // a = b = {1, 2}: off-diagonal means 3 and 3, cross mean 13/4: 3 + 3 − 6.5 = −0.5.
    const a = tf.tensor2d([[1], [2]]);
    const { mean } = await kernelDistance(a, a, linear);
    expect(mean).toBeCloseTo(-0.5, 5);
    a.dispose();
  });

  it('refuses sets with different feature counts', async () => {
    const a = tf.zeros([4, 3]);
    const b = tf.zeros([4, 2]);
    await expectRejects(
      kernelDistance(a, b),
      RangeError,
      'kernelDistance: a and b must have the same feature count, got 3 and 2.',
    );
    tf.dispose([a, b]);
  });
});
