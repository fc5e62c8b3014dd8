import type * as tf from '@tensorflow/tfjs';

import { pointRows } from './features';

/** Tolerance on each row's sum, so probabilities rounded to float32 pass. */
const SUM_TOLERANCE = 1e-3;

async function probabilityRows(where: string, probabilities: unknown) {
  const rows = await pointRows(where, 'probabilities', probabilities);
  const { values, rows: n, columns: c } = rows;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < c; j++) {
      const p = values[i * c + j];
      if (!(p >= 0 && p <= 1)) {
        throw new RangeError(
          `${where}: probabilities must be in [0, 1] (apply softmax to logits first), ` +
            `got ${p} at row ${i}.`,
        );
      }
      sum += p;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new RangeError(
        `${where}: each row of probabilities must sum to 1, got ${sum} at row ${i}.`,
      );
    }
  }
  return rows;
}

/**
 * The classifier score (the Inception score with any classifier):
 * `exp( mean_i KL(p(y | x_i) ‖ p(y)) )` with the marginal `p(y) = mean_i p(y | x_i)`.
 *
 * It ranges from 1 (every sample gets the same class distribution) to the number of classes
 * `C` (every sample confidently in one class, the classes equally often). It rewards samples
 * the classifier is sure about and a spread of classes; it never compares with real data, so
 * read it next to the real test set's own score.
 *
 * @see Salimans et al. 2016, "Improved Techniques for Training GANs", section 4 (Inception
 *   score), https://arxiv.org/abs/1606.03498
 * @param probabilities - `[n, C]` class probabilities (rows summing to 1, e.g. a softmax
 *   output), a tensor (not disposed) or arrays.
 * @returns the score, in `[1, C]`.
 * @throws TypeError when `probabilities` is neither a tensor nor an array of arrays.
 * @throws RangeError when it is not `[n, C]`, has a value outside [0, 1] or a row whose sum
 *   is not 1 (within 1e-3).
 * @example
 * ```ts
 * import { classifierScore } from 'tfjs-gan';
 * await classifierScore([[1, 0], [0, 1]]);         // 2: confident, both classes
 * await classifierScore([[0.5, 0.5], [0.5, 0.5]]); // 1: no class information
 * ```
 * @category Metrics
 */
export async function classifierScore(
  probabilities: tf.Tensor | readonly (readonly number[])[],
): Promise<number> {
  const { values, rows: n, columns: c } = await probabilityRows('classifierScore', probabilities);
  const marginal = new Float64Array(c);
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) marginal[j] += values[i * c + j] / n;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      const p = values[i * c + j];
      // 0 · log 0 = 0; p > 0 implies marginal[j] > 0.
      if (p > 0) kl += p * Math.log(p / marginal[j]);
    }
  }
  return Math.exp(kl / n);
}

/**
 * The share of samples in each class, each sample counted in its most probable class
 * (ties go to the lower class index).
 *
 * @param probabilities - `[n, C]` class probabilities or scores (only the argmax is used), a
 *   tensor (not disposed) or arrays.
 * @returns `C` shares summing to 1.
 * @throws TypeError or RangeError when `probabilities` is not `[n, C]` with `n >= 1`.
 * @example
 * ```ts
 * import { classHistogram } from 'tfjs-gan';
 * await classHistogram([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]); // [2/3, 1/3]
 * ```
 * @category Metrics
 */
export async function classHistogram(
  probabilities: tf.Tensor | readonly (readonly number[])[],
): Promise<number[]> {
  const {
    values,
    rows: n,
    columns: c,
  } = await pointRows('classHistogram', 'probabilities', probabilities);
  const counts = new Array<number>(c).fill(0);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (values[i * c + j] > values[i * c + best]) best = j;
    counts[best]++;
  }
  return counts.map((count) => count / n);
}
