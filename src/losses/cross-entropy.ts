import * as tf from '@tensorflow/tfjs';

import { checkOneOf, checkOptions, describeValue } from '../errors';
import { computeLoss, crossEntropyWithOne, crossEntropyWithZero } from './reduce';
import type {
  AdversarialLoss,
  CrossEntropyOptions,
  LossOptions,
  ReducedLoss,
  Reduction,
} from './types';

function checkSmoothing(where: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(
      `${where}: labelSmoothing must be a finite number, got ${describeValue(value)}.`,
    );
  }
  if (value < 0 || value >= 1) {
    throw new RangeError(`${where}: labelSmoothing must be in [0, 1), got ${value}.`);
  }
  return value;
}

/**
 * The discriminator's cross-entropy loss, shared by the minimax and non-saturating GANs, with
 * optional one-sided label smoothing.
 *
 * Per sample, `ℓ = softplus(-r) + s·r + softplus(f)` for a real logit `r`, a fake logit `f`
 * and smoothing `s`: the cross-entropy of `sigmoid(r)` against the target `1 - s` plus that
 * of `sigmoid(f)` against 0, i.e. `-(1-s)·log D(x) - s·log(1 - D(x)) - log(1 - D(G(z)))`,
 * written without overflow for logits of any size.
 *
 * @see Goodfellow et al. 2014, "Generative Adversarial Nets", https://arxiv.org/abs/1406.2661
 * @see Salimans et al. 2016, "Improved Techniques for Training GANs" (one-sided label
 *   smoothing), https://arxiv.org/abs/1606.03498
 * @param realLogits - logits on real samples, shape `[batch]` or `[batch, 1]`.
 * @param fakeLogits - logits on generated samples, the same shape as `realLogits`.
 * @param options - reduction, per-sample weights and `labelSmoothing`; see
 *   {@link CrossEntropyOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when a logit argument is not a tensor or an option has the wrong type.
 * @throws RangeError when the shapes do not match, `labelSmoothing` is outside `[0, 1)`, or
 *   an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { crossEntropyDiscriminatorLoss } from 'tfjs-gan';
 * crossEntropyDiscriminatorLoss(tf.tensor([0]), tf.tensor([0])).print(); // 2·ln 2 ≈ 1.386294
 * // Real target 0.9: softplus(-2) + 0.1·2 + softplus(-2) ≈ 0.453856
 * crossEntropyDiscriminatorLoss(tf.tensor([2]), tf.tensor([-2]), { labelSmoothing: 0.1 }).print();
 * ```
 * @category Losses
 */
export function crossEntropyDiscriminatorLoss<R extends Reduction = 'mean'>(
  realLogits: tf.Tensor,
  fakeLogits: tf.Tensor,
  options: CrossEntropyOptions<R> = {},
): ReducedLoss<R> {
  const where = 'crossEntropyDiscriminatorLoss';
  checkOptions(where, options, ['reduction', 'weights', 'labelSmoothing']);
  const smoothing = checkSmoothing(where, options.labelSmoothing);
  return computeLoss(
    where,
    ['realLogits', 'fakeLogits'],
    [realLogits, fakeLogits],
    options,
    (real, fake) => {
      // softplus(r) - (1-s)·r = softplus(-r) + s·r: only the real target is softened.
      const realTerm = crossEntropyWithOne(real);
      const smoothed = smoothing === 0 ? realTerm : tf.add(realTerm, tf.mul(smoothing, real));
      return tf.add(smoothed, crossEntropyWithZero(fake));
    },
    ['labelSmoothing'],
  );
}

/**
 * The non-saturating generator loss: `L_G = mean(softplus(-fakeLogits)) = -E[log D(G(z))]`.
 *
 * Its gradient with respect to a fake logit `l` is `-sigmoid(-l)`, close to -1 when the
 * discriminator confidently rejects the sample, so the generator keeps learning early in
 * training. This is the recommended form over {@link minimaxGeneratorLoss}.
 *
 * @see Goodfellow et al. 2014, section 3, https://arxiv.org/abs/1406.2661
 * @param fakeLogits - discriminator logits on generated samples, shape `[batch]` or `[batch, 1]`.
 * @param options - reduction and per-sample weights; see {@link LossOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when `fakeLogits` is not a tensor or an option has the wrong type.
 * @throws RangeError when a shape is wrong or an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { nonSaturatingGeneratorLoss } from 'tfjs-gan';
 * nonSaturatingGeneratorLoss(tf.tensor([0])).print(); // ln 2 ≈ 0.693147
 * ```
 * @category Losses
 */
export function nonSaturatingGeneratorLoss<R extends Reduction = 'mean'>(
  fakeLogits: tf.Tensor,
  options: LossOptions<R> = {},
): ReducedLoss<R> {
  const where = 'nonSaturatingGeneratorLoss';
  return computeLoss(where, ['fakeLogits'], [fakeLogits], options, crossEntropyWithOne);
}

