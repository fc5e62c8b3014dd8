import * as tf from '@tensorflow/tfjs';

import { checkOptions, checkPositive, describeValue } from '../errors';
import { pointRows } from './features';

/**
 * The modes of a known mixture: their means and the standard deviation of each mode. A
 * {@link GaussianMixture} is one.
 *
 * @category Metrics
 */
export interface MixtureModes {
  /** `K` means of the same length `d`. */
  readonly means: readonly (readonly number[])[];
  /** The standard deviation `σ` of each mode. */
  readonly stddev: number;
}

/**
 * Options of {@link mixtureQuality}.
 *
 * @category Metrics
 */
export interface MixtureQualityOptions {
  /**
   * A sample is high quality when its distance to the nearest mean is at most this many
   * standard deviations. @defaultValue 3
   */
  threshold?: number;
}

/**
 * What {@link mixtureQuality} measured.
 *
 * @category Metrics
 */
export interface MixtureQuality {
  /** Modes with at least one high-quality sample assigned to them, in `[0, K]`. */
  modesCovered: number;
  /** Share of samples within `threshold·σ` of their nearest mean, in `[0, 1]`. */
  highQualityFraction: number;
  /**
   * `KL(q ‖ u) = Σ_k q_k log(K q_k)` in nats, where `q_k` is the share of all samples whose
   * nearest mean is mode `k` and `u` is uniform; 0 when every mode gets the same share,
   * `log K` when all samples go to one mode.
   */
  reverseKL: number;
  /** Samples whose nearest mean is mode `k`, for each `k` (the histogram behind `q`). */
  assigned: number[];
  /** High-quality samples whose nearest mean is mode `k`, for each `k`. */
  highQuality: number[];
}

/**
 * Mode-collapse metrics of samples from a generator trained on a known mixture: modes
 * covered, the fraction of high-quality samples and the reverse KL divergence of the mode
 * histogram from the uniform one.
 *
 * Each sample is assigned to its nearest mean (Euclidean). It is high quality when that
 * distance is at most `threshold·σ`. A mode is covered when at least one high-quality sample
 * is assigned to it. With `q_k` the share of all samples assigned to mode `k`,
 * `reverseKL = Σ_k q_k log(K q_k)` (terms with `q_k = 0` are 0).
 *
 * @see Srivastava et al. 2017, "VEEGAN", section 5 (modes and high-quality samples),
 *   https://arxiv.org/abs/1705.07761
 * @see Lin, Khetan, Fanti, Oh 2018, "PacGAN", section 5, Table 1 (reverse KL),
 *   https://arxiv.org/abs/1712.04086
 * @param samples - `[n, d]` points, a tensor (not disposed) or an array of arrays; `n >= 1`.
 * @param modes - the mixture's means (each of length `d`) and `σ`.
 * @param options - see {@link MixtureQualityOptions}.
 * @returns the metrics and the per-mode counts.
 * @throws TypeError when `samples` is neither a tensor nor an array of points, or `modes`
 *   has no means array.
 * @throws RangeError when the samples are not `[n, d]` with `d` the means' length, or
 *   `threshold` / `σ` is not > 0.
 * @example
 * ```ts
 * import { mixtureQuality, ringMixture } from 'tfjs-gan';
 * const ring = ringMixture();
 * const real = ring.sample(2500, 1);
 * const { modesCovered, highQualityFraction, reverseKL } = await mixtureQuality(real, ring);
 * // real data: 8 modes, ~0.99 high quality, reverse KL near 0
 * real.dispose();
 * ```
 * @category Metrics
 */
export async function mixtureQuality(
  samples: tf.Tensor | readonly (readonly number[])[],
  modes: MixtureModes,
  options: MixtureQualityOptions = {},
): Promise<MixtureQuality> {
  const where = 'mixtureQuality';
  checkOptions(where, options, ['threshold']);
  const threshold = checkPositive(where, 'threshold', options.threshold ?? 3);
  if (modes === null || typeof modes !== 'object' || !Array.isArray(modes.means)) {
    throw new TypeError(`${where}: modes must be { means, stddev }, got ${describeValue(modes)}.`);
  }
  const stddev = checkPositive(where, 'modes.stddev', modes.stddev);
  const means = modes.means;
  const d = means[0]?.length ?? 0;
  const { values, rows } = await pointRows(where, 'samples', samples, d);
  const k = means.length;
  const assigned = new Array<number>(k).fill(0);
  const highQuality = new Array<number>(k).fill(0);
  const limit = (threshold * stddev) ** 2;
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let m = 0; m < k; m++) {
      let distance = 0;
      for (let j = 0; j < d; j++) distance += (values[i * d + j] - means[m][j]) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [m, distance];
    }
    assigned[best]++;
    if (bestDistance <= limit) highQuality[best]++;
  }
  const reverseKL = assigned.reduce((sum, count) => {
    const q = count / rows;
    return q > 0 ? sum + q * Math.log(k * q) : sum;
  }, 0);
  return {
    modesCovered: highQuality.filter((count) => count > 0).length,
    highQualityFraction: highQuality.reduce((a, b) => a + b, 0) / rows,
    reverseKL,
    assigned,
    highQuality,
  };
}
