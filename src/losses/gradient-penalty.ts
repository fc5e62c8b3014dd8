import * as tf from '@tensorflow/tfjs';

import {
  checkBoolean,
  checkInteger,
  checkNonNegative,
  checkOptions,
  checkPositive,
  checkSameShape,
  checkTensor,
} from '../errors';
import { checkCriticInput, type Critic, flatInputGradient, safeNorms } from './input-gradient';

/**
 * Options of {@link gradientPenalty}.
 *
 * @category Losses
 */
export interface GradientPenaltyOptions {
  /** The penalty's weight λ, >= 0. @defaultValue 10 */
  weight?: number;
  /** Added to the squared norm inside the square root, > 0. @defaultValue 1e-10 */
  epsilon?: number;
  /** Penalise only norms above 1: `max(0, ‖g‖ - 1)²`. @defaultValue false */
  oneSided?: boolean;
  /** Seed of the interpolation weights, an integer >= 0. @defaultValue unseeded */
  seed?: number;
}

/**
 * Options of {@link draganPenalty}.
 *
 * @category Losses
 */
export interface DraganPenaltyOptions {
  /** The penalty's weight λ, >= 0. @defaultValue 10 */
  weight?: number;
  /**
   * The perturbation's size as a multiple of the real batch's standard deviation, >= 0.
   * @defaultValue 0.5
   */
  noiseScale?: number;
  /** Added to the squared norm inside the square root, > 0. @defaultValue 1e-10 */
  epsilon?: number;
  /**
   * Seed of the perturbation (`seed`) and of the interpolation weights (`seed + 1`).
   * @defaultValue unseeded
   */
  seed?: number;
}

interface NormPenaltyOptions {
  weight: number;
  epsilon: number;
  oneSided: boolean;
}

function checkCommon(where: string, options: GradientPenaltyOptions & DraganPenaltyOptions) {
  const weight = checkNonNegative(where, 'weight', options.weight ?? 10);
  const epsilon = checkPositive(where, 'epsilon', options.epsilon ?? 1e-10);
  if (options.seed !== undefined) checkInteger(where, 'seed', options.seed, 0);
  return { weight, epsilon };
}

/** `weight · mean((‖∇critic(x)‖ - 1)²)` over the samples of `x`; `oneSided` clips below 1. */
function normPenalty(where: string, critic: Critic, x: tf.Tensor, options: NormPenaltyOptions) {
  const norms = safeNorms(flatInputGradient(where, critic, x), options.epsilon); // [batch]
  const gap = options.oneSided ? tf.relu(tf.sub(norms, 1)) : tf.sub(norms, 1);
  return tf.mul(options.weight, tf.mean(tf.square(gap))) as tf.Scalar;
}

/** `real + α·(other - real)` with one `α ~ U[0, 1)` per sample, shared by all its features. */
function interpolate(real: tf.Tensor, other: tf.Tensor, seed?: number): tf.Tensor {
  // α: [batch, 1, ..., 1], broadcast over every non-batch axis.
  const alphaShape = real.shape.map((size, axis) => (axis === 0 ? size : 1));
  const alpha = tf.randomUniform(alphaShape, 0, 1, 'float32', seed);
  return tf.add(real, tf.mul(alpha, tf.sub(other, real)));
}

/**
 * The WGAN-GP gradient penalty: `λ · mean_i((‖∇ₓ D(x̂_i)‖₂ - 1)²)` at random points
 * `x̂_i = real_i + α_i·(fake_i - real_i)` between real and generated samples.
 *
 * One `α_i ~ U[0, 1]` is drawn per sample and shared by all its features; the norm is taken
 * per sample over all non-batch axes, as `sqrt(sum(g²) + epsilon)` so that a zero gradient
 * gives a finite update. The penalty is built on the gradient tape, so its gradient with
 * respect to the critic's weights (a second-order gradient) is exact: call it inside
 * `tf.variableGrads` or use {@link gradientPenaltyTerm} with the Trainer. With `oneSided`
 * only norms above 1 are penalised, `λ · mean(max(0, ‖∇‖ - 1)²)`.
 *
 * @see Gulrajani et al. 2017, "Improved Training of Wasserstein GANs",
 *   https://arxiv.org/abs/1704.00028
 * @see Petzka et al. 2018, "On the regularization of Wasserstein GANs" (one-sided),
 *   https://arxiv.org/abs/1709.08894
 * @param critic - the discriminator as a function from samples to logits `[batch]` or
 *   `[batch, 1]`, in training mode.
 * @param real - real samples `[batch, ...]`, e.g. `[batch, height, width, channels]`.
 * @param fake - generated samples, the same shape as `real`.
 * @param options - see {@link GradientPenaltyOptions}. @defaultValue `{}`
 * @returns a scalar.
 * @throws TypeError when `critic` is not a function, a sample batch is not a tensor or an
 *   option has the wrong type.
 * @throws RangeError when `real` and `fake` differ in shape, the critic's output is not one
 *   logit per sample, or an option is out of range or unknown.
 * @remarks A critic with batch normalisation mixes the samples of a batch, so the gradient
 *   of the summed outputs is no longer each sample's own gradient; the WGAN-GP paper uses
 *   layer normalisation or none in the critic. The leaky ReLU's second-order gradient needs
 *   {@link registerSecondOrderGradients}, which this function calls.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { gradientPenalty } from 'tfjs-gan';
 * const w = tf.variable(tf.tensor2d([[3], [4]]));
 * const critic = (x: tf.Tensor) => tf.matMul(x as tf.Tensor2D, w);
 * const real = tf.randomNormal([8, 2]);
 * const fake = tf.randomNormal([8, 2]);
 * // ‖∇‖ = ‖w‖ = 5 everywhere: 10·(5 - 1)² = 160
 * const penalty = () => gradientPenalty(critic, real, fake, { seed: 1 });
 * const { value, grads } = tf.variableGrads(penalty);
 * value.print(); // 160
 * grads[w.name].print(); // 20·(5 - 1)·w/5 = [[48], [64]]
 * ```
 * @category Losses
 */
