/**
 * What crosses the thread boundary at start-up: networks as topology + weights, optimisers as
 * class name + config, losses by name. Written on the main thread, read in each worker.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { describeValue } from '../errors';
import { crossEntropyLoss, minimaxLoss, nonSaturatingLoss } from '../losses/cross-entropy';
import { separateBiasAdds } from '../layers/separate-bias';
import { hingeLoss } from '../losses/hinge';
import { leastSquaresLoss } from '../losses/least-squares';
import type { AdversarialLoss } from '../losses/types';
import { wassersteinLoss } from '../losses/wasserstein';
import type { ModelRecipe, OptimizerRecipe } from './protocol';

/**
 * The loss pairs a data-parallel step reproduces exactly: each is a mean over samples of a
 * per-sample value, so the batch loss is the share-weighted sum of the shard losses. The
 * relativistic pairs compare each sample with the other batch's mean, which a shard does not
 * have, so they are not here.
 */
const FIXED_LOSSES: readonly AdversarialLoss[] = [
  nonSaturatingLoss,
  minimaxLoss,
  wassersteinLoss,
  hingeLoss,
  leastSquaresLoss,
];
const SMOOTHED = /^(non-saturating|minimax), labelSmoothing ([0-9.e+-]+)$/;

/** The name a worker rebuilds `loss` from; throws for a loss it cannot rebuild. */
export function lossName(where: string, loss: AdversarialLoss): string {
  if (FIXED_LOSSES.includes(loss)) return loss.name;
  const name = (loss as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && SMOOTHED.test(name)) return name;
  const names = FIXED_LOSSES.map((l) => `'${l.name}'`).join(', ');
  throw new RangeError(
    `${where}: loss must be one of the library's pairs ${names} or crossEntropyLoss(...), ` +
      `got ${typeof name === 'string' ? `'${name}'` : describeValue(loss)}.`,
  );
}

/** The loss pair of a name from {@link lossName}. */
export function lossFromName(name: string): AdversarialLoss {
  const fixed = FIXED_LOSSES.find((l) => l.name === name);
  if (fixed) return fixed;
  const smoothed = SMOOTHED.exec(name);
  if (!smoothed) throw new RangeError(`ParallelTrainer worker: unknown loss '${name}'.`);
  const generator = smoothed[1] as 'non-saturating' | 'minimax';
  return crossEntropyLoss({ generator, labelSmoothing: Number(smoothed[2]) });
}

/** Reads a layers model's topology and all its weights (batch-norm statistics included). */
export async function modelRecipe(model: tf.LayersModel): Promise<ModelRecipe> {
  const topology = model.toJSON(null, false) as object;
  const weights = await Promise.all(
    model.weights.map(async (w) => new Float32Array(await w.read().data())),
  );
  return { topology, weights };
}

/** Rebuilds a model from {@link modelRecipe}; its layers must be registered in this thread. */
export async function modelFromRecipe(recipe: ModelRecipe): Promise<tf.LayersModel> {
  type Artifacts = Parameters<typeof tf.models.modelFromJSON>[0];
  const model = await tf.models.modelFromJSON({ modelTopology: recipe.topology } as Artifacts);
  setModelWeights(model, recipe.weights);
  // The main thread's models are the library's, built with separate bias adds; so are these.
  return separateBiasAdds(model);
}

/** Sets every weight of `model` (in `model.weights` order) from float32 values. */
export function setModelWeights(model: tf.LayersModel, values: Float32Array[]): void {
  const tensors = model.weights.map((w, i) => tf.tensor(values[i], w.shape as number[]));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/**
 * A fresh optimiser's class name and settings. A stepped optimiser has moments the workers
 * would not get, so it is refused.
 */
export function optimizerRecipe(where: string, name: string, optimizer: unknown): OptimizerRecipe {
  if (!(optimizer instanceof tf.Optimizer)) {
    throw new TypeError(
      `${where}: ${name} must be a tf.Optimizer, got ${describeValue(optimizer)}.`,
    );
  }
  if (optimizer.iterations !== 0) {
    throw new RangeError(
      `${where}: ${name} must be a fresh optimiser (its settings are copied to every worker), ` +
        `got one that has run ${optimizer.iterations} updates.`,
    );
  }
  return { className: optimizer.getClassName(), config: { ...optimizer.getConfig() } };
}

/** Builds the optimiser of a {@link optimizerRecipe} through tfjs's class registry. */
export function optimizerFromRecipe(recipe: OptimizerRecipe): tf.Optimizer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[recipe.className];
  if (!entry) {
    throw new RangeError(`ParallelTrainer worker: unknown optimiser class '${recipe.className}'.`);
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, recipe.config as tf.serialization.ConfigDict) as tf.Optimizer;
}
