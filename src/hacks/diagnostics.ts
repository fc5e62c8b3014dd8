import * as tf from '@tensorflow/tfjs';

import {
  checkInteger,
  checkNonNegative,
  checkNumber,
  checkOptions,
  checkPositive,
  checkTensor,
  describeValue,
} from '../errors';

/**
 * The mean Euclidean distance between all pairs of samples of a batch:
 * `mean_{i<j} ‖x_i - x_j‖`, each sample flattened.
 *
 * A generator whose samples collapse onto few modes gives a batch of near-copies and a
 * small value; compare it with the value on a real batch of the same size.
 *
 * @see Salimans et al. 2016, "Improved Techniques for Training GANs", section 3.2 (mode
 *   collapse within a batch), https://arxiv.org/abs/1606.03498
 * @param samples - a batch `[batch, ...]` with `batch >= 2`; not disposed.
 * @returns a scalar >= 0, owned by the caller.
 * @throws TypeError when `samples` is not a tensor.
 * @throws RangeError when the batch has fewer than 2 samples.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { sampleDiversity } from 'tfjs-gan';
 * sampleDiversity(tf.tensor2d([[0, 0], [3, 4], [0, 4]])).print(); // (5 + 3 + 4) / 3 = 4
 * ```
 * @category Hacks
 */
export function sampleDiversity(samples: tf.Tensor): tf.Scalar {
  const where = 'sampleDiversity';
  checkTensor(where, 'samples', samples);
  if (samples.rank < 1 || samples.shape[0] < 2) {
    const got = describeValue(samples.shape);
    const want = '[batch, ...] with batch >= 2';
    throw new RangeError(`${where}: samples must have shape ${want}, got ${got}.`);
  }
  return tf.tidy(() => {
    const n = samples.shape[0];
    const x = tf.reshape(tf.cast(samples, 'float32'), [n, -1]); // [n, features]
    const squares = tf.sum(tf.square(x), 1, true); // [n, 1]
    // ‖x_i - x_j‖² = ‖x_i‖² + ‖x_j‖² - 2·x_i·x_j; rounding may dip below 0, hence relu.
    const gram = tf.matMul(x, x, false, true); // [n, n]
    const squared = tf.relu(tf.sub(tf.add(squares, tf.transpose(squares)), tf.mul(2, gram)));
    // The diagonal is 0 in exact arithmetic; the mask drops its rounding error.
    const offDiagonal = tf.sub(1, tf.eye(n));
    const distances = tf.mul(tf.sqrt(squared), offDiagonal);
    return tf.div(tf.sum(distances), n * (n - 1)) as tf.Scalar;
  });
}

/**
 * A training problem a detector saw, for the Trainer to report to its callbacks.
 *
 * @category Hacks
 */
export interface TrainingWarning {
  /**
   * What was seen: `'mode-collapse'` (samples far less diverse than real data),
   * `'discriminator-wins'` (the discriminator's loss near 0 for many steps),
   * `'non-finite-loss'` (a loss is NaN or infinite) or `'penalty-with-batch-norm'` (an
   * input-gradient penalty on a discriminator with batch normalisation, found by the
   * {@link Trainer} when it is built; see {@link Trainer.configurationWarnings}).
   */
  kind: 'mode-collapse' | 'discriminator-wins' | 'non-finite-loss' | 'penalty-with-batch-norm';
  /**
   * The step given to `update` when it was seen; 0 for a warning about the Trainer's
   * configuration.
   */
  step: number;
  /** A sentence describing it, with the numbers. */
  message: string;
}

/**
 * Options of {@link CollapseDetector}.
 *
 * @category Hacks
 */
export interface CollapseDetectorOptions {
  /** Warn when the mean diversity ratio falls below this, > 0. @defaultValue 0.5 */
  threshold?: number;
  /** How many recent updates the ratio is averaged over, an integer >= 1. @defaultValue 10 */
  window?: number;
}

/**
 * Watches the diversity of generated batches against real ones and warns when the generator
 * appears to collapse: when the mean of `fakeDiversity / realDiversity` over the last
 * `window` updates falls below `threshold`.
 *
 * It warns once when the condition starts and again only after the ratio has recovered to
 * the threshold or above.
 *
 * @see Salimans et al. 2016, section 3.2, https://arxiv.org/abs/1606.03498
 * @example
 * ```ts
 * import { CollapseDetector } from 'tfjs-gan';
 * const detector = new CollapseDetector({ threshold: 0.5, window: 3 });
 * detector.update(0, 1.0, 4.0); // null: the window is not full yet
 * detector.update(1, 1.0, 4.0); // null
 * detector.update(2, 1.0, 4.0)?.kind; // 'mode-collapse': mean ratio 0.25 < 0.5
 * ```
 * @category Hacks
 */
export class CollapseDetector {
  /** The ratio below which it warns. */
  readonly threshold: number;
  /** How many updates are averaged. */
  readonly window: number;
  private readonly ratios: number[] = [];
  private warned = false;

  /**
   * @param options - see {@link CollapseDetectorOptions}. @defaultValue `{}`
   * @throws TypeError or RangeError when an option is invalid or unknown.
   */
  constructor(options: CollapseDetectorOptions = {}) {
    const where = 'CollapseDetector';
    checkOptions(where, options, ['threshold', 'window']);
    this.threshold = checkPositive(where, 'threshold', options.threshold ?? 0.5);
    this.window = checkInteger(where, 'window', options.window ?? 10, 1);
  }

