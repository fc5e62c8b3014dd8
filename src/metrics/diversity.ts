import type * as tf from '@tensorflow/tfjs';

import { checkInteger, checkOptions } from '../errors';
import { RandomStream } from '../random';
import { pointRows } from './features';

/**
 * Options of {@link meanPairwiseDistance}.
 *
 * @category Metrics
 */
export interface MeanPairwiseDistanceOptions {
  /**
   * Pairs to average over; when the set has at most this many distinct pairs, all of them
   * are used and the result is exact. @defaultValue 10000
   */
  pairs?: number;
  /** Seed of the pair draws. @defaultValue 0 */
  seed?: number;
}

/**
 * Sample diversity for sets of any size: the mean Euclidean distance between two distinct
 * samples, `E‖x_i − x_j‖` over pairs `i ≠ j` (each sample flattened), exact over all
 * `n(n−1)/2` pairs for small sets and estimated from `pairs` random pairs for large ones.
 *
 * A collapsed generator gives a much smaller value than real data: report the ratio of the
 * generated set's value to a real set's. In pixel space it measures variety, not quality;
 * on classifier features it measures semantic variety. Unlike the training diagnostic
 * {@link sampleDiversity}, which builds the full `n × n` distance matrix of one batch, this
 * reads the set once and samples pairs, so 10,000 images cost no more than a batch.
 *
 * @see Salimans et al. 2016, "Improved Techniques for Training GANs", section 3.2,
 *   https://arxiv.org/abs/1606.03498
 * @param samples - `[n, ...]` with `n >= 2`, a tensor (not disposed) or arrays of `[n, d]`.
 * @param options - see {@link MeanPairwiseDistanceOptions}.
 * @returns the mean distance, >= 0.
 * @throws TypeError or RangeError when `samples` has fewer than 2 samples or an option is bad.
 * @example
 * ```ts
 * import { meanPairwiseDistance } from 'tfjs-gan';
 * await meanPairwiseDistance([[0, 0], [3, 4], [0, 4]]); // (5 + 3 + 4) / 3 = 4
 * ```
 * @category Metrics
 */
export async function meanPairwiseDistance(
  samples: tf.Tensor | readonly (readonly number[])[],
  options: MeanPairwiseDistanceOptions = {},
): Promise<number> {
  const where = 'meanPairwiseDistance';
  checkOptions(where, options, ['pairs', 'seed']);
  const pairs = checkInteger(where, 'pairs', options.pairs ?? 10000, 1);
  const seed = checkInteger(where, 'seed', options.seed ?? 0, Number.MIN_SAFE_INTEGER);
  const flat =
    samples !== null && typeof samples === 'object' && 'reshape' in samples && samples.rank > 2
      ? samples.reshape([samples.shape[0], -1])
      : samples;
  try {
    const { values, rows: n, columns: d } = await pointRows(where, 'samples', flat);
    if (n < 2) throw new RangeError(`${where}: samples must have at least 2 rows, got ${n}.`);
    const distance = (i: number, j: number) => {
      let sum = 0;
      for (let k = 0; k < d; k++) sum += (values[i * d + k] - values[j * d + k]) ** 2;
      return Math.sqrt(sum);
    };
    let total = 0;
    if ((n * (n - 1)) / 2 <= pairs) {
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) total += distance(i, j);
      return total / ((n * (n - 1)) / 2);
    }
    const random = new RandomStream(seed);
    for (let p = 0; p < pairs; p++) {
      const i = random.nextInt(n);
      // j uniform over the other n − 1 samples.
      const j = (i + 1 + random.nextInt(n - 1)) % n;
      total += distance(i, j);
    }
    return total / pairs;
  } finally {
    if (flat !== samples) (flat as tf.Tensor).dispose();
  }
}
