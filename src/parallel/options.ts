import * as tf from '@tensorflow/tfjs';

import { checkBoolean, checkInteger, checkOneOf, describeValue } from '../errors';
import { resolveOptions, type TrainingSetup } from '../training/options';
import type { TrainerOptions } from '../training/types';
import type { OptimizerRecipe } from './protocol';
import { lossName, optimizerRecipe } from './recipe';

/**
 * Options of {@link ParallelTrainer.create}: the {@link tfjs-gan!TrainerOptions} that data-parallel
 * training reproduces, plus where and how to run the workers.
 *
 * @category Training
 */
export interface ParallelTrainerOptions extends Pick<
  TrainerOptions,
  | 'latentDim'
  | 'seed'
  | 'discriminatorSteps'
  | 'generatorSteps'
  | 'realRange'
  | 'trainingKernels'
  | 'generatorOptimizer'
  | 'discriminatorOptimizer'
  | 'loss'
> {
  /**
   * The generator, a `tf.LayersModel` taking `[batch, latentDim]`. Each worker gets a copy of
   * its architecture and weights; this model is only updated by
   * {@link ParallelTrainer.syncModels}. Layers must be TensorFlow.js's or this library's.
   */
  generator: tf.LayersModel;
  /** The discriminator, a `tf.LayersModel`; copied to each worker like the generator. */
  discriminator: tf.LayersModel;
  /**
   * The library's loss pairs whose value is a mean over samples: `nonSaturatingLoss`,
   * `minimaxLoss`, `crossEntropyLoss({ labelSmoothing })`, `wassersteinLoss`, `hingeLoss`,
   * `leastSquaresLoss`. @defaultValue {@link tfjs-gan!nonSaturatingLoss}
   */
  loss?: TrainerOptions['loss'];
  /**
   * Fresh optimisers whose class and settings every worker copies (the objects themselves are
   * never stepped). @defaultValue `tf.train.adam(2e-4, 0.5)` for each network
   */
  generatorOptimizer?: tf.Optimizer;
  /** See `generatorOptimizer`. @defaultValue `tf.train.adam(2e-4, 0.5)` */
  discriminatorOptimizer?: tf.Optimizer;
  /**
   * Install the library's training kernels in every worker's backend (see the Trainer's
   * option of the same name). @defaultValue true
   */
  trainingKernels?: boolean;
  /** How many worker threads; each takes an equal share of every batch. @defaultValue 2 */
  workers?: number;
  /**
   * The backend of every worker: `'wasm'` (needs `@tensorflow/tfjs-backend-wasm` installed)
   * or `'cpu'`. The main thread's backend is not used for training. @defaultValue 'wasm'
   */
  backend?: 'wasm' | 'cpu';
  /**
   * Longest wait, in milliseconds, for a worker's answer to one request (start-up, one
   * network's gradients, one update); past it the step rejects and the workers are stopped.
   * @defaultValue 300000
   */
  timeout?: number;
}

/** The checked options, with defaults. */
export interface ParallelSetup {
  /** The Trainer's own resolution of the shared options (shapes, loss, steps, range). */
  training: TrainingSetup;
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  generatorOptimizer: OptimizerRecipe;
  discriminatorOptimizer: OptimizerRecipe;
  /** The loss pair's name, from which each worker rebuilds it. */
  loss: string;
  workers: number;
  backend: 'wasm' | 'cpu';
  timeout: number;
  trainingKernels: boolean;
  seed: number | string;
}

const OWN_OPTIONS = ['generator', 'discriminator', 'workers', 'backend', 'timeout'];
const SHARED_OPTIONS = [
  'latentDim',
  'seed',
  'discriminatorSteps',
  'generatorSteps',
  'realRange',
  'trainingKernels',
  'generatorOptimizer',
  'discriminatorOptimizer',
  'loss',
];

function checkModel(name: string, value: unknown): tf.LayersModel {
  if (!(value instanceof tf.LayersModel)) {
    throw new TypeError(
      `ParallelTrainer: ${name} must be a tf.LayersModel (functions cannot be copied to ` +
        `workers), got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * The Trainer's default, `tf.train.adam(2e-4, 0.5)`, as a recipe: leaving `epsilon` out lets
 * each worker take its backend's, as the Trainer's Adam does.
 */
const DEFAULT_OPTIMIZER: OptimizerRecipe = {
  className: 'Adam',
  config: { learningRate: 2e-4, beta1: 0.5, beta2: 0.999 },
};

function optimizer(name: string, value: unknown): OptimizerRecipe {
  return value === undefined ? DEFAULT_OPTIMIZER : optimizerRecipe('ParallelTrainer', name, value);
}

/** Checks {@link ParallelTrainerOptions}; a Trainer option it cannot reproduce throws. */
export function resolveParallelOptions(options: ParallelTrainerOptions): ParallelSetup {
  const where = 'ParallelTrainer';
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object, got ${describeValue(options)}.`);
  }
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || OWN_OPTIONS.includes(key) || SHARED_OPTIONS.includes(key)) continue;
    throw new RangeError(
      `${where}: option '${key}' is not supported by data-parallel training; supported are ` +
        `${[...OWN_OPTIONS, ...SHARED_OPTIONS].map((k) => `'${k}'`).join(', ')}. ` +
        'Use Trainer for it.',
    );
  }
  const generator = checkModel('generator', options.generator);
  const discriminator = checkModel('discriminator', options.discriminator);
  const shared = Object.fromEntries(SHARED_OPTIONS.map((k) => [k, (options as never)[k]]));
  const training = resolveOptions({ ...shared, generator, discriminator } as TrainerOptions);
  if (training.conditioning) {
    throw new RangeError(
      `${where}: class-conditional networks (a generator taking [z, labels]) are not ` +
        'supported by data-parallel training; use Trainer for them.',
    );
  }
  return {
    training,
    generator,
    discriminator,
    generatorOptimizer: optimizer('generatorOptimizer', options.generatorOptimizer),
    discriminatorOptimizer: optimizer('discriminatorOptimizer', options.discriminatorOptimizer),
    loss: lossName(where, training.loss),
    workers: checkInteger(where, 'workers', options.workers ?? 2, 1),
    backend: checkOneOf(where, 'backend', options.backend ?? 'wasm', ['wasm', 'cpu'] as const),
    timeout: checkInteger(where, 'timeout', options.timeout ?? 300_000, 1),
    trainingKernels: checkBoolean(where, 'trainingKernels', options.trainingKernels ?? true),
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
  };
}
