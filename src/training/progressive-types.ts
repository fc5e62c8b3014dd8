import type * as tf from '@tensorflow/tfjs';

import type { ProgressiveGAN } from '../models/progressive-gan';
import type { ProgressiveSchedule } from './progressive-schedule';
import type { FitOptions, FitSummary, StepResult, TrainerOptions } from './types';

/**
 * Options of {@link ProgressiveTrainer}: the model, the schedule, and the {@link Trainer}
 * options that every stage's Trainer gets.
 *
 * @category Training
 */
export interface ProgressiveTrainerOptions extends Omit<
  TrainerOptions,
  | 'generator'
  | 'discriminator'
  | 'generatorVariables'
  | 'discriminatorVariables'
  | 'latentDim'
  | 'generatorOptimizer'
  | 'discriminatorOptimizer'
  | 'replay'
> {
  /** The networks to grow, at stage 0 (as built). */
  gan: ProgressiveGAN;
  /** How many steps each stage fades and trains; see {@link ProgressiveSchedule}. */
  schedule: ProgressiveSchedule;
  /**
   * Makes the generator's optimiser, once per stage (each stage has new variables, so each
   * gets a fresh optimiser). @defaultValue the Trainer's, `tf.train.adam(2e-4, 0.5)`
   */
  generatorOptimizer?: () => tf.Optimizer;
  /** Makes the discriminator's optimiser, once per stage. @defaultValue as the generator's */
  discriminatorOptimizer?: () => tf.Optimizer;
  /**
   * During a fade, mix the real images with their own 2× coarser version as the generator's
   * output is, `(1 − α)·upsample(avgPool(x)) + α·x`, as the paper's code does; `false` feeds
   * the plain average-pooled images. @defaultValue true
   */
  fadeReals?: boolean;
}

/**
 * What one {@link ProgressiveTrainer.step} did: the stage Trainer's {@link StepResult}, with
 * `step` counted over the whole schedule, and where in the schedule the step was.
 *
 * @category Training
 */
export interface ProgressiveStepResult extends StepResult {
  /** 1-based index of the step over the whole schedule. */
  step: number;
  /** The stage the step trained, 0 for 4×4. */
  stage: number;
  /** The side of the stage's images. */
  resolution: number;
  /** 1-based index of the step within its stage. */
  stageStep: number;
  /** The fade weight the step trained at. */
  alpha: number;
  /** `'fade'` while `α` rises, `'stable'` at `α = 1` (always at 4×4). */
  phase: 'fade' | 'stable';
}

/**
 * A stage that {@link ProgressiveTrainer.fit} has finished.
 *
 * @category Training
 */
export interface ProgressiveStageEnd {
  /** The stage, 0 for 4×4. */
  stage: number;
  /** The side of its images. */
  resolution: number;
  /** The global step (1-based) of its last step. */
  step: number;
}

/**
 * Options of {@link ProgressiveTrainer.fit}: those of {@link Trainer.fit}, with the step
 * results carrying the stage, and a callback at the end of each stage.
 *
 * @category Training
 */
export interface ProgressiveFitOptions extends Omit<FitOptions, 'onStepEnd' | 'steps'> {
  /**
   * Stop after this many steps. @defaultValue the steps left in the schedule
   */
  steps?: number;
  /** After every step, with its numbers and place in the schedule. */
  onStepEnd?: (result: ProgressiveStepResult) => void | Promise<void>;
  /** After the last step of each stage, before the next step grows the networks. */
  onStageEnd?: (stage: ProgressiveStageEnd) => void | Promise<void>;
}

/**
 * What {@link ProgressiveTrainer.fit} did.
 *
 * @category Training
 */
export interface ProgressiveFitSummary extends FitSummary {
  /** The last step's numbers, if any step ran. */
  last?: ProgressiveStepResult;
}
