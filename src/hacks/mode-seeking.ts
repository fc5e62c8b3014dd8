import * as tf from '@tensorflow/tfjs';

import {
  checkFunction,
  checkInteger,
  checkNonNegative,
  checkOneOf,
  checkOptions,
  checkPositive,
  checkSameShape,
  checkTensor,
  describeValue,
} from '../errors';
import type { LossTerm, LossTermContext } from '../losses/types';
import { normalLatent, type LatentSampler } from './latent';

/** Mean absolute difference per row of two equal-shape batches: `[batch, ...]` → `[batch]`. */
function rowDistance(a: tf.Tensor, b: tf.Tensor): tf.Tensor1D {
  const batch = a.shape[0];
  // [batch, ...] → [batch, features]
  return tf.mean(tf.abs(tf.sub(a, b)).reshape([batch, -1]), 1) as tf.Tensor1D;
}

/**
 * The mode-seeking loss of MSGAN, to be minimised by the generator:
 * `L_ms = 1 / (mean_i(d(x1_i, x2_i) / d(z1_i, z2_i)) + ε)`, with `d` the mean absolute
 * difference of two samples (or two latents) and `x_i = G(z_i)`.
 *
 * Minimising it pushes the generator to map distant latents to distant samples, so that
 * different latents do not collapse onto one mode.
 *
 * @remarks The ratio is taken per pair, then averaged. A pair of identical latents divides
 * by 0 and makes the loss NaN or 0; latents drawn independently are never equal.
 * @see Mao et al. 2019, "Mode Seeking Generative Adversarial Networks for Diverse Image
 *   Synthesis", equation 3, https://arxiv.org/abs/1903.05628
 * @param samplesA - generated samples `[batch, ...]` from `latentsA`; not disposed.
 * @param samplesB - generated samples from `latentsB`, the same shape; not disposed.
 * @param latentsA - latents `[batch, latentDim]`; not disposed.
 * @param latentsB - latents, the same shape as `latentsA`; not disposed.
 * @param epsilon - `ε > 0`, keeps the loss finite when the samples do not differ.
 *   @defaultValue 1e-5
 * @returns a scalar, owned by the caller; gradients flow to both sample batches.
 * @throws TypeError when an argument is not a tensor or `epsilon` not a number.
 * @throws RangeError when the shapes differ, the batch sizes differ, or `epsilon <= 0`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { modeSeekingLoss } from 'tfjs-gan';
 * const z1 = tf.tensor2d([[0, 0]]);
 * const z2 = tf.tensor2d([[1, 1]]);
 * // G(z) = 3z: every sample distance is 3 times the latent distance, 1 / (3 + 1e-5).
 * modeSeekingLoss(tf.mul(z1, 3), tf.mul(z2, 3), z1, z2).print(); // 0.333332
 * ```
 * @category Hacks
 */
export function modeSeekingLoss(
  samplesA: tf.Tensor,
  samplesB: tf.Tensor,
  latentsA: tf.Tensor,
  latentsB: tf.Tensor,
  epsilon = 1e-5,
): tf.Scalar {
  const where = 'modeSeekingLoss';
  const names = ['samplesA', 'samplesB', 'latentsA', 'latentsB'];
  [samplesA, samplesB, latentsA, latentsB].forEach((t, i) => checkTensor(where, names[i], t));
  checkSameShape(where, ['samplesA', 'samplesB'], [samplesA.shape, samplesB.shape]);
  checkSameShape(where, ['latentsA', 'latentsB'], [latentsA.shape, latentsB.shape]);
  if (samplesA.rank < 1 || latentsA.rank < 1 || samplesA.shape[0] !== latentsA.shape[0]) {
    throw new RangeError(
      `${where}: samplesA and latentsA must have the same batch size, got ` +
        `${describeValue(samplesA.shape)} and ${describeValue(latentsA.shape)}.`,
    );
  }
  checkPositive(where, 'epsilon', epsilon);
  return tf.tidy(() => {
    const ratios = tf.div(rowDistance(samplesA, samplesB), rowDistance(latentsA, latentsB));
    return tf.div(1, tf.add(tf.mean(ratios), epsilon)) as tf.Scalar;
  });
}

