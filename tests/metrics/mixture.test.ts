import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { ringMixture } from '../../src/data/mixtures';
import { mixtureQuality } from '../../src/metrics/mixture';
import { expectNoLeaks } from '../helpers/leaks';
import { expectRejects } from '../helpers/fixtures/throws';

// Two modes 10 apart with σ = 1, so a sample is high quality within 3 of its nearest mean.
const twoModes = {
  means: [
    [0, 0],
    [10, 0],
  ],
  stddev: 1,
};

describe('mixtureQuality', () => {
  it('counts modes, high-quality samples and the reverse KL of hand-placed points', async () => {
    const points = [
      [0, 0.5], // mode 0 at distance 0.5: high quality
      [2, 2], // mode 0 at distance √8 ≈ 2.83 <= 3: high quality
      [4, 0], // mode 0 at distance 4 > 3: assigned to mode 0, low quality
      [9, 0], // mode 1 at distance 1: high quality
    ];
    const q = await mixtureQuality(points, twoModes);
    expect(q.assigned).toEqual([3, 1]);
    expect(q.highQuality).toEqual([2, 1]);
    expect(q.modesCovered).toBe(2);
    expect(q.highQualityFraction).toBe(3 / 4);
    // q = (3/4, 1/4), K = 2: ¾·ln(2·¾) + ¼·ln(2·¼) = 0.75·0.405465 − 0.25·0.693147 = 0.130812
    expect(q.reverseKL).toBeCloseTo(0.130812, 6);
  });

  it('does not cover a mode whose only samples are low quality', async () => {
    // (6, 0) is nearest to mode 1 (distance 4 > 3): mode 1 gets a sample but is not covered.
    const q = await mixtureQuality(
      [
        [0, 0],
        [6, 0],
      ],
      twoModes,
    );
    expect(q.assigned).toEqual([1, 1]);
    expect(q.modesCovered).toBe(1);
    // Equal shares: ½·ln(2·½)·2 = 0.
    expect(q.reverseKL).toBe(0);
  });

  it('gives log K for a generator collapsed onto one mode of the ring', async () => {
    const ring = ringMixture();
    const q = await mixtureQuality(
      [
        [1, 0],
        [1.001, 0],
        [0.999, 0.002],
      ],
      ring,
    );
    expect(q.modesCovered).toBe(1);
    expect(q.highQualityFraction).toBe(1);
    // Every sample on mode 0: q_0 = 1, so 1·ln(8·1) = ln 8 ≈ 2.079442.
    expect(q.reverseKL).toBeCloseTo(Math.log(8), 12);
  });

  it('scores a tensor of real ring data as all 8 modes, nearly all high quality', async () => {
    const ring = ringMixture();
    const real = ring.sample(2000, 5);
    const q = await expectNoLeaks(() => mixtureQuality(real, ring));
    expect(q.modesCovered).toBe(8);
    // In 2-D, ‖x − μ‖²/σ² is χ² with 2 degrees of freedom: P(‖x − μ‖ > 3σ) = e^(−9/2) = 0.0111.
    // 2000 draws: 22 expected outside, sd ≈ 4.7; allow 4 sd either side.
    expect(q.highQualityFraction).toBeGreaterThan(1 - (22 + 19) / 2000);
    expect(q.highQualityFraction).toBeLessThan(1 - (22 - 19) / 2000);
    real.dispose();
  });

  it('takes the threshold in standard deviations', async () => {
    // (2, 2) is at 2.83σ: high quality with the default 3σ, not with 2σ.
    const q = await mixtureQuality([[2, 2]], twoModes, { threshold: 2 });
    expect(q.highQualityFraction).toBe(0);
  });

  it('refuses samples whose width is not the means’ length', async () => {
    const points = tf.zeros([4, 3]);
    await expectRejects(
      mixtureQuality(points, twoModes),
      RangeError,
      'mixtureQuality: samples must have shape [n,2] with n >= 1, got [4,3].',
    );
    points.dispose();
  });
});
