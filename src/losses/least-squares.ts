import * as tf from '@tensorflow/tfjs';

import { computeLoss } from './reduce';
import type { AdversarialLoss, LossOptions, ReducedLoss, Reduction } from './types';

/**
 * The least squares generator loss: `L_G = ½·mean((fakeLogits - 1)²)`, pulling the
 * discriminator's output on generated samples towards the real target 1.
 *
 * @see Mao et al. 2017, "Least Squares Generative Adversarial Networks" (the 0-1-1 coding),
 *   https://arxiv.org/abs/1611.04076
 * @param fakeLogits - discriminator outputs on generated samples, shape `[batch]` or
 *   `[batch, 1]`; raw outputs, with no sigmoid.
 * @param options - reduction and per-sample weights; see {@link LossOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when `fakeLogits` is not a tensor or an option has the wrong type.
 * @throws RangeError when a shape is wrong or an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { leastSquaresGeneratorLoss } from 'tfjs-gan';
 * leastSquaresGeneratorLoss(tf.tensor1d([3])).print(); // ½·(3 - 1)² = 2
 * ```
 * @category Losses
 */
export function leastSquaresGeneratorLoss<R extends Reduction = 'mean'>(
  fakeLogits: tf.Tensor,
  options: LossOptions<R> = {},
): ReducedLoss<R> {
  return computeLoss('leastSquaresGeneratorLoss', ['fakeLogits'], [fakeLogits], options, (fake) =>
    tf.mul(0.5, tf.square(tf.sub(fake, 1))),
  );
}

/**
 * The least squares discriminator loss:
 * `L_D = ½·mean((realLogits - 1)²) + ½·mean(fakeLogits²)`, targets 1 for real and 0 for fake.
 *
 * Unlike cross-entropy, samples on the right side of the boundary but far from it are still
 * penalised, which gives the generator gradients that do not vanish.
 *
 * @see Mao et al. 2017, "Least Squares Generative Adversarial Networks",
 *   https://arxiv.org/abs/1611.04076
 * @param realLogits - discriminator outputs on real samples, shape `[batch]` or `[batch, 1]`.
 * @param fakeLogits - discriminator outputs on generated samples, the same shape as
 *   `realLogits`.
 * @param options - reduction and per-sample weights; see {@link LossOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when a logit argument is not a tensor or an option has the wrong type.
 * @throws RangeError when the shapes do not match or an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { leastSquaresDiscriminatorLoss } from 'tfjs-gan';
 * // ½·(3 - 1)² + ½·2² = 2 + 2 = 4
 * leastSquaresDiscriminatorLoss(tf.tensor1d([3]), tf.tensor1d([2])).print();
 * ```
 * @category Losses
 */
export function leastSquaresDiscriminatorLoss<R extends Reduction = 'mean'>(
  realLogits: tf.Tensor,
  fakeLogits: tf.Tensor,
  options: LossOptions<R> = {},
): ReducedLoss<R> {
  return computeLoss(
    'leastSquaresDiscriminatorLoss',
    ['realLogits', 'fakeLogits'],
    [realLogits, fakeLogits],
    options,
    (real, fake) => tf.mul(0.5, tf.add(tf.square(tf.sub(real, 1)), tf.square(fake))),
  );
}

/**
 * The least squares GAN: {@link leastSquaresGeneratorLoss} with
 * {@link leastSquaresDiscriminatorLoss}.
 *
 * @see Mao et al. 2017, https://arxiv.org/abs/1611.04076
 * @example
 * ```ts
 * import { leastSquaresLoss } from 'tfjs-gan';
 * // new Trainer({ generator, discriminator, loss: leastSquaresLoss })
 * ```
 * @category Losses
 */
export const leastSquaresLoss: AdversarialLoss = Object.freeze({
  name: 'least-squares',
  generatorLoss: (fakeLogits: tf.Tensor) => leastSquaresGeneratorLoss(fakeLogits),
  discriminatorLoss: (realLogits: tf.Tensor, fakeLogits: tf.Tensor) =>
    leastSquaresDiscriminatorLoss(realLogits, fakeLogits),
});
