import type * as tf from '@tensorflow/tfjs';

import type { CollapseDetector, FailureDetector, TrainingWarning } from '../hacks/diagnostics';
import type { NoiseSchedule } from '../hacks/instance-noise';
import type { LabelTricks } from '../hacks/labels';
import type { LatentSampler } from '../hacks/latent';
import type { ExperienceReplay } from '../hacks/replay';
import type { CheckpointStore } from '../io/checkpoint';
import type { AuxiliaryHead } from '../losses/auxiliary';
import type { AdversarialLoss, LossTerm } from '../losses/types';
import type { NetworkFunction } from './network';

/**
 * Options of {@link Trainer}.
 *
 * @category Training
 */
export interface TrainerOptions {
  /**
   * Maps `z [batch, latentDim]` to samples: a `tf.LayersModel` (its input shape gives
   * `latentDim`) or a {@link NetworkFunction} with `generatorVariables` and `latentDim`.
   */
  generator: tf.LayersModel | NetworkFunction;
  /** The trainable variables of a function `generator`, which the caller owns. */
  generatorVariables?: tf.Variable[];
  /**
   * Maps samples to one logit each, `[batch, 1]` or `[batch]`: a `tf.LayersModel` or a
   * {@link NetworkFunction} with `discriminatorVariables`. In a class-conditional trainer it
   * takes the labels too or has an auxiliary output, see `discriminatorConditioning`.
   */
  discriminator: tf.LayersModel | NetworkFunction;
  /** The trainable variables of a function `discriminator`, which the caller owns. */
  discriminatorVariables?: tf.Variable[];
  /** Length of the latent vectors; required for a function generator. */
  latentDim?: number;
  /**
   * Number of classes of a class-conditional GAN, an integer >= 2. The trainer is
   * conditional when this is set or the generator is a layers model with two inputs
   * `[z, labels]` (whose `ClassEmbedding` or `Embedding` layer then gives `classes` when
   * omitted). A conditional
   * trainer needs labels in {@link Trainer.step} and draws the fakes' labels uniformly from
   * `[0, classes)` with its seeded stream. @defaultValue unconditional
   */
  classes?: number;
  /**
   * How a conditional discriminator sees the class: `'input'` (it takes `[samples, labels]`,
   * e.g. a projection discriminator) or `'auxiliary'` (it takes samples and returns
   * `[logits, auxiliary]`, e.g. AC-GAN class logits, trained with `auxiliaryHead`). Read from
   * a layers model (two inputs or two outputs); required for a function discriminator.
   */
  discriminatorConditioning?: 'input' | 'auxiliary';
  /**
   * The loss on an auxiliary discriminator output, added to both networks' losses. Without
   * `classes` (e.g. InfoGAN's {@link mutualInformationHead}) the trainer stays unconditional,
   * its discriminator must take samples and return `[logits, auxiliary]` (a layers model with
   * two outputs, or a function returning `[batch, 1 + k]`), and the head gets the fakes'
   * latents; experience replay is then refused.
   * @defaultValue {@link auxiliaryClassifierHead}`()` when the discriminator is `'auxiliary'`
   */
  auxiliaryHead?: AuxiliaryHead;
  /** The adversarial loss pair. @defaultValue {@link nonSaturatingLoss} */
  loss?: AdversarialLoss;
  /**
   * Terms added to the discriminator's loss, e.g. a gradient penalty; each one's value is
   * reported in {@link StepResult.terms} under its name. @defaultValue []
   */
  discriminatorTerms?: LossTerm[];
  /** Terms added to the generator's loss, e.g. feature matching. @defaultValue [] */
  generatorTerms?: LossTerm[];
  /** The generator's optimiser. @defaultValue `tf.train.adam(2e-4, 0.5)` */
  generatorOptimizer?: tf.Optimizer;
  /** The discriminator's optimiser. @defaultValue `tf.train.adam(2e-4, 0.5)` */
  discriminatorOptimizer?: tf.Optimizer;
  /** Draws latent batches. @defaultValue {@link normalLatent} */
  latentSampler?: LatentSampler;
  /**
   * Seed of the trainer's random stream (latent draws). The same seed, models and data give
   * the same latents. @defaultValue a random seed
   */
  seed?: number | string;
  /**
   * Discriminator updates per iteration ("train the discriminator more"; 5 for WGAN-GP).
   * `step` then takes one batch or an array of this many. @defaultValue 1
   */
  discriminatorSteps?: number;
  /** Generator updates per iteration. @defaultValue 1 */
  generatorSteps?: number;
  /**
   * Clip every discriminator variable to `[-c, c]` after each of its updates, as the
   * original WGAN does (Arjovsky et al. 2017; the gradient penalty is the better way to keep
   * a critic Lipschitz). @defaultValue off
   */
  weightClipping?: number;
  /**
   * Keep an exponential moving average of the generator's trainable variables with this
   * decay in (0, 1), e.g. 0.999, and draw {@link Trainer.sample} from it (Yazıcı et al.
   * 2019, https://arxiv.org/abs/1806.04498). Batch-norm statistics are not averaged.
   * @defaultValue off
   */
  emaDecay?: number;
  /**
   * The range real samples must lie in; a batch outside it is refused before any work.
   * `null` turns the check off. @defaultValue `[-1, 1]` when the generator is a layers model
   * ending in `tanh`, otherwise `null`
   */
  realRange?: [number, number] | null;
  /**
   * Label tricks for the discriminator's targets (one-sided smoothing, noisy ranges, flips);
   * only with the cross-entropy losses (`'non-saturating'`, `'minimax'`), whose
   * discriminator loss is then the cross-entropy against these targets. The generator's
   * targets never change. @defaultValue off
   */
  labelTricks?: LabelTricks;
  /**
   * Instance noise: Gaussian noise with this schedule's standard deviation added to every
   * real and fake batch the discriminator sees, in both updates. @defaultValue off
   */
  instanceNoise?: NoiseSchedule;
  /**
   * Experience replay: the discriminator's fake batch is mixed with past fakes from this
   * pool, which the Trainer fills. The pool stays the caller's to dispose. @defaultValue off
   */
  replay?: ExperienceReplay;
  /** Warns (in {@link StepResult.warnings}) when sample diversity collapses. @defaultValue off */
  collapseDetector?: CollapseDetector;
  /**
   * Warns when the discriminator's loss stays near zero (it wins outright). @defaultValue off
   */
  failureDetector?: FailureDetector;
  /**
   * Install the library's training kernels for the active backend (`cpu` and `wasm` only;
   * see {@link installTrainingKernels}) before each step. Set `false` to keep the backend's
   * stock kernels. @defaultValue true
   */
  trainingKernels?: boolean;
}

