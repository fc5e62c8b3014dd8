import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkOneOf, checkOptions } from '../errors';

/**
 * Draws a batch of latent vectors.
 *
 * @param batchSize - how many vectors to draw.
 * @param latentDim - the length of each vector.
 * @param seed - an integer seed; the same seed gives the same batch.
 * @returns a tensor of shape `[batchSize, latentDim]`, owned by the caller.
 * @category Hacks
 */
export type LatentSampler = (batchSize: number, latentDim: number, seed: number) => tf.Tensor2D;

/**
 * The standard normal latent sampler: every entry of `z` drawn from `N(0, 1)`.
 *
 * @param batchSize - how many vectors, an integer >= 1.
 * @param latentDim - the length of each vector, an integer >= 1.
 * @param seed - an integer seed.
 * @returns `[batchSize, latentDim]`, owned by the caller.
 * @throws RangeError when `batchSize` or `latentDim` is not a positive integer.
 * @example
 * ```ts
 * import { normalLatent } from 'tfjs-gan';
 * const z = normalLatent(16, 100, 42); // [16, 100]
 * z.dispose();
 * ```
 * @category Hacks
 */
export function normalLatent(batchSize: number, latentDim: number, seed: number): tf.Tensor2D {
  checkInteger('normalLatent', 'batchSize', batchSize, 1);
  checkInteger('normalLatent', 'latentDim', latentDim, 1);
  return tf.randomNormal([batchSize, latentDim], 0, 1, 'float32', seed);
}

/**
 * The uniform latent sampler of the DCGAN paper: every entry of `z` drawn from `U[-1, 1)`.
 *
 * @see Radford et al. 2016, "Unsupervised Representation Learning with Deep Convolutional
 *   Generative Adversarial Networks", section 4, https://arxiv.org/abs/1511.06434
 * @param batchSize - how many vectors, an integer >= 1.
 * @param latentDim - the length of each vector, an integer >= 1.
 * @param seed - an integer seed; the same seed gives the same batch.
 * @returns `[batchSize, latentDim]` with entries in `[-1, 1)`, owned by the caller.
 * @throws TypeError or RangeError when `batchSize` or `latentDim` is not a positive integer.
 * @example
 * ```ts
 * import { uniformLatent } from 'tfjs-gan';
 * const z = uniformLatent(16, 100, 42); // [16, 100], entries in [-1, 1)
 * z.dispose();
 * ```
 * @category Hacks
 */
export function uniformLatent(batchSize: number, latentDim: number, seed: number): tf.Tensor2D {
  checkInteger('uniformLatent', 'batchSize', batchSize, 1);
  checkInteger('uniformLatent', 'latentDim', latentDim, 1);
  return tf.randomUniform([batchSize, latentDim], -1, 1, 'float32', seed);
}

/**
 * Options of {@link sphericalLatent}.
 *
 * @category Hacks
 */
export interface SphericalLatentOptions {
  /**
   * The radius of the sphere the vectors lie on:
   * - `'sqrt-d'`: `√latentDim`, the length a standard normal vector has on average in high
   *   dimension, so a generator trained on {@link normalLatent} sees inputs of its usual size;
   * - `'unit'`: 1.
   * @defaultValue `'sqrt-d'`
   */
  radius?: 'sqrt-d' | 'unit';
}

/**
 * Builds a sampler of latent vectors spread uniformly over a sphere: `z = r · n / ‖n‖` with
 * `n ~ N(0, I)` and `r` the radius (`√latentDim` or 1).
 *
 * Sampling on the sphere matches interpolating along it with {@link slerp}: every point of a
 * slerp path between two such vectors has the same length, as every training latent did.
 *
 * @see White 2016, "Sampling Generative Networks", https://arxiv.org/abs/1609.04468
 * @param options - see {@link SphericalLatentOptions}. @defaultValue `{}`
 * @returns a {@link LatentSampler} giving `[batchSize, latentDim]` rows of length `r`.
 * @throws TypeError or RangeError when an option is invalid or unknown (when built), or when
 *   `batchSize` or `latentDim` is not a positive integer (when called).
 * @example
 * ```ts
 * import { sphericalLatent } from 'tfjs-gan';
 * const sample = sphericalLatent({ radius: 'unit' });
 * const z = sample(16, 100, 42); // [16, 100], every row of length 1
 * z.dispose();
 * ```
 * @category Hacks
 */
export function sphericalLatent(options: SphericalLatentOptions = {}): LatentSampler {
  const where = 'sphericalLatent';
  checkOptions(where, options, ['radius']);
  const radius = checkOneOf(where, 'radius', options.radius ?? 'sqrt-d', ['sqrt-d', 'unit']);
  return (batchSize: number, latentDim: number, seed: number): tf.Tensor2D => {
    checkInteger(where, 'batchSize', batchSize, 1);
    checkInteger(where, 'latentDim', latentDim, 1);
    const length = radius === 'unit' ? 1 : Math.sqrt(latentDim);
    return tf.tidy(() => {
      const n = tf.randomNormal([batchSize, latentDim], 0, 1, 'float32', seed);
      // [batch, 1]: each row's length; a normal draw is zero with probability 0.
      const norms = tf.norm(n, 'euclidean', 1, true);
      return tf.mul(tf.div(n, norms), length) as tf.Tensor2D;
    });
  };
}