export function gradientPenalty(
  critic: Critic,
  real: tf.Tensor,
  fake: tf.Tensor,
  options: GradientPenaltyOptions = {},
): tf.Scalar {
  const where = 'gradientPenalty';
  checkOptions(where, options, ['weight', 'epsilon', 'oneSided', 'seed']);
  checkCriticInput(where, critic, 'real', real);
  checkTensor(where, 'fake', fake);
  checkSameShape(where, ['real', 'fake'], [real.shape, fake.shape]);
  const { weight, epsilon } = checkCommon(where, options);
  const oneSided = checkBoolean(where, 'oneSided', options.oneSided ?? false);
  return tf.tidy(() => {
    const points = interpolate(real, fake, options.seed);
    return normPenalty(where, critic, points, { weight, epsilon, oneSided });
  });
}

/**
 * The DRAGAN penalty: `λ · mean_i((‖∇ₓ D(x̂_i)‖₂ - 1)²)` at points `x̂_i` near the real
 * samples only, which keeps the discriminator smooth around the data to avoid mode collapse.
 *
 * The perturbed batch is `real + c·std(real)·u` with `u ~ U[0, 1)` per feature, `c` the
 * `noiseScale` and `std` over the whole batch; `x̂_i` lies at a uniform random point between
 * `real_i` and its perturbation (one weight per sample). The norm and its epsilon are as in
 * {@link gradientPenalty}, and the penalty reaches the discriminator's weights the same way.
 *
 * @see Kodali et al. 2017, "On Convergence and Stability of GANs",
 *   https://arxiv.org/abs/1705.07215
 * @param critic - the discriminator as a function from samples to logits `[batch]` or
 *   `[batch, 1]`, in training mode.
 * @param real - real samples `[batch, ...]`.
 * @param options - see {@link DraganPenaltyOptions}. @defaultValue `{}`
 * @returns a scalar.
 * @throws TypeError when `critic` is not a function, `real` is not a tensor or an option has
 *   the wrong type.
 * @throws RangeError when the critic's output is not one logit per sample, or an option is
 *   out of range or unknown.
 * @remarks As for {@link gradientPenalty}, a discriminator with batch normalisation mixes
 *   the samples of the batch.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { draganPenalty } from 'tfjs-gan';
 * const w = tf.variable(tf.tensor2d([[0.6], [0.8]]));
 * const critic = (x: tf.Tensor) => tf.matMul(x as tf.Tensor2D, w);
 * // ‖∇‖ = ‖w‖ = 1 everywhere: the penalty is 0
 * draganPenalty(critic, tf.randomNormal([8, 2]), { seed: 1 }).print();
 * ```
 * @category Losses
 */
export function draganPenalty(
  critic: Critic,
  real: tf.Tensor,
  options: DraganPenaltyOptions = {},
): tf.Scalar {
  const where = 'draganPenalty';
  checkOptions(where, options, ['weight', 'noiseScale', 'epsilon', 'seed']);
  checkCriticInput(where, critic, 'real', real);
  const { weight, epsilon } = checkCommon(where, options);
  const noiseScale = checkNonNegative(where, 'noiseScale', options.noiseScale ?? 0.5);
  const seed = options.seed;
  return tf.tidy(() => {
    const spread = tf.sqrt(tf.moments(real).variance); // one standard deviation for the batch
    const noise = tf.randomUniform(real.shape, 0, 1, 'float32', seed);
    const perturbed = tf.add(real, tf.mul(tf.mul(noiseScale, spread), noise));
    const points = interpolate(real, perturbed, seed === undefined ? undefined : seed + 1);
    return normPenalty(where, critic, points, { weight, epsilon, oneSided: false });
  });
}
