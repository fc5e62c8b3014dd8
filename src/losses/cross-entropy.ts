import * as tf from '@tensorflow/tfjs';

import type { AdversarialLoss } from './types';

/**
 * Mean of `softplus(-logits)`, the binary cross-entropy of `sigmoid(logits)` against target 1,
 * in its overflow-free form (`-log(sigmoid(x)) = softplus(-x)`).
 */
function crossEntropyWithOne(logits: tf.Tensor): tf.Scalar {
  return tf.mean(tf.softplus(tf.neg(logits)));
}

/** Mean of `softplus(logits)`: cross-entropy against target 0 (`-log(1 - sigmoid(x))`). */
function crossEntropyWithZero(logits: tf.Tensor): tf.Scalar {
  return tf.mean(tf.softplus(logits));
}

/**
 * The discriminator's cross-entropy loss, shared by the minimax and non-saturating GANs.
 *
 * `L_D = mean(softplus(-realLogits)) + mean(softplus(fakeLogits))`, which is
 * `-E[log D(x)] - E[log(1 - D(G(z)))]` with `D = sigmoid(logits)`, computed without
 * overflow for logits of any size.
 *
 * @see Goodfellow et al. 2014, "Generative Adversarial Nets", https://arxiv.org/abs/1406.2661
 * @param realLogits - logits on real samples, any shape (usually `[batch, 1]`).
 * @param fakeLogits - logits on generated samples, any shape.
 * @returns a scalar.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { crossEntropyDiscriminatorLoss } from 'tfjs-gan';
 * crossEntropyDiscriminatorLoss(tf.tensor([0]), tf.tensor([0])).print(); // 2·ln 2 ≈ 1.386294
 * ```
 * @category Losses
 */
export function crossEntropyDiscriminatorLoss(
  realLogits: tf.Tensor,
  fakeLogits: tf.Tensor,
): tf.Scalar {
  return tf.tidy(() => tf.add(crossEntropyWithOne(realLogits), crossEntropyWithZero(fakeLogits)));
}

/**
 * The non-saturating generator loss: `L_G = mean(softplus(-fakeLogits)) = -E[log D(G(z))]`.
 *
 * Its gradient with respect to a fake logit `l` is `-sigmoid(-l)`, close to -1 when the
 * discriminator confidently rejects the sample, so the generator keeps learning early in
 * training. This is the recommended form over {@link minimaxGeneratorLoss}.
 *
 * @see Goodfellow et al. 2014, section 3, https://arxiv.org/abs/1406.2661
 * @param fakeLogits - discriminator logits on generated samples, any shape.
 * @returns a scalar.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { nonSaturatingGeneratorLoss } from 'tfjs-gan';
 * nonSaturatingGeneratorLoss(tf.tensor([0])).print(); // ln 2 ≈ 0.693147
 * ```
 * @category Losses
 */
export function nonSaturatingGeneratorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => crossEntropyWithOne(fakeLogits));
}

/**
 * The original (saturating) minimax generator loss: `L_G = -mean(softplus(fakeLogits))`,
 * that is `E[log(1 - D(G(z)))]`, minimised by the generator.
 *
 * Its gradient with respect to a fake logit `l` is `-sigmoid(l)`, which vanishes when the
 * discriminator confidently rejects the sample; it is here for teaching and comparison.
 *
 * @see Goodfellow et al. 2014, equation 1, https://arxiv.org/abs/1406.2661
 * @param fakeLogits - discriminator logits on generated samples, any shape.
 * @returns a scalar.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { minimaxGeneratorLoss } from 'tfjs-gan';
 * minimaxGeneratorLoss(tf.tensor([0])).print(); // -ln 2 ≈ -0.693147
 * ```
 * @category Losses
 */
export function minimaxGeneratorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(crossEntropyWithZero(fakeLogits)));
}

/**
 * The non-saturating GAN: {@link nonSaturatingGeneratorLoss} with
 * {@link crossEntropyDiscriminatorLoss}. The Trainer's default.
 *
 * @category Losses
 */
export const nonSaturatingLoss: AdversarialLoss = Object.freeze({
  name: 'non-saturating',
  generatorLoss: nonSaturatingGeneratorLoss,
  discriminatorLoss: crossEntropyDiscriminatorLoss,
});

/**
 * The original minimax GAN: {@link minimaxGeneratorLoss} with
 * {@link crossEntropyDiscriminatorLoss}.
 *
 * @category Losses
 */
export const minimaxLoss: AdversarialLoss = Object.freeze({
  name: 'minimax',
  generatorLoss: minimaxGeneratorLoss,
  discriminatorLoss: crossEntropyDiscriminatorLoss,
});
