import * as tf from '@tensorflow/tfjs';

import {
  checkInteger,
  checkNonNegative,
  checkOptions,
  checkPositive,
  checkRange,
  checkTensor,
} from '../errors';

/**
 * Adds Gaussian instance noise to a batch of samples: `x + σ·ε` with `ε ~ N(0, I)`.
 *
 * Feeding the discriminator noisy real and generated samples makes the two distributions
 * overlap, so the discriminator cannot separate them perfectly and its gradients stay
 * informative early in training; `σ` is annealed towards 0 with a {@link NoiseSchedule}.
 *
 * @see Sønderby et al. 2017, "Amortised MAP Inference for Image Super-resolution", section
 *   3.2 (instance noise), https://arxiv.org/abs/1610.04490
 * @see Arjovsky & Bottou 2017, "Towards Principled Methods for Training Generative
 *   Adversarial Networks", https://arxiv.org/abs/1701.04862
 * @param x - samples of any shape, e.g. images `[batch, height, width, channels]`; not
 *   disposed. Gradients flow through to `x`.
 * @param stddev - `σ`, a finite number >= 0; 0 returns a copy of `x`.
 * @param seed - an integer seed for the noise; the same seed gives the same noise.
 * @returns a float32 tensor of the shape of `x`, owned by the caller.
 * @throws TypeError when `x` is not a tensor or `stddev` / `seed` is not a number.
 * @throws RangeError when `stddev < 0`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { addInstanceNoise, linearDecay } from 'tfjs-gan';
 * const schedule = linearDecay({ start: 0.1, steps: 1000 });
 * const real = tf.zeros([8, 28, 28, 1]);
 * const noisy = addInstanceNoise(real, schedule.stddevAt(250), 7); // σ = 0.075
 * noisy.dispose(); real.dispose();
 * ```
 * @category Hacks
 */
export function addInstanceNoise<T extends tf.Tensor>(x: T, stddev: number, seed: number): T {
  const where = 'addInstanceNoise';
  checkTensor(where, 'x', x);
  checkNonNegative(where, 'stddev', stddev);
  checkInteger(where, 'seed', seed, Number.MIN_SAFE_INTEGER);
  return tf.tidy(() => {
    const samples = tf.cast(x, 'float32');
    if (stddev === 0) return tf.clone(samples) as T;
    return tf.add(samples, tf.randomNormal(x.shape, 0, stddev, 'float32', seed)) as T;
  });
}

/**
 * A schedule of the instance noise's standard deviation over training steps.
 *
 * @category Hacks
 */
export interface NoiseSchedule {
  /**
   * The standard deviation at a step.
   * @param step - the 0-based training step, an integer >= 0.
   * @returns `σ >= 0`.
   */
  stddevAt(step: number): number;
}

/**
 * Options of {@link linearDecay}.
 *
 * @category Hacks
 */
export interface LinearDecayOptions {
  /** `σ` at step 0, >= 0. */
  start: number;
  /** `σ` from step `steps` on, >= 0. @defaultValue 0 */
  end?: number;
  /** How many steps the decay takes, an integer >= 1. */
  steps: number;
}

/**
 * A linearly annealed noise level: `σ(step) = start + (end - start) · min(step, steps) / steps`.
 *
 * @see Sønderby et al. 2017, section 3.2, https://arxiv.org/abs/1610.04490
 * @param options - see {@link LinearDecayOptions}.
 * @returns a frozen {@link NoiseSchedule}.
 * @throws TypeError or RangeError when an option is missing, invalid or unknown, or (from
 *   `stddevAt`) when the step is not an integer >= 0.
 * @example
 * ```ts
 * import { linearDecay } from 'tfjs-gan';
 * const schedule = linearDecay({ start: 0.1, steps: 1000 });
 * schedule.stddevAt(500); // 0.05
 * ```
 * @category Hacks
 */
export function linearDecay(options: LinearDecayOptions): NoiseSchedule {
  const where = 'linearDecay';
  checkOptions(where, options, ['start', 'end', 'steps']);
  const start = checkNonNegative(where, 'start', options.start);
  const end = checkNonNegative(where, 'end', options.end ?? 0);
  const steps = checkInteger(where, 'steps', options.steps, 1);
  return Object.freeze({
    stddevAt(step: number): number {
      checkInteger(`${where}.stddevAt`, 'step', step);
      return start + ((end - start) * Math.min(step, steps)) / steps;
    },
  });
}

/**
 * Options of {@link exponentialDecay}.
 *
 * @category Hacks
 */
export interface ExponentialDecayOptions {
  /** `σ` at step 0, >= 0. */
  start: number;
  /** The factor applied per step, in `(0, 1]`, e.g. 0.999. */
  rate: number;
  /** The floor `σ` never goes below, >= 0. @defaultValue 0 */
  minimum?: number;
}

/**
 * An exponentially annealed noise level: `σ(step) = max(minimum, start · rate^step)`.
 *
 * @see Sønderby et al. 2017, section 3.2, https://arxiv.org/abs/1610.04490
 * @param options - see {@link ExponentialDecayOptions}.
 * @returns a frozen {@link NoiseSchedule}.
 * @throws TypeError or RangeError when an option is missing, invalid or unknown, or (from
 *   `stddevAt`) when the step is not an integer >= 0.
 * @example
 * ```ts
 * import { exponentialDecay } from 'tfjs-gan';
 * const schedule = exponentialDecay({ start: 0.1, rate: 0.99 });
 * schedule.stddevAt(100); // 0.1 · 0.99^100 ≈ 0.036603
 * ```
 * @category Hacks
 */
export function exponentialDecay(options: ExponentialDecayOptions): NoiseSchedule {
  const where = 'exponentialDecay';
  checkOptions(where, options, ['start', 'rate', 'minimum']);
  const start = checkNonNegative(where, 'start', options.start);
  const rate = checkPositive(where, 'rate', options.rate);
  checkRange(where, 'rate', rate, 0, 1);
  const minimum = checkNonNegative(where, 'minimum', options.minimum ?? 0);
  return Object.freeze({
    stddevAt(step: number): number {
      checkInteger(`${where}.stddevAt`, 'step', step);
      return Math.max(minimum, start * rate ** step);
    },
  });
}
