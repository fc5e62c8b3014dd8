/**
 * One mixture training run of the quality bench: an MLP GAN trained on the ring or the grid
 * with a recipe, then scored on 2,500 samples with mixtureQuality.
 */
import * as tf from '@tensorflow/tfjs';

import { gridMixture, ringMixture, type GaussianMixture } from '../../src/data/mixtures';
import type { LabelTricks } from '../../src/hacks/labels';
import { mixtureQuality, type MixtureQuality } from '../../src/metrics/mixture';
import { MlpGAN, type MlpGANOptions } from '../../src/models/mlp-gan';
import { Trainer } from '../../src/training/trainer';

/** A named way of training: the MLP GAN's options and the Trainer's tricks. */
export interface MixtureRecipe {
  name: string;
  model: Omit<MlpGANOptions, 'dataShape' | 'seed'>;
  labelTricks?: LabelTricks;
  learningRate: number;
  beta1: number;
  batchSize: number;
  /**
   * Finish with a lower learning rate: the last `fraction` of the steps run with fresh Adam
   * optimisers at `learningRate` (a step decay, through a second Trainer on the same models).
   */
  decay?: { fraction: number; learningRate: number };
  /** Discriminator updates per step (Trainer option). @defaultValue 1 */
  discriminatorSteps?: number;
  /** Sample from an exponential moving average of the generator (Trainer option). */
  emaDecay?: number;
}

export interface MixtureRunResult extends MixtureQuality {
  seconds: number;
}

export function mixtureByName(name: 'ring' | 'grid'): GaussianMixture {
  return name === 'ring' ? ringMixture() : gridMixture();
}

/** Trains `recipe` for `steps` on `mixture` from `seed` and scores `samples` draws. */
export async function runMixture(
  mixture: GaussianMixture,
  recipe: MixtureRecipe,
  steps: number,
  seed: number,
  samples = 2500,
): Promise<MixtureRunResult> {
  const started = performance.now();
  const gan = new MlpGAN({ ...recipe.model, dataShape: [2], seed });
  const data = mixture.batches(recipe.batchSize, `data:${seed}`);
  const phases: [number, number][] = recipe.decay
    ? [
        [recipe.learningRate, steps - Math.round(steps * recipe.decay.fraction)],
        [recipe.decay.learningRate, Math.round(steps * recipe.decay.fraction)],
      ]
    : [[recipe.learningRate, steps]];
  let trainer: Trainer | undefined;
  const optimizers: tf.Optimizer[] = [];
  for (const [learningRate, phaseSteps] of phases) {
    trainer?.dispose();
    const [g, d] = [
      tf.train.adam(learningRate, recipe.beta1),
      tf.train.adam(learningRate, recipe.beta1),
    ];
    optimizers.push(g, d);
    trainer = new Trainer({
      generator: gan.generator,
      discriminator: gan.discriminator,
      generatorOptimizer: g,
      discriminatorOptimizer: d,
      labelTricks: recipe.labelTricks,
      discriminatorSteps: recipe.discriminatorSteps,
      emaDecay: recipe.emaDecay,
      seed: `${seed}:${learningRate}`,
    });
    if (phaseSteps > 0) await trainer.fit(data, { steps: phaseSteps });
  }
  const points = trainer!.sample(samples, seed + 1);
  const quality = await mixtureQuality(points, mixture);
  points.dispose();
  trainer!.dispose();
  for (const optimizer of optimizers) optimizer.dispose();
  gan.dispose();
  return { ...quality, seconds: (performance.now() - started) / 1000 };
}
