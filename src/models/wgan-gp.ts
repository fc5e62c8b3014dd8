import * as tf from '@tensorflow/tfjs';

import { checkInteger, checkNumber, checkOptions, checkPositive, describeValue } from '../errors';
import type { BlockNorm } from '../layers/blocks';
import { gradientPenaltyTerm } from '../losses/terms';
import type { AdversarialLoss, LossTerm } from '../losses/types';
import { wassersteinLoss } from '../losses/wasserstein';
import { DCGAN, type DCGANOptions } from './dcgan';
import { MlpGAN, type MlpGANOptions } from './mlp-gan';

/**
 * The training settings of a {@link WganGp} preset; the defaults are those of Gulrajani et
 * al. 2017.
 *
 * @category Models
 */
export interface WganGpOptions {
  /** Critic updates per generator update, an integer >= 1. @defaultValue 5 */
  discriminatorSteps?: number;
  /** The gradient penalty's weight λ, > 0. @defaultValue 10 */
  penaltyWeight?: number;
  /** Adam's learning rate for both networks, > 0. @defaultValue 1e-4 */
  learningRate?: number;
  /** Adam's β1 for both networks, in [0, 1). @defaultValue 0 */
  beta1?: number;
  /** Adam's β2 for both networks, in [0, 1). @defaultValue 0.9 */
  beta2?: number;
}

/**
 * The {@link Trainer} options of a {@link WganGp} preset, to spread into `new Trainer({...})`
 * (frozen: to add a term, write
 * `discriminatorTerms: [...wgan.trainerOptions.discriminatorTerms, term]`).
 *
 * @category Models
 */
export interface WganGpTrainerOptions {
  /** The preset's generator. */
  generator: tf.LayersModel;
  /** The preset's critic: one linear output per sample, no batch normalisation. */
  discriminator: tf.LayersModel;
  /** {@link wassersteinLoss}. */
  loss: AdversarialLoss;
  /** One {@link gradientPenaltyTerm} of weight `penaltyWeight`, named `'gradient-penalty'`. */
  discriminatorTerms: LossTerm[];
  /** Critic updates per generator update. */
  discriminatorSteps: number;
  /** `tf.train.adam(learningRate, beta1, beta2)`, owned by the preset. */
  generatorOptimizer: tf.Optimizer;
  /** A second `tf.train.adam(learningRate, beta1, beta2)`, owned by the preset. */
  discriminatorOptimizer: tf.Optimizer;
}

const KEYS = ['discriminatorSteps', 'penaltyWeight', 'learningRate', 'beta1', 'beta2'];

function checkBeta(where: string, name: string, value: unknown): number {
  const beta = checkNumber(where, name, value);
  if (beta < 0 || beta >= 1)
    throw new RangeError(`${where}: ${name} must be in [0, 1), got ${beta}.`);
  return beta;
}

function resolve(where: string, options: WganGpOptions): Required<WganGpOptions> {
  checkOptions(where, options, KEYS);
  return {
    discriminatorSteps: checkInteger(
      where,
      'discriminatorSteps',
      options.discriminatorSteps ?? 5,
      1,
    ),
    penaltyWeight: checkPositive(where, 'penaltyWeight', options.penaltyWeight ?? 10),
    learningRate: checkPositive(where, 'learningRate', options.learningRate ?? 1e-4),
    beta1: checkBeta(where, 'beta1', options.beta1 ?? 0),
    beta2: checkBeta(where, 'beta2', options.beta2 ?? 0.9),
  };
}

/** The critic's norm: the given one or `fallback`; `'batch'` is refused. */
function criticNorm(where: string, ganOptions: unknown, fallback: BlockNorm, others: string) {
  if (ganOptions === null || typeof ganOptions !== 'object' || Array.isArray(ganOptions)) {
    throw new TypeError(
      `${where}: ganOptions must be an object, got ${describeValue(ganOptions)}.`,
    );
  }
  const norm = (ganOptions as { discriminatorNorm?: unknown }).discriminatorNorm ?? fallback;
  if (norm === 'batch') {
    throw new RangeError(
      `${where}: discriminatorNorm must be ${others}, got 'batch': batch statistics couple the ` +
        "samples of a batch, and the gradient penalty takes each sample's input gradient on " +
        'its own.',
    );
  }
  // The model checks the other values.
  return norm as BlockNorm;
}

/**
 * The WGAN-GP recipe of Gulrajani et al. 2017, ready to train: a {@link DCGAN} or
 * {@link MlpGAN} whose critic has no batch normalisation and one linear output per sample,
 * and the {@link Trainer} options that go with it: {@link wassersteinLoss}, a
 * {@link gradientPenaltyTerm} of weight 10, five critic updates per generator update and
 * `Adam(1e-4, β1 = 0, β2 = 0.9)` for both networks.
 *
 * Build one with {@link WganGp.dcgan} or {@link WganGp.mlp}, then spread
 * {@link WganGp.trainerOptions} into the Trainer's options, adding or overriding any others.
 *
 * @remarks The preset owns the networks and both optimisers, and {@link WganGp.dispose}
 * frees them all; `Trainer.dispose()` frees only the optimisers the Trainer made itself, so
 * dispose the trainer first, then the preset. Give each preset to one Trainer only: a second
 * one would share the optimisers' moments. The critic may still have a minibatch standard
 * deviation feature (`minibatchStdDev`), which also mixes the samples of a batch; Karras et
 * al. 2018 use it with the gradient penalty all the same.
 * @see Gulrajani et al. 2017, "Improved Training of Wasserstein GANs",
 *   https://arxiv.org/abs/1704.00028
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Trainer, WganGp } from 'tfjs-gan';
 * const wgan = WganGp.dcgan({ imageShape: [28, 28, 1], baseFilters: 8, seed: 1 });
 * const trainer = new Trainer({ ...wgan.trainerOptions, seed: 1 });
 * const real = tf.randomUniform([8, 28, 28, 1], -1, 1);
 * const { terms } = await trainer.step(real); // 5 critic updates, then 1 generator update
 * real.dispose(); trainer.dispose(); wgan.dispose();
 * ```
 * @category Models
 */
