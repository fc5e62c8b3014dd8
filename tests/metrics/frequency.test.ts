import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { dominantFrequencies, frequencyDistance } from '../../src';
import { expectNoLeaks } from '../helpers/leaks';
import { track } from '../helpers/track';

/** Clean sinusoids `cos(2π f t / length + 0.3)`, one series per frequency: `[n, length, 1]`. */
function sines(frequencies: number[], length = 16): tf.Tensor3D {
  const values = frequencies.flatMap((f) =>
    Array.from({ length }, (_, t) => Math.cos((2 * Math.PI * f * t) / length + 0.3)),
  );
  return track(tf.tensor3d(values, [frequencies.length, length, 1]));
}

/** Equal up to float64 rounding in the DFT sums (about 1e-15 here). */
function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 9));
}

describe('dominantFrequencies', () => {
  it('finds the whole number of periods of clean sinusoids exactly', async () => {
    // A whole number k of periods puts all of the DFT's positive half in bin k: X[k±1] = 0
    // by orthogonality, so the refinement offset is 0. Bins 1 and 8 = 16/2 are the edges,
    // reported as they are.
    const found = await dominantFrequencies(sines([1, 3, 7, 8]));
    expectClose(found, [1, 3, 7, 8]);
  });

  it('refines a frequency between two bins to within a few hundredths', async () => {
    // 5.3 periods over 64 steps: the peak bin is 5 (0.3 away). The estimator is exact for
    // one complex exponential up to Candan's approximation; a real sinusoid adds its image at
    // -5.3, whose leakage into bins 4 to 6 is about 1/(π·10.6) ≈ 0.03 of the main term's
    // scale, so the estimate moves by a few hundredths of a bin at most.
    const [refined] = await dominantFrequencies(sines([5.3], 64));
    const [binned] = await dominantFrequencies(sines([5.3], 64), { refine: false });
    expect(binned).toBe(5);
    expect(Math.abs(refined - 5.3)).toBeLessThan(0.05);
  });

  it('sums the channels and gives 0 for a flat series', async () => {
    // Channel 0: 2 periods at amplitude 0.3, |X[2]|² ∝ 0.09; channel 1: 5 periods at 0.9,
    // |X[5]|² ∝ 0.81. The summed periodogram peaks at 5. The second series is constant.
    const values: number[] = [];
    for (let t = 0; t < 16; t++) {
      values.push(0.3 * Math.sin((2 * Math.PI * 2 * t) / 16));
      values.push(0.9 * Math.sin((2 * Math.PI * 5 * t) / 16));
    }
    const series = track(tf.tensor3d([...values, ...new Array(32).fill(0.25)], [2, 16, 2]));
    expectClose(await dominantFrequencies(series), [5, 0]);
  });

  it('leaks no tensors', async () => {
    const series = sines([2, 3]);
    await expectNoLeaks(() => dominantFrequencies(series));
  });

  it('refuses what is not a batch of series', async () => {
    await expect(dominantFrequencies(track(tf.zeros([4, 16])) as never)).rejects.toThrow(
      new RangeError(
        'dominantFrequencies: series must have shape [batch, length, channels] with ' +
          'batch >= 1, length >= 2 and channels >= 1, got [4,16].',
      ),
    );
    await expect(dominantFrequencies([1, 2] as never)).rejects.toThrow(
      new TypeError('dominantFrequencies: series must be a tf.Tensor, got [1,2].'),
    );
    await expect(dominantFrequencies(sines([2]), { refine: 1 as never })).rejects.toThrow(
      new TypeError('dominantFrequencies: refine must be true or false, got 1.'),
    );
  });
});

