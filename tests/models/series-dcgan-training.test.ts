import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { frequencyDistance, noisySines, SeriesDCGAN, Trainer } from '../../src';
import { expectNoLeaks } from '../helpers/leaks';
import { track } from '../helpers/track';

function tinyTrainer(seed = 1, learningRate = 2e-4) {
  const gan = track(
    new SeriesDCGAN({
      length: 16,
      latentDim: 8,
      baseFilters: 8,
      discriminatorNorm: 'none',
      seed,
    }),
  );
  const trainer = track(
    new Trainer({
      generator: gan.generator,
      discriminator: gan.discriminator,
      generatorOptimizer: track(tf.train.adam(learningRate, 0.5)),
      discriminatorOptimizer: track(tf.train.adam(learningRate, 0.5)),
      seed,
    }),
  );
  return { gan, trainer };
}

describe('SeriesDCGAN', () => {
  it('trains with the unchanged Trainer on rank-3 batches without leaking tensors', async () => {
    const { trainer } = tinyTrainer();
    const real = track(noisySines({ count: 8, length: 16, seed: 2 }));
    await trainer.step(real); // the first step creates Adam's moment slots
    await expectNoLeaks(async () => {
      for (let i = 0; i < 5; i++) await trainer.step(real);
    });
    expect(trainer.stepCount).toBe(6);
    const samples = track(trainer.sample(3));
    expect(samples.shape).toEqual([3, 16, 1]);
  });

  it('gets realRange [-1, 1] from its tanh output and the shape check from its input', async () => {
    const { trainer } = tinyTrainer();
    // 1.5 lies outside the [-1, 1] of a tanh generator.
    const loud = track(tf.fill([4, 16, 1], 1.5));
    await expect(trainer.step(loud)).rejects.toThrow(
      new RangeError(
        'Trainer.step: real must have values in [-1, 1], got values in [1.5, 1.5]; scale ' +
          '8-bit images with imagesToTensor, or set realRange.',
      ),
    );
    const long = track(tf.zeros([4, 32, 1]));
    await expect(trainer.step(long)).rejects.toThrow(
      new RangeError(
        "Trainer.step: real must have shape [?,16,1] (the discriminator's input), got [4,32,1].",
      ),
    );
  });

  it('moves the distribution of generated frequencies towards the real one', async () => {
    const { trainer } = tinyTrainer(1, 5e-4);
    const family = { length: 16, frequencyRange: [4, 6] as [number, number] };
    const real = track(noisySines({ count: 512, ...family, seed: 3 }));
    const heldOut = track(noisySines({ count: 256, ...family, seed: 4 }));
    const distance = async () => {
      const fake = trainer.sample(256, 5);
      const { wasserstein } = await frequencyDistance(heldOut, fake);
      fake.dispose();
      return wasserstein;
    };
    const untrained = await distance();
    await trainer.fit(real, { batchSize: 32, steps: 50 });
    const trained = await distance();
    // The real frequencies are U[4, 6] (mean 5); W1 >= |mean difference|, so an untrained
    // generator whose frequencies sit low (near 1 to 3 cycles) is more than 2 cycles away.
    // Halving that distance needs the generated mean to move halfway towards 5 at least.
    expect(untrained).toBeGreaterThan(2);
    expect(trained).toBeLessThan(untrained / 2);
  });
});