/**
 * What one {@link Trainer.step} did, as plain numbers.
 *
 * @category Training
 */
export interface StepResult {
  /** 1-based index of the step just run (the trainer's step counter after it). */
  step: number;
  /**
   * The discriminator's adversarial loss on this step's batch, before its update (without
   * the terms).
   */
  discriminatorLoss: number;
  /** The generator's adversarial loss, after the discriminator's update (without the terms). */
  generatorLoss: number;
  /** Mean `sigmoid(logit)` on the real batch, before the discriminator's update. */
  realScore: number;
  /** Mean `sigmoid(logit)` on the fake batch, before the discriminator's update. */
  fakeScore: number;
  /**
   * The value of every loss term applied this step, after its `every` scaling, by name.
   * Terms not due this step are absent.
   */
  terms: Record<string, number>;
  /** Warnings the detectors raised at this step (empty when none are on). */
  warnings: TrainingWarning[];
  /**
   * The {@link AuxiliaryHead}'s losses (after its weights), when the discriminator has an
   * auxiliary output: the discriminator's part in its (last) update and the generator's.
   */
  auxiliaryLoss?: {
    /** The head's discriminator part, in the (last) discriminator update. */
    discriminator: number;
    /** The head's generator part, in the (last) generator update. */
    generator: number;
  };
  /** The instance-noise standard deviation used at this step, when instance noise is on. */
  instanceNoise?: number;
  /** Wall-clock seconds the step took. */
  seconds: number;
}

/**
 * Options of {@link Trainer.sample}.
 *
 * @category Training
 */
export interface SampleOptions {
  /** Seed of the latents (and of drawn labels); omit to continue the sampling stream. */
  seed?: number;
  /**
   * The classes to draw, for a conditional trainer: one class for every sample, an array of
   * one class per sample, or an int32 tensor `[count]` (not disposed). @defaultValue drawn
   * uniformly from `[0, classes)` with the seed or the sampling stream
   */
  labels?: number | number[] | tf.Tensor;
}