describe('frequencyDistance', () => {
  it('gives the Wasserstein and KS distances of two sets of pure sines', async () => {
    // Real frequencies {1, 2, 3, 4}, fake {2, 2, 5, 6}, all exact (whole periods).
    // W1 of equal-size sets = mean |sorted differences| = (1 + 0 + 2 + 2)/4 = 1.25.
    // F − G on [1,2): 0.25 − 0; [2,3): 0.5 − 0.5; [3,4): 0.75 − 0.5; [4,5): 1 − 0.5;
    // [5,6): 1 − 0.75, so KS = 0.5. Means 10/4 = 2.5 and 15/4 = 3.75.
    const result = await frequencyDistance(sines([1, 2, 3, 4]), sines([2, 2, 5, 6]));
    expect(result.wasserstein).toBeCloseTo(1.25, 12);
    expect(result.kolmogorovSmirnov).toBeCloseTo(0.5, 12);
    expect(result.realMean).toBeCloseTo(2.5, 12);
    expect(result.fakeMean).toBeCloseTo(3.75, 12);
    // Default bins: one per DFT bin 0 … 16/2 = 8, edges -0.5, 0.5, …, 8.5.
    expect(result.histogram.edges).toEqual([-0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5]);
    expect(result.histogram.real).toEqual([0, 0.25, 0.25, 0.25, 0.25, 0, 0, 0, 0]);
    expect(result.histogram.fake).toEqual([0, 0, 0.5, 0, 0, 0.25, 0.25, 0, 0]);
  });

  it('compares sets of different sizes through their distribution functions', async () => {
    // Real {2, 4} against fake {3}: W1 = E|X − 3| for X uniform on {2, 4} = 1;
    // |F − G| is 0.5 on [2,3) and on [3,4), so KS = 0.5.
    const result = await frequencyDistance(sines([2, 4]), sines([3]));
    expect(result.wasserstein).toBeCloseTo(1, 12);
    expect(result.kolmogorovSmirnov).toBeCloseTo(0.5, 12);
  });

  it('is 0 for sets with the same frequencies', async () => {
    const result = await frequencyDistance(sines([3, 1, 5]), sines([5, 3, 1]));
    expect([result.wasserstein, result.kolmogorovSmirnov]).toEqual([0, 0]);
  });

  it('bins the histogram over the range asked for, leaving out what falls outside', async () => {
    // Range [0, 8] in 4 bins: edges 0, 2, 4, 6, 8; {1, 2, 3, 4} → bins 0, 1, 1, 2.
    const wide = await frequencyDistance(sines([1, 2, 3, 4]), sines([1]), {
      bins: 4,
      range: [0, 8],
    });
    expect(wide.histogram.edges).toEqual([0, 2, 4, 6, 8]);
    expect(wide.histogram.real).toEqual([0.25, 0.5, 0.25, 0]);
    // Range [2, 4] in 2 bins: 1 is left out, 2 → bin 0, 3 and 4 (= hi) → bin 1.
    const narrow = await frequencyDistance(sines([1, 2, 3, 4]), sines([1]), {
      bins: 2,
      range: [2, 4],
    });
    expect(narrow.histogram.real).toEqual([0.25, 0.5]);
  });

  it('leaks no tensors', async () => {
    const [real, fake] = [sines([2, 3]), sines([4])];
    await expectNoLeaks(() => frequencyDistance(real, fake));
  });

  it('refuses mismatched series and bad options', async () => {
    await expect(frequencyDistance(sines([2]), sines([2], 32))).rejects.toThrow(
      new RangeError(
        'frequencyDistance: real and fake must have the same length and channels, got ' +
          '[1,16,1] and [1,32,1].',
      ),
    );
    await expect(frequencyDistance(sines([2]), sines([2]), { bins: 0 })).rejects.toThrow(
      new RangeError('frequencyDistance: bins must be an integer >= 1, got 0.'),
    );
    await expect(frequencyDistance(sines([2]), sines([2]), { range: [3, 3] })).rejects.toThrow(
      new RangeError('frequencyDistance: range must have lo < hi, got [3,3].'),
    );
    await expect(
      frequencyDistance(sines([2]), sines([2]), { window: 'hann' } as never),
    ).rejects.toThrow(
      new RangeError(
        "frequencyDistance: option 'window' is not supported; the supported options are " +
          "'refine', 'bins', 'range'.",
      ),
    );
  });
});
