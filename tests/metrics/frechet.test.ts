import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  featureStatistics,
  frechetDistance,
  frechetDistanceFromStatistics,
} from '../../src/metrics/frechet';
import { expectNoLeaks } from '../helpers/leaks';
import { expectRejects, expectThrows } from '../helpers/fixtures/throws';

const stats = (mean: number[], covariance: number[][]) => ({ mean, covariance, count: 100 });

describe('featureStatistics', () => {
  it('computes the mean and the n − 1 covariance', async () => {
    // Rows (0,0) and (2,0): mean (1,0); deviations ±1 on x only: Σ_xx = (1 + 1)/(2 − 1) = 2.
    const s = await featureStatistics([
      [0, 0],
      [2, 0],
    ]);
    expect(s.mean).toEqual([1, 0]);
    expect(s.covariance).toEqual([
      [2, 0],
      [0, 0],
    ]);
    expect(s.count).toBe(2);
  });

  it('reads a tensor without disposing it or leaking', async () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 6],
      [5, 10],
    ]);
    // x: mean 3, deviations −2, 0, 2 → var (4 + 0 + 4)/2 = 4; y = 2x → var 16, cov 8.
    const s = await expectNoLeaks(() => featureStatistics(x));
    expect(s.mean).toEqual([3, 6]);
    expect(s.covariance).toEqual([
      [4, 8],
      [8, 16],
    ]);
    x.dispose();
  });

  it('refuses a single row', async () => {
    await expectRejects(
      featureStatistics([[1, 2]]),
      RangeError,
      'featureStatistics: features must have at least 2 rows, got 1.',
    );
  });
});

describe('frechetDistanceFromStatistics', () => {
  it('matches the formula for diagonal covariances', () => {
    // ‖μ1 − μ2‖² = 1 + 4 = 5; tr Σ1 + tr Σ2 = 5 + 13 = 18;
    // (Σ1 Σ2)^½ = diag(√(1·4), √(4·9)) = diag(2, 6), trace 8. d² = 5 + 18 − 16 = 7.
    const d2 = frechetDistanceFromStatistics(
      stats(
        [0, 0],
        [
          [1, 0],
          [0, 4],
        ],
      ),
      stats(
        [1, 2],
        [
          [4, 0],
          [0, 9],
        ],
      ),
    );
    expect(d2).toBeCloseTo(7, 10);
  });

  it('leaves only the mean term for equal full covariances', () => {
    // Σ1 = Σ2 = Σ: (Σ Σ)^½ = Σ, so the trace term is 2 tr Σ − 2 tr Σ = 0; ‖(1, 1)‖² = 2.
    const sigma = [
      [2, 1],
      [1, 2],
    ];
    const d2 = frechetDistanceFromStatistics(stats([0, 0], sigma), stats([1, 1], sigma));
    expect(d2).toBeCloseTo(2, 10);
  });

  it('takes the square root of a non-diagonal product', () => {
    // Σ1 = I: (Σ2)^½ has the roots of Σ2's eigenvalues 3 and 1, trace √3 + 1.
    // d² = 0 + 2 + 4 − 2(√3 + 1) = 4 − 2√3 ≈ 0.535898.
    const d2 = frechetDistanceFromStatistics(
      stats(
        [0, 0],
        [
          [1, 0],
          [0, 1],
        ],
      ),
      stats(
        [0, 0],
        [
          [2, 1],
          [1, 2],
        ],
      ),
    );
    expect(d2).toBeCloseTo(4 - 2 * Math.sqrt(3), 10);
  });

  it('refuses statistics of different feature counts', () => {
    expectThrows(
      () =>
        frechetDistanceFromStatistics(
          stats([0], [[1]]),
          stats(
            [0, 0],
            [
              [1, 0],
              [0, 1],
            ],
          ),
        ),
      RangeError,
      'frechetDistance: both statistics must have the same feature count, got 1 and 2.',
    );
  });
});

describe('frechetDistance', () => {
  it('is 0 for two identical feature sets', async () => {
    const x = tf.randomNormal([50, 4], 0, 1, 'float32', 3);
    const d2 = await expectNoLeaks(() => frechetDistance(x, x));
    expect(d2).toBeCloseTo(0, 6);
    x.dispose();
  });

  it('is the squared shift for a set and its translate', async () => {
    // Translating by (3, 4) keeps the covariance: d² = 3² + 4² = 25.
    const x = [
      [0, 1],
      [2, 0],
      [1, 1],
      [5, 2],
    ];
    const shifted = x.map(([a, b]) => [a + 3, b + 4]);
    expect(await frechetDistance(x, shifted)).toBeCloseTo(25, 8);
  });
});
