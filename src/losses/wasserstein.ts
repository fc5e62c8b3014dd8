import * as tf from '@tensorflow/tfjs';

import { computeLoss } from './reduce';
import type { AdversarialLoss, LossOptions, ReducedLoss, Reduction } from './types';

/**
 * The Wasserstein generator loss: `L_G = -mean(fakeLogits)`, the negated critic score of the
 * generated samples.
 *
 * The gradient with respect to every fake logit is `-1/batch`, whatever its size: it never
 * saturates. The critic must be kept Lipschitz, e.g. by {@link gradientPenalty}.
 *
 * @see Arjovsky et al. 2017, "Wasserstein GAN", https://arxiv.org/abs/1701.07875
 * @param fakeLogits - critic outputs on generated samples, shape `[batch]` or `[batch, 1]`.
 * @param options - reduction and per-sample weights; see {@link LossOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when `fakeLogits` is not a tensor or an option has the wrong type.
 * @throws RangeError when a shape is wrong or an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { wassersteinGeneratorLoss } from 'tfjs-gan';
 * wassersteinGeneratorLoss(tf.tensor1d([1, 3])).print(); // -(1 + 3)/2 = -2
 * ```
 * @category Losses
 */
export function wassersteinGeneratorLoss<R extends Reduction = 'mean'>(
  fakeLogits: tf.Tensor,
  options: LossOptions<R> = {},
): ReducedLoss<R> {
  return computeLoss('wassersteinGeneratorLoss', ['fakeLogits'], [fakeLogits], options, tf.neg);
}

/**
 * The Wasserstein critic loss: `L_D = mean(fakeLogits) - mean(realLogits)`, the negated
 * estimate of the Wasserstein-1 distance between the real and generated distributions.
 *
 * Per sample, `ℓ = f - r`. Without a Lipschitz constraint the critic can drive this to
 * minus infinity; add {@link gradientPenalty} (WGAN-GP) to the discriminator's terms.
 *
 * @see Arjovsky et al. 2017, "Wasserstein GAN", https://arxiv.org/abs/1701.07875
 * @see Gulrajani et al. 2017, "Improved Training of Wasserstein GANs",
 *   https://arxiv.org/abs/1704.00028
 * @param realLogits - critic outputs on real samples, shape `[batch]` or `[batch, 1]`.
 * @param fakeLogits - critic outputs on generated samples, the same shape as `realLogits`.
 * @param options - reduction and per-sample weights; see {@link LossOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when a logit argument is not a tensor or an option has the wrong type.
 * @throws RangeError when the shapes do not match or an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { wassersteinDiscriminatorLoss } from 'tfjs-gan';
 * wassersteinDiscriminatorLoss(tf.tensor1d([2]), tf.tensor1d([-1])).print(); // -1 - 2 = -3
 * ```
 * @category Losses
 */
export function wassersteinDiscriminatorLoss<R extends Reduction = 'mean'>(
  realLogits: tf.Tensor,
  fakeLogits: tf.Tensor,
  options: LossOptions<R> = {},
): ReducedLoss<R> {
  return computeLoss(
    'wassersteinDiscriminatorLoss',
    ['realLogits', 'fakeLogits'],
    [realLogits, fakeLogits],
    options,
    (real, fake) => tf.sub(fake, real),
  );
}

/**
 * The Wasserstein GAN: {@link wassersteinGeneratorLoss} with
 * {@link wassersteinDiscriminatorLoss}. Use it with a gradient penalty
 * ({@link gradientPenaltyTerm}) and a critic without batch normalisation.
 *
 * @see Gulrajani et al. 2017, https://arxiv.org/abs/1704.00028
 * @example
 * ```ts
 * import { gradientPenaltyTerm, wassersteinLoss } from 'tfjs-gan';
 * const options = { loss: wassersteinLoss, discriminatorTerms: [gradientPenaltyTerm()] };
 * // new Trainer({ generator, discriminator, ...options })
 * ```
 * @category Losses
 */
export const wassersteinLoss: AdversarialLoss = Object.freeze({
  name: 'wasserstein',
  generatorLoss: (fakeLogits: tf.Tensor) => wassersteinGeneratorLoss(fakeLogits),
  discriminatorLoss: (realLogits: tf.Tensor, fakeLogits: tf.Tensor) =>
    wassersteinDiscriminatorLoss(realLogits, fakeLogits),
});
