import * as tf from '@tensorflow/tfjs';

import { computeLoss } from './reduce';
import type { AdversarialLoss, LossOptions, ReducedLoss, Reduction } from './types';

/**
 * The hinge generator loss: `L_G = -mean(fakeLogits)`, as in the Wasserstein GAN.
 *
 * @see Lim & Ye 2017, "Geometric GAN", https://arxiv.org/abs/1705.02894
 * @see Miyato et al. 2018, "Spectral Normalization for GANs", https://arxiv.org/abs/1802.05957
 * @param fakeLogits - discriminator logits on generated samples, shape `[batch]` or `[batch, 1]`.
 * @param options - reduction and per-sample weights; see {@link LossOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when `fakeLogits` is not a tensor or an option has the wrong type.
 * @throws RangeError when a shape is wrong or an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { hingeGeneratorLoss } from 'tfjs-gan';
 * hingeGeneratorLoss(tf.tensor1d([0.5])).print(); // -0.5
 * ```
 * @category Losses
 */
export function hingeGeneratorLoss<R extends Reduction = 'mean'>(
  fakeLogits: tf.Tensor,
  options: LossOptions<R> = {},
): ReducedLoss<R> {
  return computeLoss('hingeGeneratorLoss', ['fakeLogits'], [fakeLogits], options, tf.neg);
}

/**
 * The hinge discriminator loss: `L_D = mean(relu(1 - realLogits)) + mean(relu(1 + fakeLogits))`.
 *
 * Samples already classified with a margin of 1 (real logit above 1, fake logit below -1)
 * add nothing and no gradient. Popular with spectral normalisation (SNGAN, SAGAN, BigGAN).
 *
 * @see Lim & Ye 2017, "Geometric GAN", https://arxiv.org/abs/1705.02894
 * @see Miyato et al. 2018, "Spectral Normalization for GANs", https://arxiv.org/abs/1802.05957
 * @param realLogits - logits on real samples, shape `[batch]` or `[batch, 1]`.
 * @param fakeLogits - logits on generated samples, the same shape as `realLogits`.
 * @param options - reduction and per-sample weights; see {@link LossOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when a logit argument is not a tensor or an option has the wrong type.
 * @throws RangeError when the shapes do not match or an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { hingeDiscriminatorLoss } from 'tfjs-gan';
 * hingeDiscriminatorLoss(tf.tensor1d([0.5]), tf.tensor1d([-3])).print(); // 0.5 + 0 = 0.5
 * ```
 * @category Losses
 */
export function hingeDiscriminatorLoss<R extends Reduction = 'mean'>(
  realLogits: tf.Tensor,
  fakeLogits: tf.Tensor,
  options: LossOptions<R> = {},
): ReducedLoss<R> {
  return computeLoss(
    'hingeDiscriminatorLoss',
    ['realLogits', 'fakeLogits'],
    [realLogits, fakeLogits],
    options,
    (real, fake) => tf.add(tf.relu(tf.sub(1, real)), tf.relu(tf.add(1, fake))),
  );
}

/**
 * The hinge GAN: {@link hingeGeneratorLoss} with {@link hingeDiscriminatorLoss}.
 *
 * @see Miyato et al. 2018, https://arxiv.org/abs/1802.05957
 * @example
 * ```ts
 * import { hingeLoss } from 'tfjs-gan';
 * // new Trainer({ generator, discriminator, loss: hingeLoss })
 * ```
 * @category Losses
 */
export const hingeLoss: AdversarialLoss = Object.freeze({
  name: 'hinge',
  generatorLoss: (fakeLogits: tf.Tensor) => hingeGeneratorLoss(fakeLogits),
  discriminatorLoss: (realLogits: tf.Tensor, fakeLogits: tf.Tensor) =>
    hingeDiscriminatorLoss(realLogits, fakeLogits),
});
