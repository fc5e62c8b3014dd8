import { describe, expect, it } from 'vitest';

import { dominantFrequencies, noisySines } from '../../src';
import { expectNoLeaks } from '../helpers/leaks';
import { track } from '../helpers/track';

describe('noisySines', () => {
  it('makes [count, length, 1] float32 series within [-1, 1]', async () => {
    // Amplitude 1 with noise 0.5 would leave [-1, 1] often; clipping keeps it inside.
    const sines = track(noisySines({ count: 50, length: 32, amplitude: 1, noise: 0.5, seed: 1 }));
    expect(sines.shape).toEqual([50, 32, 1]);
    expect(sines.dtype).toBe('float32');
    const values = await sines.data();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    // Both ends are reached: P(|A·sin + 0.5ε| > 1) is large for 1,600 values.
    expect(Math.min(...values)).toBe(-1);
    expect(Math.max(...values)).toBe(1);
  });

  it('gives the same series for the same seed and different ones for another', async () => {
    const options = { count: 4, length: 16, seed: 7 };
    const a = track(noisySines(options));
    const b = track(noisySines(options));
    const c = track(noisySines({ ...options, seed: 8 }));
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    expect(Array.from(await a.data())).not.toEqual(Array.from(await c.data()));
  });

  it('draws clean sines of whole periods when the range is one whole number', async () => {
    // frequencyRange [3, 3]: every series has 3 periods over 64 steps, so its DFT peak is bin
    // 3 exactly, and with noise 0 the series is A·sin(2π·3t/64 + φ): peak-to-peak at most 2A.
    const sines = track(
      noisySines({ count: 20, length: 64, frequencyRange: [3, 3], noise: 0, seed: 2 }),
    );
    // Equal up to float64 rounding in the DFT sums.
    for (const f of await dominantFrequencies(sines)) expect(f).toBeCloseTo(3, 9);
    const values = await sines.data();
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.8 + 1e-6);
  });

  it('draws frequencies uniformly from the range', async () => {
    // U[2, 8] cycles per series has mean 5 and standard deviation 6/√12 = 1.732; the mean of
    // 2,000 draws has standard error 1.732/√2000 = 0.039, so 5 ± 0.2 holds with > 5σ margin
    // (the estimate itself adds at most a small bias: clean sines, noise 0).
    const sines = track(
      noisySines({ count: 2000, length: 64, frequencyRange: [2, 8], noise: 0, seed: 3 }),
    );
    const f = await dominantFrequencies(sines);
    const mean = f.reduce((s, v) => s + v, 0) / f.length;
    expect(mean).toBeGreaterThan(4.8);
    expect(mean).toBeLessThan(5.2);
    expect(Math.min(...f)).toBeGreaterThanOrEqual(1.5);
    expect(Math.max(...f)).toBeLessThanOrEqual(8.5);
  });

  it('leaks no tensors', async () => {
    await expectNoLeaks(() => noisySines({ count: 2, length: 8, seed: 1 }).dispose());
  });

  it('refuses bad options with the argument named', () => {
    expect(() => noisySines({ count: 0, length: 8, seed: 1 })).toThrow(
      new RangeError('noisySines: count must be an integer >= 1, got 0.'),
    );
    expect(() => noisySines({ count: 1, length: 1, seed: 1 })).toThrow(
      new RangeError('noisySines: length must be an integer >= 2, got 1.'),
    );
    // Nyquist: 16 steps hold at most 16 / 2 = 8 periods.
    expect(() => noisySines({ count: 1, length: 16, frequencyRange: [2, 9], seed: 1 })).toThrow(
      new RangeError(
        'noisySines: frequencyRange must lie in [0, length / 2] = [0, 8] cycles per series, ' +
          'got [2,9].',
      ),
    );
    expect(() => noisySines({ count: 1, length: 16, frequencyRange: [5, 2], seed: 1 })).toThrow(
      new RangeError('noisySines: frequencyRange must be [lo, hi] with lo <= hi, got [5,2].'),
    );
    expect(() => noisySines({ count: 1, length: 16, amplitude: 2, seed: 1 })).toThrow(
      new RangeError('noisySines: amplitude must be in [0, 1], got 2.'),
    );
    expect(() => noisySines({ count: 1, length: 16, noise: -0.1, seed: 1 })).toThrow(
      new RangeError('noisySines: noise must be >= 0, got -0.1.'),
    );
    expect(() => noisySines({ count: 1, length: 16 } as never)).toThrow(
      new TypeError('noisySines: seed must be an integer or a string, got undefined.'),
    );
    expect(() => noisySines({ count: 1, length: 16, seed: 1, phase: 0 } as never)).toThrow(
      new RangeError(
        "noisySines: option 'phase' is not supported; the supported options are 'count', " +
          "'length', 'frequencyRange', 'amplitude', 'noise', 'seed'.",
      ),
    );
  });
});
