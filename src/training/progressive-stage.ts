import * as tf from '@tensorflow/tfjs';

import { checkShape, describeValue } from '../errors';
import type { ProgressiveGAN } from '../models/progressive-gan';
import type { ProgressiveTrainerOptions } from './progressive-types';
import { Trainer } from './trainer';
import type { TrainerOptions } from './types';

/** The options a ProgressiveTrainer takes: its own and those it passes to each stage's Trainer. */
export const OPTION_KEYS = [
  'gan',
  'schedule',
  'generatorOptimizer',
  'discriminatorOptimizer',
  'fadeReals',
  'loss',
  'discriminatorTerms',
  'generatorTerms',
  'latentSampler',
  'seed',
  'discriminatorSteps',
  'generatorSteps',
  'weightClipping',
  'emaDecay',
  'realRange',
  'labelTricks',
  'instanceNoise',
  'collapseDetector',
  'failureDetector',
  'trainingKernels',
];

/**
 * The Trainer of one stage: the trainer options as given, the stage's networks, fresh
 * optimisers from the factories (added to `owned`, which the caller disposes), the stage's
 * seed, and real images checked to lie in [-1, 1] unless `realRange` says otherwise.
 */
export function stageTrainer(
  where: string,
  gan: ProgressiveGAN,
  options: Omit<ProgressiveTrainerOptions, 'gan' | 'schedule'>,
  seed: string,
  owned: tf.Optimizer[],
): Trainer {
  const { generatorOptimizer, discriminatorOptimizer, fadeReals: _, ...trainer } = options;
  const make = (factory: (() => tf.Optimizer) | undefined, name: string) => {
    if (factory === undefined) return undefined;
    const optimizer = factory();
    if (!(optimizer instanceof tf.Optimizer)) {
      throw new TypeError(
        `${where}: ${name} must return a tf.Optimizer, got ${describeValue(optimizer)}.`,
      );
    }
    owned.push(optimizer);
    return optimizer;
  };
  const stageOptions: TrainerOptions = {
    ...trainer,
    generator: gan.generator,
    discriminator: gan.discriminator,
    generatorOptimizer: make(generatorOptimizer, 'generatorOptimizer'),
    discriminatorOptimizer: make(discriminatorOptimizer, 'discriminatorOptimizer'),
    seed,
    realRange: trainer.realRange === undefined ? [-1, 1] : trainer.realRange,
  };
  return new Trainer(stageOptions);
}

/** Checks full-resolution real batches, `[batch, size, size, channels]`, one or a list. */
export function checkFullBatches(
  where: string,
  real: unknown,
  imageShape: readonly number[],
): tf.Tensor[] {
  const batches = Array.isArray(real) ? real : [real];
  const [size, , channels] = imageShape;
  batches.forEach((batch, i) => {
    const name = Array.isArray(real) ? `real[${i}]` : 'real';
    if (!(batch instanceof tf.Tensor)) {
      throw new TypeError(`${where}: ${name} must be a tf.Tensor, got ${describeValue(batch)}.`);
    }
    checkShape(where, name, batch.shape, [null, size, size, channels]);
  });
  return batches as tf.Tensor[];
}
