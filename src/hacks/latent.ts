import * as tf from '@tensorflow/tfjs';

import { checkInteger } from '../errors';

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
