import * as tf from '@tensorflow/tfjs';

import { checkNonNegative, checkOptions } from '../errors';
import { checkCriticInput, type Critic, flatInputGradient } from './input-gradient';

/**
 * Options of {@link r1Penalty} and {@link r2Penalty}.
 *
 * @category Losses
 */
export interface ZeroCenteredPenaltyOptions {
  /** The penalty's weight γ, >= 0; the penalty is `γ/2 · mean(‖∇‖²)`. @defaultValue 10 */
  weight?: number;
}

function zeroCentered(where: string, critic: Critic, x: tf.Tensor, options: unknown): tf.Scalar {
  checkOptions(where, options, ['weight']);
  checkCriticInput(where, critic, where === 'r1Penalty' ? 'real' : 'fake', x);
  const { weight: given = 10 } = options as ZeroCenteredPenaltyOptions;
  const weight = checkNonNegative(where, 'weight', given);
  return tf.tidy(() => {
    // No square root: ‖g‖² is smooth at g = 0, so no epsilon is needed.
    const squaredNorms = tf.sum(tf.square(flatInputGradient(where, critic, x)), 1); // [batch]
    return tf.mul(weight / 2, tf.mean(squaredNorms)) as tf.Scalar;
  });
}

/**
 * The R1 penalty: `γ/2 · mean_i(‖∇ₓ D(real_i)‖₂²)`, the squared gradient norm of the
 * discriminator on real samples, pulled towards zero.
 *
 * It keeps the discriminator flat on the data, which makes training converge locally
 * (Mescheder et al. 2018); StyleGAN uses it with lazy regularisation ({@link r1PenaltyTerm}
 * with `every: 16`). The norm is taken per sample over all non-batch axes, and the penalty
 * reaches the discriminator's weights through second-order gradients.
 *
 * @see Mescheder et al. 2018, "Which Training Methods for GANs do actually Converge?",
 *   https://arxiv.org/abs/1801.04406
 * @param critic - the discriminator as a function from samples to logits `[batch]` or
 *   `[batch, 1]`, in training mode.
 * @param real - real samples `[batch, ...]`.
 * @param options - see {@link ZeroCenteredPenaltyOptions}. @defaultValue `{}`
 * @returns a scalar.
 * @throws TypeError when `critic` is not a function, `real` is not a tensor or an option has
 *   the wrong type.
 * @throws RangeError when the critic's output is not one logit per sample, or an option is
 *   out of range or unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { r1Penalty } from 'tfjs-gan';
 * const critic = (x: tf.Tensor) => tf.sum(tf.mul(x, tf.tensor1d([3, 4])), 1);
 * r1Penalty(critic, tf.ones([2, 2])).print(); // 10/2 · ‖[3, 4]‖² = 5·25 = 125
 * ```
 * @category Losses
 */
export function r1Penalty(
  critic: Critic,
  real: tf.Tensor,
  options: ZeroCenteredPenaltyOptions = {},
): tf.Scalar {
  return zeroCentered('r1Penalty', critic, real, options);
}

/**
 * The R2 penalty: `γ/2 · mean_i(‖∇ₓ D(fake_i)‖₂²)`, as {@link r1Penalty} but on generated
 * samples.
 *
 * @see Mescheder et al. 2018, "Which Training Methods for GANs do actually Converge?",
 *   https://arxiv.org/abs/1801.04406
 * @param critic - the discriminator as a function from samples to logits `[batch]` or
 *   `[batch, 1]`, in training mode.
 * @param fake - generated samples `[batch, ...]`.
 * @param options - see {@link ZeroCenteredPenaltyOptions}. @defaultValue `{}`
 * @returns a scalar.
 * @throws TypeError when `critic` is not a function, `fake` is not a tensor or an option has
 *   the wrong type.
 * @throws RangeError when the critic's output is not one logit per sample, or an option is
 *   out of range or unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { r2Penalty } from 'tfjs-gan';
 * const critic = (x: tf.Tensor) => tf.sum(tf.mul(x, tf.tensor1d([3, 4])), 1);
 * r2Penalty(critic, tf.ones([2, 2]), { weight: 1 }).print(); // 1/2 · 25 = 12.5
 * ```
 * @category Losses
 */
export function r2Penalty(
  critic: Critic,
  fake: tf.Tensor,
  options: ZeroCenteredPenaltyOptions = {},
): tf.Scalar {
  return zeroCentered('r2Penalty', critic, fake, options);
}
