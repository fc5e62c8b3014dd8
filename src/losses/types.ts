import type * as tf from '@tensorflow/tfjs';

/**
 * How a loss turns its per-sample values into its result.
 *
 * - `'mean'`: a scalar, `sum_i(w_i · ℓ_i) / batch` (the plain mean without weights).
 * - `'sum'`: a scalar, `sum_i(w_i · ℓ_i)`.
 * - `'none'`: the vector of `w_i · ℓ_i`, shape `[batch]`.
 *
 * @category Losses
 */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * The result type of a loss under a {@link Reduction}: a `[batch]` vector for `'none'`, a
 * scalar otherwise.
 *
 * @category Losses
 */
export type ReducedLoss<R extends Reduction> = R extends 'none' ? tf.Tensor1D : tf.Scalar;

/**
 * Options shared by every adversarial loss function.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { hingeDiscriminatorLoss } from 'tfjs-gan';
 * const real = tf.tensor1d([2, 0]);
 * const fake = tf.tensor1d([-2, 0]);
 * // Per-sample values, the second sample counted twice: [0, 4].
 * hingeDiscriminatorLoss(real, fake, { reduction: 'none', weights: tf.tensor1d([1, 2]) }).print();
 * ```
 * @category Losses
 */
export interface LossOptions<R extends Reduction = Reduction> {
  /** How per-sample values are combined; see {@link Reduction}. @defaultValue `'mean'` */
  reduction?: R;
  /**
   * One weight per sample, shape `[batch]`, multiplying that sample's loss (in a
   * discriminator loss, the sum of its real and fake terms). Not disposed.
   * @defaultValue all ones
   */
  weights?: tf.Tensor;
}

/**
 * Options of the cross-entropy discriminator loss.
 *
 * @category Losses
 */
export interface CrossEntropyOptions<R extends Reduction = Reduction> extends LossOptions<R> {
  /**
   * One-sided label smoothing: the real targets become `1 - labelSmoothing`; the fake
   * targets stay 0 and the generator's targets are never changed (Salimans et al. 2016). In
   * `[0, 1)`; 0.1 is the usual value.
   * @defaultValue 0
   */
  labelSmoothing?: number;
}

/**
 * A generator/discriminator pair of adversarial losses, both functions of raw discriminator
 * outputs (logits), each returning a scalar to minimise.
 *
 * Any object of this shape plugs into the {@link Trainer}. The library's own pairs are
 * {@link nonSaturatingLoss}, {@link minimaxLoss}, {@link crossEntropyLoss} (with label
 * smoothing), {@link wassersteinLoss}, {@link hingeLoss}, {@link leastSquaresLoss},
 * {@link relativisticAverageLoss} and {@link relativisticAverageHingeLoss}.
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
   * `true` when {@link AdversarialLoss.generatorLoss} needs the discriminator's logits on
   * the real batch as its second argument (the relativistic losses). A trainer must then
   * compute them during the generator's update and pass them; pairs without the flag are
   * called with the fake logits only.
   * @defaultValue false
   */
  readonly needsRealLogitsForGenerator?: boolean;
  /**
   * The generator's loss.
   * @param fakeLogits - discriminator logits on generated samples, shape `[batch]` or `[batch, 1]`.
   * @param realLogits - discriminator logits on real samples, same shape as `fakeLogits`;
   *   given when the pair sets {@link AdversarialLoss.needsRealLogitsForGenerator}.
   * @returns a scalar.
   */
  generatorLoss(fakeLogits: tf.Tensor, realLogits?: tf.Tensor): tf.Scalar;
  /**
   * The discriminator's loss.
   * @param realLogits - logits on real samples, shape `[batch]` or `[batch, 1]`.
   * @param fakeLogits - logits on generated samples, same shape as `realLogits`.
   * @returns a scalar.
   */
  discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar;
}