/**
 * The original (saturating) minimax generator loss: `L_G = -mean(softplus(fakeLogits))`,
 * that is `E[log(1 - D(G(z)))]`, minimised by the generator.
 *
 * Its gradient with respect to a fake logit `l` is `-sigmoid(l)`, which vanishes when the
 * discriminator confidently rejects the sample (`l` very negative), so the generator stalls
 * early in training; it is here for teaching and comparison. Prefer
 * {@link nonSaturatingGeneratorLoss}.
 *
 * @see Goodfellow et al. 2014, equation 1, https://arxiv.org/abs/1406.2661
 * @param fakeLogits - discriminator logits on generated samples, shape `[batch]` or `[batch, 1]`.
 * @param options - reduction and per-sample weights; see {@link LossOptions}. @defaultValue `{}`
 * @returns a scalar, or a `[batch]` vector under `reduction: 'none'`.
 * @throws TypeError when `fakeLogits` is not a tensor or an option has the wrong type.
 * @throws RangeError when a shape is wrong or an option is unknown.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { minimaxGeneratorLoss } from 'tfjs-gan';
 * minimaxGeneratorLoss(tf.tensor([0])).print(); // -ln 2 ≈ -0.693147
 * ```
 * @category Losses
 */
export function minimaxGeneratorLoss<R extends Reduction = 'mean'>(
  fakeLogits: tf.Tensor,
  options: LossOptions<R> = {},
): ReducedLoss<R> {
  return computeLoss('minimaxGeneratorLoss', ['fakeLogits'], [fakeLogits], options, (fake) =>
    tf.neg(crossEntropyWithZero(fake)),
  );
}

/**
 * Options of {@link crossEntropyLoss}.
 *
 * @category Losses
 */
export interface CrossEntropyLossOptions {
  /** Which generator loss to pair with the discriminator's. @defaultValue `'non-saturating'` */
  generator?: 'non-saturating' | 'minimax';
  /**
   * One-sided label smoothing of the discriminator's real targets, in `[0, 1)`; see
   * {@link CrossEntropyOptions.labelSmoothing}.
   * @defaultValue 0
   */
  labelSmoothing?: number;
}

/**
 * Builds a cross-entropy loss pair (non-saturating or minimax), optionally with one-sided
 * label smoothing on the discriminator's real targets.
 *
 * `L_D` is {@link crossEntropyDiscriminatorLoss} with `labelSmoothing`; `L_G` is
 * {@link nonSaturatingGeneratorLoss} (recommended) or {@link minimaxGeneratorLoss}, whose
 * targets are never smoothed.
 *
 * @see Salimans et al. 2016, section 3.4, https://arxiv.org/abs/1606.03498
 * @param options - see {@link CrossEntropyLossOptions}. @defaultValue `{}`
 * @returns a frozen {@link AdversarialLoss}, named e.g. `'non-saturating'` or
 *   `'non-saturating, labelSmoothing 0.1'`.
 * @throws TypeError or RangeError when an option is invalid or unknown.
 * @example
 * ```ts
 * import { crossEntropyLoss } from 'tfjs-gan';
 * const loss = crossEntropyLoss({ labelSmoothing: 0.1 }); // pass as `new Trainer({ loss, ... })`
 * ```
 * @category Losses
 */
export function crossEntropyLoss(options: CrossEntropyLossOptions = {}): AdversarialLoss {
  const where = 'crossEntropyLoss';
  checkOptions(where, options, ['generator', 'labelSmoothing']);
  const form = checkOneOf(where, 'generator', options.generator ?? 'non-saturating', [
    'non-saturating',
    'minimax',
  ] as const);
  const labelSmoothing = checkSmoothing(where, options.labelSmoothing);
  const generatorLoss = form === 'minimax' ? minimaxGeneratorLoss : nonSaturatingGeneratorLoss;
  return Object.freeze({
    name: labelSmoothing === 0 ? form : `${form}, labelSmoothing ${labelSmoothing}`,
    generatorLoss: (fakeLogits: tf.Tensor) => generatorLoss(fakeLogits),
    discriminatorLoss: (realLogits: tf.Tensor, fakeLogits: tf.Tensor) =>
      crossEntropyDiscriminatorLoss(realLogits, fakeLogits, { labelSmoothing }),
  });
}

/**
 * The non-saturating GAN: {@link nonSaturatingGeneratorLoss} with
 * {@link crossEntropyDiscriminatorLoss}. The Trainer's default, and the recommended
 * cross-entropy pair.
 *
 * @see Goodfellow et al. 2014, https://arxiv.org/abs/1406.2661
 * @example
 * ```ts
 * import { nonSaturatingLoss } from 'tfjs-gan';
 * // new Trainer({ generator, discriminator, loss: nonSaturatingLoss })
 * ```
 * @category Losses
 */
export const nonSaturatingLoss: AdversarialLoss = crossEntropyLoss();

/**
 * The original minimax GAN: {@link minimaxGeneratorLoss} with
 * {@link crossEntropyDiscriminatorLoss}. Prefer {@link nonSaturatingLoss}, whose generator
 * does not stall while the discriminator wins.
 *
 * @see Goodfellow et al. 2014, https://arxiv.org/abs/1406.2661
 * @example
 * ```ts
 * import { minimaxLoss } from 'tfjs-gan';
 * // new Trainer({ generator, discriminator, loss: minimaxLoss })
 * ```
 * @category Losses
 */
export const minimaxLoss: AdversarialLoss = crossEntropyLoss({ generator: 'minimax' });
