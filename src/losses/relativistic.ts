import * as tf from '@tensorflow/tfjs';

import { crossEntropyWithOne, crossEntropyWithZero, computeLoss } from './reduce';
import type { AdversarialLoss, LossOptions, ReducedLoss, Reduction } from './types';

/**
 * Relativistic logits `[batch]`: each real logit minus the mean fake logit, and each fake
 * logit minus the mean real logit. The means are over the whole batch, never weighted.
 */
function relativistic(real: tf.Tensor1D, fake: tf.Tensor1D): [tf.Tensor1D, tf.Tensor1D] {
  return [tf.sub(real, tf.mean(fake)), tf.sub(fake, tf.mean(real))];
}

/**
 * The relativistic average generator loss (RaGAN, standard form):
 * `L_G = mean(softplus(-(f - mean(r)))) + mean(softplus(r - mean(f)))`.
 *
 * The generator makes its samples look more real than the average real sample, and the real
 * samples less real than the average fake one: half of its gradient comes through the
 * real logits' side, which is why it needs both.
 *
 * @see Jolicoeur-Martineau 2018, "The relativistic discriminator: a key element missing from
 *   standard GAN", https://arxiv.org/abs/1807.00734
 * @param realLogits - discriminator logits on real samples, shape `[batch]` or `[batch, 1]`.
 * @param fakeLogits - discriminator logits on generated samples, the same shape.
 * @param options - reduction and per-sample weights; see {@link LossOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when a logit argument is not a tensor or an option has the wrong type.
 * @throws RangeError when the shapes do not match or an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { relativisticAverageGeneratorLoss } from 'tfjs-gan';
 * // Equal logits: softplus(0) + softplus(0) = 2·ln 2 ≈ 1.386294
 * relativisticAverageGeneratorLoss(tf.tensor1d([1]), tf.tensor1d([1])).print();
 * ```
 * @category Losses
 */
export function relativisticAverageGeneratorLoss<R extends Reduction = 'mean'>(
  realLogits: tf.Tensor,
  fakeLogits: tf.Tensor,
  options: LossOptions<R> = {},
): ReducedLoss<R> {
  return computeLoss(
    'relativisticAverageGeneratorLoss',
    ['realLogits', 'fakeLogits'],
    [realLogits, fakeLogits],
    options,
    (real, fake) => {
      const [realRelative, fakeRelative] = relativistic(real, fake);
      return tf.add(crossEntropyWithOne(fakeRelative), crossEntropyWithZero(realRelative));
    },
  );
}

/**
 * The relativistic average discriminator loss (RaGAN, standard form):
 * `L_D = mean(softplus(-(r - mean(f)))) + mean(softplus(f - mean(r)))`.
 *
 * The discriminator estimates the probability that a real sample is more realistic than the
 * average fake one (and the reverse), in cross-entropy form written without overflow.
 *
 * @see Jolicoeur-Martineau 2018, https://arxiv.org/abs/1807.00734
 * @param realLogits - logits on real samples, shape `[batch]` or `[batch, 1]`.
 * @param fakeLogits - logits on generated samples, the same shape as `realLogits`.
 * @param options - reduction and per-sample weights; see {@link LossOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when a logit argument is not a tensor or an option has the wrong type.
 * @throws RangeError when the shapes do not match or an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { relativisticAverageDiscriminatorLoss } from 'tfjs-gan';
 * // Equal logits: softplus(0) + softplus(0) = 2·ln 2 ≈ 1.386294
 * relativisticAverageDiscriminatorLoss(tf.tensor1d([1]), tf.tensor1d([1])).print();
 * ```
 * @category Losses
 */
export function relativisticAverageDiscriminatorLoss<R extends Reduction = 'mean'>(
  realLogits: tf.Tensor,
  fakeLogits: tf.Tensor,
  options: LossOptions<R> = {},
): ReducedLoss<R> {
  return computeLoss(
    'relativisticAverageDiscriminatorLoss',
    ['realLogits', 'fakeLogits'],
    [realLogits, fakeLogits],
    options,
    (real, fake) => {
      const [realRelative, fakeRelative] = relativistic(real, fake);
      return tf.add(crossEntropyWithOne(realRelative), crossEntropyWithZero(fakeRelative));
    },
  );
}

/**
 * The relativistic average hinge generator loss (RaHingeGAN):
 * `L_G = mean(relu(1 + (r - mean(f)))) + mean(relu(1 - (f - mean(r))))`.
 *
 * @see Jolicoeur-Martineau 2018, https://arxiv.org/abs/1807.00734
 * @param realLogits - discriminator logits on real samples, shape `[batch]` or `[batch, 1]`.
 * @param fakeLogits - discriminator logits on generated samples, the same shape.
 * @param options - reduction and per-sample weights; see {@link LossOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when a logit argument is not a tensor or an option has the wrong type.
 * @throws RangeError when the shapes do not match or an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { relativisticAverageHingeGeneratorLoss } from 'tfjs-gan';
 * // Equal logits: relu(1) + relu(1) = 2
 * relativisticAverageHingeGeneratorLoss(tf.tensor1d([1]), tf.tensor1d([1])).print();
 * ```
 * @category Losses
 */