/**
 * What a {@link LossTerm} sees when the {@link Trainer} asks it for its value. Everything is
 * on the gradient tape of the update being computed, so a term may take gradients through
 * `discriminator` (second-order gradients reach the discriminator's weights).
 *
 * @category Losses
 */
export interface LossTermContext {
  /**
   * The discriminator in training mode, as a function from samples to logits. In a
   * class-conditional trainer it takes the samples' labels `[batch]` too, which default to
   * `realLabels` (the right ones for the real batch and for points built from it, such as a
   * gradient penalty's interpolates); pass `fakeLabels` for the fake batch. Only the
   * adversarial logits are returned, never an auxiliary output.
   */
  discriminator: (samples: tf.Tensor, labels?: tf.Tensor) => tf.Tensor;
  /**
   * The generator in training mode, as a function from latents to samples; in generator
   * updates it is on the tape, so a term can draw extra samples (e.g. a diversity term). In
   * a class-conditional trainer the labels default to `fakeLabels`.
   */
  generator: (latents: tf.Tensor, labels?: tf.Tensor) => tf.Tensor;
  /** The real batch's labels `[batch]` int32, in a class-conditional trainer. */
  realLabels?: tf.Tensor;
  /** The labels `fake` was generated from, `[batch]` int32, in a class-conditional trainer. */
  fakeLabels?: tf.Tensor;
  /** This step's latent batch `[batch, latentDim]`, from which `fake` was generated. */
  latents: tf.Tensor;
  /**
   * The discriminator model itself, e.g. to tap an intermediate layer's features; absent
   * when the discriminator is a plain function.
   */
  discriminatorModel?: tf.LayersModel;
  /** This step's real batch. */
  real: tf.Tensor;
  /** This step's generated batch (on the generator's tape during the generator update). */
  fake: tf.Tensor;
  /**
   * The discriminator's logits on `real`; in discriminator updates, and in generator updates
   * when the loss sets {@link AdversarialLoss.needsRealLogitsForGenerator}.
   */
  realLogits?: tf.Tensor;
  /** The discriminator's logits on `fake`. */
  fakeLogits: tf.Tensor;
  /** A seed for any random draw the term makes (e.g. interpolation weights). */
  seed: number;
  /** 0-based index of the step being run. */
  step: number;
}

/**
 * An extra term added to a network's loss by the {@link Trainer}: a penalty on the
 * discriminator (gradient penalty, R1, ...) or an extra generator loss (feature matching).
 *
 * With `every: k` the term is computed only on steps 0, k, 2k, ... and multiplied by `k`
 * there, so its average weight is unchanged (lazy regularisation, Karras et al. 2020).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import type { LossTerm } from 'tfjs-gan';
 * // Penalise large real logits: 0.01 · mean(D(x)²).
 * const logitPenalty: LossTerm = {
 *   name: 'logit-penalty',
 *   compute: ({ realLogits }) => tf.mul(0.01, tf.mean(tf.square(realLogits!))),
 * };
 * ```
 * @category Losses
 */
export interface LossTerm {
  /** A short unique name; the Trainer reports the term's value under it. */
  readonly name: string;
  /** Apply the term every `every` steps, scaled by `every`. @defaultValue 1 */
  readonly every?: number;
  /**
   * `true` when the term penalises the gradient of the discriminator's output with respect
   * to its input, sample by sample, as the gradient penalty, DRAGAN, R1 and R2 do. Such a
   * penalty assumes each logit depends on its own sample only, which batch normalisation
   * breaks, so the {@link Trainer} warns when it meets such a term and a discriminator with
   * batch normalisation (see {@link Trainer.configurationWarnings}).
   * @defaultValue false
   */
  readonly inputGradientPenalty?: boolean;
  /**
   * The term's value for this step, before the `every` scaling.
   * @param context - see {@link LossTermContext}.
   * @returns a scalar.
   */
  compute(context: LossTermContext): tf.Scalar;
}