/**
 * Options of {@link modeSeekingTerm}.
 *
 * @category Hacks
 */
export interface ModeSeekingTermOptions {
  /** `λ`, the term's weight, >= 0; the paper uses 1. @defaultValue 1 */
  weight?: number;
  /** `ε` of {@link modeSeekingLoss}, > 0. @defaultValue 1e-5 */
  epsilon?: number;
  /**
   * Which pairs of samples are compared:
   * - `'halves'`: sample `i` of the step's fake batch with sample `i + ⌊batch/2⌋` (no extra
   *   generator pass; needs a batch of at least 2, an odd last sample is left out);
   * - `'resample'`: each sample of the fake batch with a sample generated from a second latent
   *   batch drawn by `sampler` with the term's seed (one more generator pass in training
   *   mode, which also updates batch-normalisation statistics).
   * @defaultValue `'halves'`
   */
  pairing?: 'halves' | 'resample';
  /**
   * Draws the second latent batch under `pairing: 'resample'`.
   * @defaultValue {@link normalLatent}
   */
  sampler?: LatentSampler;
  /** Compute the term every k steps, scaled by k, an integer >= 1. @defaultValue 1 */
  every?: number;
  /** The name the Trainer reports the term's value under. @defaultValue `'mode-seeking'` */
  name?: string;
}

function pairs(context: LossTermContext, pairing: 'halves' | 'resample', sampler: LatentSampler) {
  const { fake, latents, generator, seed } = context;
  const batch = fake.shape[0];
  if (pairing === 'resample') {
    const latentDim = latents.shape[latents.rank - 1];
    const second = sampler(batch, latentDim, seed);
    return { a: fake, b: generator(second), za: latents, zb: second };
  }
  if (batch < 2) {
    throw new RangeError(
      `modeSeekingTerm: pairing 'halves' needs a batch of at least 2, got ${batch}.`,
    );
  }
  const half = Math.floor(batch / 2);
  const first = (t: tf.Tensor) => tf.slice(t, 0, half);
  const second = (t: tf.Tensor) => tf.slice(t, half, half);
  return { a: first(fake), b: second(fake), za: first(latents), zb: second(latents) };
}

/**
 * A generator {@link LossTerm} adding `λ · L_ms`, the {@link modeSeekingLoss} of MSGAN, to
 * the generator's loss, computed through the Trainer's generator so its gradient reaches the
 * generator's weights.
 *
 * @see Mao et al. 2019, https://arxiv.org/abs/1903.05628
 * @param options - see {@link ModeSeekingTermOptions}. @defaultValue `{}`
 * @returns a frozen {@link LossTerm} named `'mode-seeking'` unless renamed; its `compute`
 *   throws a RangeError under `pairing: 'halves'` for a batch of 1.
 * @throws TypeError or RangeError when an option is invalid or unknown.
 * @example
 * ```ts
 * import { modeSeekingTerm } from 'tfjs-gan';
 * const generatorTerms = [modeSeekingTerm({ weight: 1 })];
 * // new Trainer({ generator, discriminator, generatorTerms })
 * ```
 * @category Hacks
 */
export function modeSeekingTerm(options: ModeSeekingTermOptions = {}): LossTerm {
  const where = 'modeSeekingTerm';
  checkOptions(where, options, ['weight', 'epsilon', 'pairing', 'sampler', 'every', 'name']);
  const weight = checkNonNegative(where, 'weight', options.weight ?? 1);
  const epsilon = checkPositive(where, 'epsilon', options.epsilon ?? 1e-5);
  const pairing = checkOneOf(where, 'pairing', options.pairing ?? 'halves', ['halves', 'resample']);
  const sampler = options.sampler ?? normalLatent;
  checkFunction(where, 'sampler', sampler);
  const every = checkInteger(where, 'every', options.every ?? 1, 1);
  const name = options.name ?? 'mode-seeking';
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`${where}: name must be a non-empty string, got ${describeValue(name)}.`);
  }
  return Object.freeze<LossTerm>({
    name,
    every,
    compute: (context) =>
      tf.tidy(() => {
        const { a, b, za, zb } = pairs(context, pairing, sampler);
        return tf.mul(weight, modeSeekingLoss(a, b, za, zb, epsilon)) as tf.Scalar;
      }),
  });
}
