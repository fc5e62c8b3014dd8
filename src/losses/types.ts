import type * as tf from '@tensorflow/tfjs';

/**
 * A generator/discriminator pair of adversarial losses, both functions of raw discriminator
 * outputs (logits), each returning a scalar to minimise.
 *
 * Any object of this shape plugs into the {@link Trainer}; the library's own pairs are
 * {@link nonSaturatingLoss} and {@link minimaxLoss}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import type { AdversarialLoss } from 'tfjs-gan';
 * // Least squares GAN (Mao et al. 2017), written by hand.
 * const leastSquares: AdversarialLoss = {
 *   name: 'least-squares',
 *   generatorLoss: (fake) => tf.mean(tf.square(tf.sub(fake, 1))),
 *   discriminatorLoss: (real, fake) =>
 *     tf.add(tf.mean(tf.square(tf.sub(real, 1))), tf.mean(tf.square(fake))),
 * };
 * ```
 * @category Losses
 */
export interface AdversarialLoss {
  /** A short name for logs and checkpoints, e.g. `'non-saturating'`. */
  readonly name: string;
  /**
   * The generator's loss.
   * @param fakeLogits - discriminator logits on generated samples, shape `[batch]` or `[batch, 1]`.
   * @returns a scalar.
   */
  generatorLoss(fakeLogits: tf.Tensor): tf.Scalar;
  /**
   * The discriminator's loss.
   * @param realLogits - logits on real samples, shape `[batch]` or `[batch, 1]`.
   * @param fakeLogits - logits on generated samples, same rank as `realLogits`.
   * @returns a scalar.
   */
  discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar;
}