export class WganGp<M extends DCGAN | MlpGAN = DCGAN | MlpGAN> {
  /** The networks, which the preset owns. */
  readonly gan: M;
  /** The training settings with every default filled in. */
  readonly options: Readonly<Required<WganGpOptions>>;
  /** The Trainer options, frozen; see {@link WganGpTrainerOptions}. */
  readonly trainerOptions: Readonly<WganGpTrainerOptions>;
  private disposed = false;

  /**
   * A WGAN-GP on a {@link DCGAN}, for images.
   *
   * @param ganOptions - the {@link DCGANOptions}, with `discriminatorNorm` defaulting to
   *   `'none'`, as in Gulrajani et al.'s MNIST critic; `'layer'` (their choice for deeper
   *   critics), `'instance'` and `'pixel'` also work, each per sample.
   * @remarks `'layer'` relies on the training kernels' `tile` gradient: TensorFlow.js 4.22's
   *   own adds one slice per repetition of layer normalisation's tiled statistics, which made
   *   a step of `examples/wgan-gp.ts` about 14 times as long as with `'none'`. The Trainer
   *   installs the kernels on `cpu` and `wasm` (unless `trainingKernels: false`); then
   *   `'layer'` costs about as much as `'none'`.
   * @param options - see {@link WganGpOptions}. @defaultValue `{}`
   * @returns a new preset, owning its networks and optimisers.
   * @throws RangeError when `ganOptions.discriminatorNorm` is `'batch'`; TypeError or
   *   RangeError for a bad or unknown option, or any error of the {@link DCGAN} constructor.
   * @example
   * ```ts
   * import { WganGp } from 'tfjs-gan';
   * const wgan = WganGp.dcgan({ imageShape: [32, 32, 3], seed: 1 }, { learningRate: 2e-4 });
   * wgan.dispose();
   * ```
   */
  static dcgan(ganOptions: DCGANOptions, options: WganGpOptions = {}): WganGp<DCGAN> {
    const where = 'WganGp.dcgan';
    const others = "'none' (the default), 'layer', 'instance' or 'pixel'";
    const discriminatorNorm = criticNorm(where, ganOptions, 'none', others);
    const settings = resolve(where, options);
    return new WganGp(new DCGAN({ ...ganOptions, discriminatorNorm }), settings);
  }

  /**
   * A WGAN-GP on an {@link MlpGAN}, for points, rows and short series (the set-up of
   * Gulrajani et al.'s toy experiments).
   *
   * @param ganOptions - the {@link MlpGANOptions}, with `discriminatorNorm` defaulting to
   *   `'none'`; `'layer'` and `'pixel'` also work.
   * @param options - see {@link WganGpOptions}. @defaultValue `{}`
   * @returns a new preset, owning its networks and optimisers.
   * @throws RangeError when `ganOptions.discriminatorNorm` is `'batch'`; TypeError or
   *   RangeError for a bad or unknown option, or any error of the {@link MlpGAN} constructor.
   * @example
   * ```ts
   * import { Trainer, WganGp, ringMixture } from 'tfjs-gan';
   * const wgan = WganGp.mlp({ dataShape: [2], seed: 1 });
   * const trainer = new Trainer({ ...wgan.trainerOptions, seed: 1 });
   * await trainer.fit(ringMixture().batches(256, 1), { steps: 10 });
   * trainer.dispose(); wgan.dispose();
   * ```
   */
  static mlp(ganOptions: MlpGANOptions, options: WganGpOptions = {}): WganGp<MlpGAN> {
    const where = 'WganGp.mlp';
    const others = "'none' (the default), 'layer' or 'pixel'";
    const discriminatorNorm = criticNorm(where, ganOptions, 'none', others);
    const settings = resolve(where, options);
    return new WganGp(new MlpGAN({ ...ganOptions, discriminatorNorm }), settings);
  }

  private constructor(gan: M, options: Required<WganGpOptions>) {
    this.gan = gan;
    this.options = Object.freeze(options);
    const adam = () => tf.train.adam(options.learningRate, options.beta1, options.beta2);
    const term = gradientPenaltyTerm({ weight: options.penaltyWeight });
    this.trainerOptions = Object.freeze({
      generator: gan.generator,
      discriminator: gan.discriminator,
      loss: wassersteinLoss,
      discriminatorTerms: Object.freeze([term]) as LossTerm[],
      discriminatorSteps: options.discriminatorSteps,
      generatorOptimizer: adam(),
      discriminatorOptimizer: adam(),
    });
  }

  /** Frees both networks' weights and both optimisers' state; a second call does nothing. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.trainerOptions.generatorOptimizer.dispose();
    this.trainerOptions.discriminatorOptimizer.dispose();
    this.gan.dispose();
  }
}