export function relativisticAverageHingeGeneratorLoss<R extends Reduction = 'mean'>(
  realLogits: tf.Tensor,
  fakeLogits: tf.Tensor,
  options: LossOptions<R> = {},
): ReducedLoss<R> {
  return computeLoss(
    'relativisticAverageHingeGeneratorLoss',
    ['realLogits', 'fakeLogits'],
    [realLogits, fakeLogits],
    options,
    (real, fake) => {
      const [realRelative, fakeRelative] = relativistic(real, fake);
      return tf.add(tf.relu(tf.add(1, realRelative)), tf.relu(tf.sub(1, fakeRelative)));
    },
  );
}

/**
 * The relativistic average hinge discriminator loss (RaHingeGAN):
 * `L_D = mean(relu(1 - (r - mean(f)))) + mean(relu(1 + (f - mean(r))))`.
 *
 * @see Jolicoeur-Martineau 2018, https://arxiv.org/abs/1807.00734
 * @param realLogits - logits on real samples, shape `[batch]` or `[batch, 1]`.
 * @param fakeLogits - logits on generated samples, the same shape as `realLogits`.
 * @param options - reduction and per-sample weights; see {@link LossOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when a logit argument is not a tensor or an option has the wrong type.
 * @throws RangeError when the shapes do not match or an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { relativisticAverageHingeDiscriminatorLoss } from 'tfjs-gan';
 * // r - mean(f) = 3, f - mean(r) = -3: relu(1 - 3) + relu(1 - 3) = 0
 * relativisticAverageHingeDiscriminatorLoss(tf.tensor1d([2]), tf.tensor1d([-1])).print();
 * ```
 * @category Losses
 */
export function relativisticAverageHingeDiscriminatorLoss<R extends Reduction = 'mean'>(
  realLogits: tf.Tensor,
  fakeLogits: tf.Tensor,
  options: LossOptions<R> = {},
): ReducedLoss<R> {
  return computeLoss(
    'relativisticAverageHingeDiscriminatorLoss',
    ['realLogits', 'fakeLogits'],
    [realLogits, fakeLogits],
    options,
    (real, fake) => {
      const [realRelative, fakeRelative] = relativistic(real, fake);
      return tf.add(tf.relu(tf.sub(1, realRelative)), tf.relu(tf.add(1, fakeRelative)));
    },
  );
}

type RelativisticLoss = (real: tf.Tensor, fake: tf.Tensor) => tf.Scalar;

function relativisticPair(
  name: string,
  generatorLoss: RelativisticLoss,
  discriminatorLoss: RelativisticLoss,
): AdversarialLoss {
  return Object.freeze({
    name,
    needsRealLogitsForGenerator: true,
    generatorLoss: (fakeLogits: tf.Tensor, realLogits?: tf.Tensor) => {
      if (realLogits === undefined) {
        throw new TypeError(
          `${name}: generatorLoss needs realLogits as its second argument ` +
            '(the pair sets needsRealLogitsForGenerator), got undefined.',
        );
      }
      return generatorLoss(realLogits, fakeLogits);
    },
    discriminatorLoss: (realLogits: tf.Tensor, fakeLogits: tf.Tensor) =>
      discriminatorLoss(realLogits, fakeLogits),
  });
}

/**
 * The relativistic average GAN, standard form: {@link relativisticAverageGeneratorLoss} with
 * {@link relativisticAverageDiscriminatorLoss}.
 *
 * Its `generatorLoss(fakeLogits, realLogits)` needs the real logits too, which the pair
 * declares with `needsRealLogitsForGenerator: true`.
 *
 * @see Jolicoeur-Martineau 2018, https://arxiv.org/abs/1807.00734
 * @example
 * ```ts
 * import { relativisticAverageLoss } from 'tfjs-gan';
 * // new Trainer({ generator, discriminator, loss: relativisticAverageLoss })
 * ```
 * @category Losses
 */
export const relativisticAverageLoss: AdversarialLoss = relativisticPair(
  'relativistic-average',
  (real, fake) => relativisticAverageGeneratorLoss(real, fake),
  (real, fake) => relativisticAverageDiscriminatorLoss(real, fake),
);

/**
 * The relativistic average hinge GAN: {@link relativisticAverageHingeGeneratorLoss} with
 * {@link relativisticAverageHingeDiscriminatorLoss}; needs the real logits in the generator
 * loss, like {@link relativisticAverageLoss}.
 *
 * @see Jolicoeur-Martineau 2018, https://arxiv.org/abs/1807.00734
 * @example
 * ```ts
 * import { relativisticAverageHingeLoss } from 'tfjs-gan';
 * // new Trainer({ generator, discriminator, loss: relativisticAverageHingeLoss })
 * ```
 * @category Losses
 */
export const relativisticAverageHingeLoss: AdversarialLoss = relativisticPair(
  'relativistic-average-hinge',
  (real, fake) => relativisticAverageHingeGeneratorLoss(real, fake),
  (real, fake) => relativisticAverageHingeDiscriminatorLoss(real, fake),
);