  /**
   * Records one step's diversities (e.g. from {@link sampleDiversity}).
   *
   * @param step - the training step, an integer >= 0.
   * @param fakeDiversity - the diversity of a generated batch, >= 0.
   * @param realDiversity - the diversity of a real batch of the same size, > 0.
   * @returns a `'mode-collapse'` warning, or `null`.
   * @throws TypeError or RangeError when an argument is not as described.
   */
  update(step: number, fakeDiversity: number, realDiversity: number): TrainingWarning | null {
    const where = 'CollapseDetector.update';
    checkInteger(where, 'step', step);
    checkNonNegative(where, 'fakeDiversity', fakeDiversity);
    checkPositive(where, 'realDiversity', realDiversity);
    this.ratios.push(fakeDiversity / realDiversity);
    if (this.ratios.length > this.window) this.ratios.shift();
    if (this.ratios.length < this.window) return null;
    const mean = this.ratios.reduce((sum, r) => sum + r, 0) / this.window;
    if (mean >= this.threshold) {
      this.warned = false;
      return null;
    }
    if (this.warned) return null;
    this.warned = true;
    const message =
      `Generated samples are ${mean.toFixed(3)} times as diverse as real ones over the last ` +
      `${this.window} steps (threshold ${this.threshold}): the generator may be collapsing.`;
    return { kind: 'mode-collapse', step, message };
  }
}

/**
 * Options of {@link FailureDetector}.
 *
 * @category Hacks
 */
export interface FailureDetectorOptions {
  /** A discriminator loss below this counts as a win, a finite number. @defaultValue 0.01 */
  threshold?: number;
  /** How many consecutive wins make a warning, an integer >= 1. @defaultValue 50 */
  patience?: number;
}

/**
 * Watches the losses for two signs of failed training: a non-finite loss (every time), and
 * a discriminator loss below `threshold` for `patience` consecutive updates (once per such
 * run), which means the discriminator separates real from fake perfectly and the generator
 * gets little gradient.
 *
 * @remarks The default threshold suits losses bounded below by 0 (cross-entropy, least
 * squares, hinge); a Wasserstein critic's loss is unbounded, so set `threshold` for it.
 * @see Arjovsky & Bottou 2017, "Towards Principled Methods for Training Generative
 *   Adversarial Networks", https://arxiv.org/abs/1701.04862
 * @example
 * ```ts
 * import { FailureDetector } from 'tfjs-gan';
 * const detector = new FailureDetector({ threshold: 0.01, patience: 2 });
 * detector.update(0, 0.001); // null
 * detector.update(1, 0.002)?.kind; // 'discriminator-wins'
 * detector.update(2, NaN)?.kind; // 'non-finite-loss'
 * ```
 * @category Hacks
 */
export class FailureDetector {
  /** The discriminator loss below which a step counts as a win. */
  readonly threshold: number;
  /** How many consecutive wins make a warning. */
  readonly patience: number;
  private wins = 0;

  /**
   * @param options - see {@link FailureDetectorOptions}. @defaultValue `{}`
   * @throws TypeError or RangeError when an option is invalid or unknown.
   */
  constructor(options: FailureDetectorOptions = {}) {
    const where = 'FailureDetector';
    checkOptions(where, options, ['threshold', 'patience']);
    this.threshold = checkNumber(where, 'threshold', options.threshold ?? 0.01);
    this.patience = checkInteger(where, 'patience', options.patience ?? 50, 1);
  }

  /**
   * Records one step's losses.
   *
   * @param step - the training step, an integer >= 0.
   * @param discriminatorLoss - the discriminator's loss, any number.
   * @param generatorLoss - the generator's loss, any number. @defaultValue not checked
   * @returns a `'non-finite-loss'` or `'discriminator-wins'` warning, or `null`.
   * @throws TypeError or RangeError when `step` is not an integer >= 0 or a loss is not a
   *   number.
   */
  update(step: number, discriminatorLoss: number, generatorLoss?: number): TrainingWarning | null {
    const where = 'FailureDetector.update';
    checkInteger(where, 'step', step);
    const losses: [string, unknown][] = [['discriminator', discriminatorLoss]];
    if (generatorLoss !== undefined) losses.push(['generator', generatorLoss]);
    for (const [network, value] of losses) {
      if (typeof value !== 'number') {
        const got = describeValue(value);
        throw new TypeError(`${where}: ${network}Loss must be a number, got ${got}.`);
      }
      if (!Number.isFinite(value)) {
        this.wins = 0;
        const message = `The ${network} loss is ${value} at step ${step}.`;
        return { kind: 'non-finite-loss', step, message };
      }
    }
    if (discriminatorLoss >= this.threshold) {
      this.wins = 0;
      return null;
    }
    this.wins++;
    if (this.wins !== this.patience) return null;
    const message =
      `The discriminator loss has stayed below ${this.threshold} for ${this.patience} steps ` +
      `(now ${discriminatorLoss}): the discriminator wins and the generator may stop learning.`;
    return { kind: 'discriminator-wins', step, message };
  }
}