/**
 * Typed callbacks of {@link Trainer.fit}; each may return a promise, which is awaited.
 *
 * @category Training
 */
export interface FitCallbacks {
  /** Before the first step. */
  onTrainBegin?: () => void | Promise<void>;
  /** After every step, with its numbers. */
  onStepEnd?: (result: StepResult) => void | Promise<void>;
  /** For every warning a step raised (see {@link StepResult.warnings}). */
  onWarning?: (warning: TrainingWarning) => void | Promise<void>;
  /** After every full pass over the data; `epoch` is 1-based. */
  onEpochEnd?: (epoch: number) => void | Promise<void>;
  /** After the last step, with the summary. */
  onTrainEnd?: (summary: FitSummary) => void | Promise<void>;
}

/**
 * A real batch with its class labels, for a class-conditional {@link Trainer}.
 *
 * @category Training
 */
export type LabelledBatch = {
  /** Real samples `[batch, ...sample shape]`. */
  real: tf.Tensor;
  /** Their class indices, `[batch]` int32. */
  labels: tf.Tensor;
};

/**
 * The real data {@link Trainer.fit} trains on: an array or (async) iterable of batches, a
 * function that returns a fresh one for each epoch, a `tf.data.Dataset` of batches, or one
 * tensor `[count, ...sample shape]` of all samples, which `fit` shuffles (seeded by the
 * trainer) and cuts into batches of `FitOptions.batchSize` every epoch. For a conditional
 * trainer each batch is a {@link LabelledBatch} `{ real, labels }`, or the one tensor comes
 * with `FitOptions.labels`.
 *
 * @category Training
 */
export type FitData =
  | Iterable<tf.Tensor | LabelledBatch>
  | AsyncIterable<tf.Tensor | LabelledBatch>
  | (() => Iterable<tf.Tensor | LabelledBatch> | AsyncIterable<tf.Tensor | LabelledBatch>)
  | tf.data.Dataset<tf.Tensor | LabelledBatch>
  | tf.Tensor;

/**
 * Where and how often {@link Trainer.fit} saves checkpoints.
 *
 * @category Training
 */
export interface FitCheckpointOptions {
  /** Where to save, e.g. `checkpointDirectory(dir)` from `tfjs-gan/node`. */
  store: CheckpointStore;
  /** Save after every `every` steps (counted by the trainer), and when training ends. */
  every: number;
}

/**
 * Options of {@link Trainer.fit}.
 *
 * @category Training
 */
export interface FitOptions extends FitCallbacks {
  /**
   * Samples per batch when `data` is one tensor of all samples (required then; an
   * incomplete last batch is dropped). Ignored for other data.
   */
  batchSize?: number;
  /**
   * The class labels `[count]` int32 of the samples when `data` is one tensor (for a
   * conditional trainer); shuffled together with them. Only for that form of data.
   */
  labels?: tf.Tensor;
  /** Stop after this many steps. @defaultValue no limit */
  steps?: number;
  /** Stop after this many passes over the data. @defaultValue 1, or no limit when `steps` is set */
  epochs?: number;
  /**
   * Save a checkpoint to `store` every `every` steps and when training ends; on a
   * non-finite loss the last checkpoint is the last good state. @defaultValue off
   */
  checkpoint?: FitCheckpointOptions;
  /** Stop, after the current step, when this signal aborts. */
  signal?: AbortSignal;
  /**
   * Dispose each batch (and its labels) after its step. Batches from an array are the caller's and are never
   * disposed unless this is `true`; batches from any other iterable are disposed unless it is
   * `false`. @defaultValue `false` for arrays, `true` otherwise
   */
  disposeBatches?: boolean;
}

/**
 * What {@link Trainer.fit} did.
 *
 * @category Training
 */
export interface FitSummary {
  /** Steps run by this call. */
  steps: number;
  /** Full passes over the data completed by this call. */
  epochs: number;
  /** Why it stopped. */
  stoppedBy: 'steps' | 'epochs' | 'abort' | 'data';
  /** The last step's numbers, if any step ran. */
  last?: StepResult;
}
