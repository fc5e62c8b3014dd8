import type * as tf from '@tensorflow/tfjs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

import { describeValue } from '../errors';
import { pointRows } from './features';

/**
 * The mean and covariance of a set of feature vectors, as {@link featureStatistics} computes
 * them; keep the real data's statistics to score many generators against them.
 *
 * @category Metrics
 */
export interface FeatureStatistics {
  /** Mean feature vector, length `d`. */
  mean: number[];
  /** Sample covariance (divided by `n - 1`), `d` rows of `d`. */
  covariance: number[][];
  /** Number of feature vectors `n`. */
  count: number;
}

/**
 * The mean and the sample covariance `Σ = (1/(n-1)) Σ_i (x_i − μ)(x_i − μ)ᵀ` of `n` feature
 * vectors, in double precision.
 *
 * @param features - `[n, d]` with `n >= 2`, a tensor (not disposed) or an array of arrays.
 * @returns the statistics.
 * @throws TypeError when `features` is neither a tensor nor an array of arrays.
 * @throws RangeError when `features` is not `[n, d]` with `n >= 2`.
 * @example
 * ```ts
 * import { featureStatistics } from 'tfjs-gan';
 * const stats = await featureStatistics([[0, 0], [2, 0]]);
 * // mean [1, 0], covariance [[2, 0], [0, 0]]
 * ```
 * @category Metrics
 */
export async function featureStatistics(
  features: tf.Tensor | readonly (readonly number[])[],
): Promise<FeatureStatistics> {
  const where = 'featureStatistics';
  const { values, rows: n, columns: d } = await pointRows(where, 'features', features);
  if (n < 2) {
    throw new RangeError(`${where}: features must have at least 2 rows, got ${n}.`);
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += values[i * d + j] / n;
  const centred = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) centred[i * d + j] = values[i * d + j] - mean[j];
  const covariance = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let a = 0; a < d; a++) {
      const x = centred[row + a];
      if (x === 0) continue;
      const out = covariance[a];
      for (let b = a; b < d; b++) out[b] += x * centred[row + b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      covariance[a][b] /= n - 1;
      covariance[b][a] = covariance[a][b];
    }
  }
  return { mean: [...mean], covariance, count: n };
}

/** `V·diag(√max(λ, 0))·Vᵀ` for a symmetric matrix `V·diag(λ)·Vᵀ`. */
function symmetricSqrt(m: Matrix): Matrix {
  const eigen = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const roots = eigen.realEigenvalues.map((v) => Math.sqrt(Math.max(v, 0)));
  const v = eigen.eigenvectorMatrix;
  return v.clone().mulRowVector(roots).mmul(v.transpose());
}

/**
 * `tr((Σ1 Σ2)^½)`, computed as `tr((A Σ2 A)^½)` with `A = Σ1^½`: `A Σ2 A` is symmetric and
 * positive semi-definite and has the same eigenvalues as `Σ1 Σ2`, so only symmetric
 * eigendecompositions are needed (eigenvalues rounded below 0 count as 0).
 */
function traceSqrtProduct(s1: Matrix, s2: Matrix): number {
  const a = symmetricSqrt(s1);
  const product = a.mmul(s2).mmul(a);
  const symmetric = product.add(product.transpose()).mul(0.5);
  const eigen = new EigenvalueDecomposition(symmetric, { assumeSymmetric: true });
  return eigen.realEigenvalues.reduce((sum, v) => sum + Math.sqrt(Math.max(v, 0)), 0);
}

function checkStatistics(
  where: string,
  name: string,
  stats: unknown,
  d?: number,
): FeatureStatistics {
  const s = stats as FeatureStatistics;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    Array.isArray(s.mean) &&
    Array.isArray(s.covariance) &&
    s.covariance.length === s.mean.length &&
    s.covariance.every((row) => Array.isArray(row) && row.length === s.mean.length);
  if (!ok) {
    throw new TypeError(
      `${where}: ${name} must be { mean: d numbers, covariance: d×d }, got ${describeValue(stats)}.`,
    );
  }
  if (d !== undefined && s.mean.length !== d) {
    throw new RangeError(
      `${where}: both statistics must have the same feature count, got ${d} and ${s.mean.length}.`,
    );
  }
  return s;
}

/**
 * The Fréchet distance between two Gaussians fitted to feature sets (FID when the features
 * are Inception's): `d² = ‖μ1 − μ2‖² + tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^½)`.
 *
 * The matrix square root comes from symmetric eigendecompositions in double precision (see
 * `ml-matrix`), through `tr((Σ1 Σ2)^½) = tr((Σ1^½ Σ2 Σ1^½)^½)`. A result that rounding
 * leaves just below 0 is returned as 0.
 *
 * @see Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update Rule Converge to a Local
 *   Nash Equilibrium", section 4 (FID), https://arxiv.org/abs/1706.08500
 * @param a - statistics of the first set (see {@link featureStatistics}).
 * @param b - statistics of the second set, with the same feature count `d`.
 * @returns `d² >= 0` (squared units of the features).
 * @throws TypeError when an argument is not `{ mean, covariance }` of matching sizes.
 * @throws RangeError when the two feature counts differ.
 * @example
 * ```ts
 * import { frechetDistanceFromStatistics } from 'tfjs-gan';
 * const a = { mean: [0, 0], covariance: [[1, 0], [0, 1]], count: 100 };
 * const b = { mean: [3, 4], covariance: [[1, 0], [0, 1]], count: 100 };
 * frechetDistanceFromStatistics(a, b); // 25: ‖μ1 − μ2‖² = 9 + 16, the covariance terms cancel
 * ```
 * @category Metrics
 */
export function frechetDistanceFromStatistics(a: FeatureStatistics, b: FeatureStatistics): number {
  const where = 'frechetDistance';
  checkStatistics(where, 'a', a);
  checkStatistics(where, 'b', b, a.mean.length);
  const meanTerm = a.mean.reduce((sum, m, i) => sum + (m - b.mean[i]) ** 2, 0);
  const s1 = new Matrix(a.covariance);
  const s2 = new Matrix(b.covariance);
  const traces = s1.trace() + s2.trace() - 2 * traceSqrtProduct(s1, s2);
  return Math.max(0, meanTerm + traces);
}

/**
 * The Fréchet distance between two sets of features from any feature extractor (e.g. the
 * penultimate layer of {@link MnistClassifier}): fits a Gaussian to each set and returns
 * `‖μ1 − μ2‖² + tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^½)`; see {@link frechetDistanceFromStatistics}.
 *
 * @see Heusel et al. 2017, https://arxiv.org/abs/1706.08500
 * @param a - `[n1, d]` features (tensor, not disposed, or arrays), `n1 >= 2`.
 * @param b - `[n2, d]` features, `n2 >= 2`.
 * @returns `d² >= 0`. Biased upwards for small sets: compare only values from sets of equal size.
 * @throws TypeError or RangeError for features that are not `[n, d]` with `n >= 2`, or
 *   feature counts that differ.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { frechetDistance } from 'tfjs-gan';
 * const real = tf.randomNormal([1000, 8], 0, 1, 'float32', 1);
 * const fake = tf.randomNormal([1000, 8], 0.5, 1, 'float32', 2);
 * const d2 = await frechetDistance(real, fake); // about 8 · 0.5² = 2
 * ```
 * @category Metrics
 */
export async function frechetDistance(
  a: tf.Tensor | readonly (readonly number[])[],
  b: tf.Tensor | readonly (readonly number[])[],
): Promise<number> {
  return frechetDistanceFromStatistics(await featureStatistics(a), await featureStatistics(b));
}
