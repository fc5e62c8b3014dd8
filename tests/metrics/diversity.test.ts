import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { meanPairwiseDistance } from '../../src/metrics/diversity';
import { expectNoLeaks } from '../helpers/leaks';
import { expectRejects } from '../helpers/fixtures/throws';

describe('meanPairwiseDistance', () => {
  it('averages every pair exactly for a small set', async () => {
    // Pairs: (0,0)-(3,4) = 5, (0,0)-(0,4) = 4, (3,4)-(0,4) = 3; mean 12/3 = 4.
    expect(
      await meanPairwiseDistance([
        [0, 0],
        [3, 4],
        [0, 4],
      ]),
    ).toBe(4);
  });

  it('flattens images and estimates from random pairs for a large set', async () => {
    // 100 images of zeros and 100 of ones, 1×1×1: a pair of distinct samples is 1 apart when
    // they differ, which happens for 100·100 of the 200·199/2 = 19900 pairs: 0.502513.
    // 5000 random pairs: standard error √(0.25/5000) ≈ 0.0071; allow 4 of them.
    const images = tf.concat([tf.zeros([100, 1, 1, 1]), tf.ones([100, 1, 1, 1])]);
    const estimate = await expectNoLeaks(() =>
      meanPairwiseDistance(images, { pairs: 5000, seed: 3 }),
    );
    expect(Math.abs(estimate - 10000 / 19900)).toBeLessThan(0.0284);
    images.dispose();
  });

  it('refuses a single sample', async () => {
    await expectRejects(
      meanPairwiseDistance([[1, 2]]),
      RangeError,
      'meanPairwiseDistance: samples must have at least 2 rows, got 1.',
    );
  });
});
