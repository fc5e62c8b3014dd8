import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkOneOf, checkOptions, checkPositive, checkTensor } from '../errors';
import { shuffledIndices } from '../data/batches';
import { RandomStream } from '../random';

/**
 * Options of {@link kernelDistance}.
 *
 * @category Metrics
 */
export interface KernelDistanceOptions {
  /** How many random subsets to average over. @defaultValue 100 */
  subsets?: number;
  /** Vectors drawn (without replacement) from each set per subset; capped at the smaller set. @defaultValue 1000 */
  subsetSize?: number;
  /** Degree `p` of the polynomial kernel. @defaultValue 3 */
  degree?: number;
  /** Scale `γ` of the inner product. @defaultValue `1 / d` */
  gamma?: number;
  /** Constant `c` added inside the power. @defaultValue 1 */
  coef0?: number;
  /**
   * `'unbiased'`: the U-statistic, which leaves out the `k(x_i, x_i)` terms and is 0 in
   * expectation for equal distributions (it may be slightly negative); `'biased'`: the
   * V-statistic over all pairs, which is 0 exactly for identical sets. @defaultValue 'unbiased'
   */
  estimator?: 'unbiased' | 'biased';
  /** Seed of the subset draws. @defaultValue 0 */
  seed?: number;
}

/**
 * What {@link kernelDistance} measured.
 *
 * @category Metrics
 */
export interface KernelDistanceResult {
  /** The squared MMD estimate averaged over the subsets (KID). */
  mean: number;
  /** The standard deviation of the per-subset estimates. */
  standardDeviation: number;
}

const KEYS = ['subsets', 'subsetSize', 'degree', 'gamma', 'coef0', 'estimator', 'seed'];

/**
 * The kernel distance (KID) between two sets of features from any feature extractor: the
 * squared maximum mean discrepancy with the polynomial kernel `k(x, y) = (γ xᵀy + c)^p`,
 * averaged over random subsets of `m` vectors from each set:
 * `MMD² = mean_{i≠j} k(x_i, x_j) + mean_{i≠j} k(y_i, y_j) − 2 mean_{i,j} k(x_i, y_j)`
 * (unbiased; the biased estimate takes every mean over all pairs).
 *
 * Unlike the Fréchet distance it has an unbiased estimator, so values from sets of
 * different sizes can be compared.
 *
 * @see Bińkowski, Sutherland, Arbel, Gretton 2018, "Demystifying MMD GANs", section 4 (KID),
 *   https://arxiv.org/abs/1801.01401
 * @param a - `[n1, d]` features, not disposed.
 * @param b - `[n2, d]` features, not disposed; `m = min(subsetSize, n1, n2) >= 2`.
 * @param options - see {@link KernelDistanceOptions}.
 * @returns the mean and standard deviation over subsets of the MMD² estimate.
 * @throws TypeError when an argument is not a tensor or an option has the wrong type.
 * @throws RangeError when the sets are not `[n, d]` with the same `d` and at least 2 rows,
 *   or an option is out of range.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { kernelDistance } from 'tfjs-gan';
 * const real = tf.randomNormal([500, 16], 0, 1, 'float32', 1);
 * const fake = tf.randomNormal([500, 16], 0, 1, 'float32', 2);
 * const { mean } = await kernelDistance(real, fake, { subsets: 10, subsetSize: 200 }); // near 0
 * ```
 * @category Metrics
 */
export async function kernelDistance(
  a: tf.Tensor,
  b: tf.Tensor,
  options: KernelDistanceOptions = {},
): Promise<KernelDistanceResult> {
  const where = 'kernelDistance';
  const o = resolve(where, a, b, options);
  const random = new RandomStream(o.seed);
  const estimates: number[] = [];
  for (let s = 0; s < o.subsets; s++) {
    const pickA = shuffledIndices(a.shape[0], random).subarray(0, o.m);
    const pickB = shuffledIndices(b.shape[0], random).subarray(0, o.m);
    const value = tf.tidy(() => {
      const x = tf.gather(tf.cast(a, 'float32'), tf.tensor1d(pickA, 'int32'));
      const y = tf.gather(tf.cast(b, 'float32'), tf.tensor1d(pickB, 'int32'));
      const kernel = (p: tf.Tensor, q: tf.Tensor) =>
        tf.pow(tf.add(tf.mul(tf.matMul(p, q, false, true), o.gamma), o.coef0), o.degree);
      // The diagonal k(x_i, x_i) = (γ‖x_i‖² + c)^p, for the unbiased estimate.
      const diagonal = (p: tf.Tensor) =>
        tf.pow(tf.add(tf.mul(tf.sum(tf.square(p), 1), o.gamma), o.coef0), o.degree);
      return tf.stack([
        tf.sum(kernel(x, x)),
        tf.sum(diagonal(x)),
        tf.sum(kernel(y, y)),
        tf.sum(diagonal(y)),
        tf.sum(kernel(x, y)),
      ]);
    });
    const [sxx, dxx, syy, dyy, sxy] = await value.data();
    value.dispose();
    const m = o.m;
    estimates.push(
      o.estimator === 'unbiased'
        ? (sxx - dxx) / (m * (m - 1)) + (syy - dyy) / (m * (m - 1)) - (2 * sxy) / (m * m)
        : (sxx + syy - 2 * sxy) / (m * m),
    );
  }
  const mean = estimates.reduce((x, y) => x + y, 0) / estimates.length;
  const variance = estimates.reduce((x, y) => x + (y - mean) ** 2, 0) / estimates.length;
  return { mean, standardDeviation: Math.sqrt(variance) };
}

function resolve(where: string, a: tf.Tensor, b: tf.Tensor, options: KernelDistanceOptions) {
  checkTensor(where, 'a', a);
  checkTensor(where, 'b', b);
  checkOptions(where, options, KEYS);
  for (const [name, t] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (t.rank !== 2 || t.shape[0] < 2) {
      throw new RangeError(
        `${where}: ${name} must have shape [n,d] with n >= 2, got [${t.shape.join(',')}].`,
      );
    }
  }
  const d = a.shape[1] as number;
  if (b.shape[1] !== d) {
    throw new RangeError(
      `${where}: a and b must have the same feature count, got ${d} and ${b.shape[1]}.`,
    );
  }
  const subsetSize = checkInteger(where, 'subsetSize', options.subsetSize ?? 1000, 2);
  return {
    subsets: checkInteger(where, 'subsets', options.subsets ?? 100, 1),
    m: Math.min(subsetSize, a.shape[0], b.shape[0]),
    degree: checkInteger(where, 'degree', options.degree ?? 3, 1),
    gamma: checkPositive(where, 'gamma', options.gamma ?? 1 / d),
    coef0: checkPositive(where, 'coef0', options.coef0 ?? 1),
    estimator: checkOneOf(where, 'estimator', options.estimator ?? 'unbiased', [
      'unbiased',
      'biased',
    ]),
    seed: checkInteger(where, 'seed', options.seed ?? 0, Number.MIN_SAFE_INTEGER),
  };
}
