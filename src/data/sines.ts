import * as tf from '@tensorflow/tfjs';

import {
  checkInteger,
  checkInterval,
  checkNonNegative,
  checkOptions,
  checkRange,
  describeValue,
} from '../errors';
import { RandomStream } from '../random';
import { normal } from './mixtures';

/**
 * Options of {@link noisySines}.
 *
 * @category Data
 */
export interface NoisySinesOptions {
  /** How many series, an integer >= 1. */
  count: number;
  /** Time steps of each series, an integer >= 2. */
  length: number;
  /**
   * `[fMin, fMax]`: each series' frequency is drawn uniformly from it, in cycles per series
   * (a frequency `f` completes `f` periods over the `length` steps, i.e. `f / length` cycles
   * per step). Within `[0, length / 2]` (the Nyquist limit). @defaultValue `[1, length / 4]`
   */
  frequencyRange?: [number, number];
  /** Amplitude `A` of the sine, in [0, 1]. @defaultValue 0.8 */
  amplitude?: number;
  /** Standard deviation `σ` of the Gaussian noise added to every step, >= 0. @defaultValue 0.1 */
  noise?: number;
  /** An integer or string; the same seed gives the same series. */
  seed: number | string;
}

/**
 * A synthetic family of series for 1-D generators: sines of random frequency and phase with
 * Gaussian noise, clipped to [-1, 1].
 *
 * Series `i` is `x_i(t) = clip(A·sin(2π f_i t / length + φ_i) + σ·ε_{i,t}, -1, 1)` for
 * `t = 0 … length-1`, with `f_i ~ U[fMin, fMax]` (cycles per series), `φ_i ~ U[0, 2π)` and
 * `ε ~ N(0, 1)`. Sampling runs in JavaScript from one {@link RandomStream}, so the same seed
 * gives the same series on every backend. {@link dominantFrequencies} recovers `f_i` and
 * {@link frequencyDistance} compares the frequencies of two sets.
 *
 * @param options - see {@link NoisySinesOptions}.
 * @returns `[count, length, 1]` float32 in [-1, 1], owned by the caller.
 * @throws TypeError or RangeError for a bad option (unknown key, `count` or `length` not an
 *   integer in range, a frequency range outside `[0, length / 2]`, `amplitude` outside
 *   [0, 1], negative `noise`).
 * @example
 * ```ts
 * import { noisySines } from 'tfjs-gan';
 * const sines = noisySines({ count: 256, length: 64, frequencyRange: [2, 8], seed: 1 });
 * // [256, 64, 1]: 2 to 8 periods per series, amplitude 0.8, noise 0.1
 * sines.dispose();
 * ```
 * @category Data
 */
export function noisySines(options: NoisySinesOptions): tf.Tensor3D {
  const where = 'noisySines';
  checkOptions(where, options, ['count', 'length', 'frequencyRange', 'amplitude', 'noise', 'seed']);
  const count = checkInteger(where, 'count', options.count, 1);
  const length = checkInteger(where, 'length', options.length, 2);
  const [fMin, fMax] = checkInterval(
    where,
    'frequencyRange',
    options.frequencyRange ?? [1, length / 4],
  );
  if (fMin < 0 || fMax > length / 2) {
    throw new RangeError(
      `${where}: frequencyRange must lie in [0, length / 2] = [0, ${length / 2}] cycles per ` +
        `series, got [${fMin},${fMax}].`,
    );
  }
  const amplitude = checkRange(where, 'amplitude', options.amplitude ?? 0.8, 0, 1);
  const noise = checkNonNegative(where, 'noise', options.noise ?? 0.1);
  const seed = options.seed;
  if (typeof seed === 'number') checkInteger(where, 'seed', seed, Number.MIN_SAFE_INTEGER);
  else if (typeof seed !== 'string') {
    throw new TypeError(
      `${where}: seed must be an integer or a string, got ${describeValue(seed)}.`,
    );
  }
  const random = new RandomStream(seed);
  const values = new Float32Array(count * length);
  for (let i = 0; i < count; i++) {
    const frequency = fMin + (fMax - fMin) * random.next();
    const phase = 2 * Math.PI * random.next();
    for (let t = 0; t < length; t++) {
      const clean = amplitude * Math.sin((2 * Math.PI * frequency * t) / length + phase);
      // Draw noise only when asked, so noise 0 gives the clean sines exactly.
      const value = noise > 0 ? clean + noise * normal(random) : clean;
      values[i * length + t] = Math.min(1, Math.max(-1, value));
    }
  }
  return tf.tensor3d(values, [count, length, 1], 'float32');
}
