import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { GaussianMixture, gridMixture, ringMixture } from '../../src/data/mixtures';
import { expectNoLeaks } from '../helpers/leaks';
import { expectThrows } from '../helpers/fixtures/throws';

describe('ringMixture', () => {
  it('puts 8 modes on the unit circle at multiples of 45 degrees with stddev 0.01', () => {
    const ring = ringMixture();
    expect(ring.modes).toBe(8);
    expect(ring.stddev).toBe(0.01);
    // Mode k at (cos kπ/4, sin kπ/4): mode 0 at (1, 0), mode 2 at (0, 1), mode 5 at (−√½, −√½).
    expect(ring.means[0][0]).toBeCloseTo(1, 12);
    expect(ring.means[0][1]).toBeCloseTo(0, 12);
    expect(ring.means[2][0]).toBeCloseTo(0, 12);
    expect(ring.means[2][1]).toBeCloseTo(1, 12);
    expect(ring.means[5][0]).toBeCloseTo(-Math.SQRT1_2, 12);
    expect(ring.means[5][1]).toBeCloseTo(-Math.SQRT1_2, 12);
  });
});

describe('gridMixture', () => {
  it('puts 25 modes at {-4, -2, 0, 2, 4}² with stddev 0.05', () => {
    const grid = gridMixture();
    expect(grid.stddev).toBe(0.05);
    const axis = [-4, -2, 0, 2, 4];
    const expected = axis.flatMap((x) => axis.map((y) => [x, y]));
    expect(grid.means).toEqual(expected);
  });

  it('refuses an unknown option by name', () => {
    expectThrows(
      () => gridMixture({ size: 5 } as never),
      RangeError,
      "gridMixture: option 'size' is not supported; the supported options are 'side', 'spacing', 'stddev'.",
    );
  });
});

describe('GaussianMixture', () => {
  it('draws points whose mean and spread match a single mode', async () => {
    const mixture = new GaussianMixture([[3, -1]], 0.5);
    const points = mixture.sample(4000, 7);
    const { mean, variance } = tf.moments(points, 0);
    // Standard error of the mean: σ/√n = 0.5/√4000 ≈ 0.0079; allow 4 of them, 0.032.
    const m = await mean.data();
    expect(Math.abs(m[0] - 3)).toBeLessThan(0.032);
    expect(Math.abs(m[1] + 1)).toBeLessThan(0.032);
    // The sample variance of n normals has standard error σ²·√(2/n) = 0.25·0.0224 ≈ 0.0056.
    const v = await variance.data();
    expect(Math.abs(v[0] - 0.25)).toBeLessThan(0.023);
    expect(Math.abs(v[1] - 0.25)).toBeLessThan(0.023);
    tf.dispose([points, mean, variance]);
  });

  it('picks the modes equally often', async () => {
    const ring = ringMixture();
    const points = ring.sample(8000, 3);
    const values = await points.data();
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) {
      // σ = 0.01 is far below the 0.77 between neighbours, so the angle names the mode.
      const angle = Math.atan2(values[2 * i + 1], values[2 * i]);
      counts[(Math.round(angle / (Math.PI / 4)) + 8) % 8]++;
    }
    // Each count is Binomial(8000, 1/8): mean 1000, sd √(8000·⅛·⅞) ≈ 29.6; allow 4 sd.
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(119);
    points.dispose();
  });

  it('gives the same points for the same seed and different ones for another', async () => {
    const grid = gridMixture();
    const a = await grid.sample(5, 11).array();
    const b = await grid.sample(5, 11).array();
    const c = await grid.sample(5, 12).array();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('streams fresh batches of the requested size and leaks nothing it keeps', async () => {
    const ring = ringMixture();
    await expectNoLeaks(async () => {
      const iterator = ring.batches(16, 1)[Symbol.iterator]();
      const first = iterator.next().value as tf.Tensor2D;
      const second = iterator.next().value as tf.Tensor2D;
      expect(first.shape).toEqual([16, 2]);
      expect(await first.array()).not.toEqual(await second.array());
      tf.dispose([first, second]);
    });
  });

  it('refuses means of different lengths and a stddev <= 0', () => {
    expectThrows(
      () => new GaussianMixture([[0, 0], [1]], 1),
      RangeError,
      'GaussianMixture: means must hold at least one point, all of the same length >= 1, got lengths [2,1].',
    );
    expectThrows(
      () => new GaussianMixture([[0]], 0),
      RangeError,
      'GaussianMixture: stddev must be > 0, got 0.',
    );
  });
});
