import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  CollapseDetector,
  ExperienceReplay,
  FailureDetector,
  Trainer,
  linearDecay,
  wassersteinLoss,
  type LatentSampler,
  type TrainingWarning,
} from '../../src';
import { track } from '../helpers/track';

const ones: LatentSampler = (n, d) => tf.ones([n, d]);

/** `G(z) = k·z` (k = 0) and `D(x) = w·x + b` with w = 0 and the given bias. */
function linearPair(bias = 0) {
  const generator = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [1], units: 1, useBias: false, kernelInitializer: 'zeros' }),
    ],
  });
  const discriminator = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [1],
        units: 1,
        kernelInitializer: 'zeros',
        biasInitializer: tf.initializers.constant({ value: bias }),
      }),
    ],
  });
  return { generator: track(generator), discriminator: track(discriminator) };
}
const frozen = () => ({
  generatorOptimizer: tf.train.sgd(0),
  discriminatorOptimizer: tf.train.sgd(0),
});

describe('Trainer with labelTricks', () => {
  it('uses the softened real targets in the discriminator loss, and only there', async () => {
    const { generator, discriminator } = linearPair(2);
    const trainer = track(
      new Trainer({
        generator,
        discriminator,
        latentSampler: ones,
        ...frozen(),
        labelTricks: { smoothing: 0.1 },
      }),
    );
    const real = tf.ones([3, 1]);
    const result = await trainer.step(real);
    real.dispose();
    // Every logit is the bias 2. Cross-entropy with target t: max(x,0) - x·t + log(1 + e^-|x|).
    // Real, t = 0.9: 2 - 1.8 + 0.126928 = 0.326928; fake, t = 0: 2 + 0.126928 = 2.126928.
    // L_D = 0.326928 + 2.126928 = 2.453856 (plain targets would give 0.126928 + 2.126928).
    expect(result.discriminatorLoss).toBeCloseTo(2.453856, 5);
    // The generator's target stays 1: softplus(-2) = 0.126928.
    expect(result.generatorLoss).toBeCloseTo(0.126928, 5);
  });

  it('is refused with a loss that has no targets', () => {
    const { generator, discriminator } = linearPair();
    expect(
      () =>
        new Trainer({
          generator,
          discriminator,
          loss: wassersteinLoss,
          labelTricks: { smoothing: 0.1 },
        }),
    ).toThrow(
      "Trainer: labelTricks needs a cross-entropy loss ('non-saturating' or 'minimax'), " +
        "got loss 'wasserstein'.",
    );
  });
});

describe('Trainer with instanceNoise', () => {
  it('follows the schedule and changes what the discriminator sees', async () => {
    const { generator, discriminator } = linearPair();
    // w = 1 so the logits are the (noisy) inputs themselves.
    discriminator.setWeights([tf.ones([1, 1]), tf.zeros([1])]);
    const schedule = linearDecay({ start: 0.4, end: 0, steps: 4 });
    const trainer = track(
      new Trainer({
        generator,
        discriminator,
        latentSampler: ones,
        ...frozen(),
        instanceNoise: schedule,
        seed: 1,
      }),
    );
    const real = tf.zeros([16, 1]);
    const sigmas: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await trainer.step(real);
      sigmas.push(r.instanceNoise!);
      scores.push(r.realScore);
    }
    real.dispose();
    // Linear from 0.4 to 0 over 4 steps: 0.4 - 0.1·step.
    expect(sigmas[0]).toBeCloseTo(0.4, 6);
    expect(sigmas[1]).toBeCloseTo(0.3, 6);
    expect(sigmas[2]).toBeCloseTo(0.2, 6);
    // Without noise every real logit is 0 and the score sigmoid(0) = 0.5 exactly; with noise
    // the 16 logits are N(0, 0.4²) draws, whose mean sigmoid is not exactly 0.5.
    expect(scores[0]).not.toBe(0.5);
    expect(Math.abs(scores[0] - 0.5)).toBeLessThan(0.2);
  });
});

describe('Trainer with replay', () => {
  it('fills the pool up to its capacity and keeps the tensor count flat after that', async () => {
    const { generator, discriminator } = linearPair();
    const replay = track(new ExperienceReplay({ capacity: 4, probability: 1 }));
    const trainer = track(
      new Trainer({ generator, discriminator, latentSampler: ones, replay, seed: 2 }),
    );
    const real = tf.ones([2, 1]);
    await trainer.step(real);
    expect(replay.size).toBe(2); // one batch of 2 pushed
    await trainer.step(real);
    const countWhenFull = tf.memory().numTensors;
    expect(replay.size).toBe(4);
    for (let i = 0; i < 5; i++) await trainer.step(real);
    expect(replay.size).toBe(4);
    expect(tf.memory().numTensors).toBe(countWhenFull);
    real.dispose();
  });
});

describe('Trainer with discriminatorSteps', () => {
  it('makes k discriminator updates per step, and fit draws k batches per step', async () => {
    const { generator, discriminator } = linearPair();
    const dOptimizer = tf.train.sgd(0.01);
    const gOptimizer = tf.train.sgd(0.01);
    let dUpdates = 0;
    let gUpdates = 0;
    const countD = dOptimizer.applyGradients.bind(dOptimizer);
    const countG = gOptimizer.applyGradients.bind(gOptimizer);
    dOptimizer.applyGradients = (g) => void (dUpdates++, countD(g));
    gOptimizer.applyGradients = (g) => void (gUpdates++, countG(g));
    const trainer = track(
      new Trainer({
        generator,
        discriminator,
        discriminatorSteps: 3,
        discriminatorOptimizer: dOptimizer,
        generatorOptimizer: gOptimizer,
      }),
    );
    let drawn = 0;
    function* batches() {
      for (;;) {
        drawn++;
        yield tf.ones([2, 1]);
      }
    }
    const summary = await trainer.fit(batches, { steps: 4 });
    // 4 steps × 3 discriminator updates = 12, one generator update per step = 4, and one real
    // batch per discriminator update = 12 batches.
    expect(summary.steps).toBe(4);
    expect(dUpdates).toBe(12);
    expect(gUpdates).toBe(4);
    expect(drawn).toBe(12);
  });
});

describe('Trainer with detectors', () => {
  it('warns through the step result and fit when the samples collapse', async () => {
    const { generator, discriminator } = linearPair();
    // G(z) = 0·z: every fake sample is 0, diversity 0, while the real batch varies.
    const trainer = track(
      new Trainer({
        generator,
        discriminator,
        ...frozen(),
        collapseDetector: new CollapseDetector({ threshold: 0.5, window: 2 }),
      }),
    );
    const real = tf.tensor2d([[1], [2], [3], [4]]);
    const warnings: TrainingWarning[] = [];
    const summary = await trainer.fit([real, real, real], {
      onWarning: (w) => void warnings.push(w),
    });
    real.dispose();
    // Ratio 0 / diversity(real) = 0 < 0.5; the window of 2 is full at the second step
    // (0-based step 1) and the detector warns once per episode.
    expect(warnings.map((w) => [w.kind, w.step])).toEqual([['mode-collapse', 1]]);
    expect(summary.last!.warnings).toEqual([]);
  });

  it('warns when the discriminator loss stays low', async () => {
    const { generator, discriminator } = linearPair();
    const trainer = track(
      new Trainer({
        generator,
        discriminator,
        ...frozen(),
        failureDetector: new FailureDetector({ threshold: 10, patience: 2 }),
      }),
    );
    const real = tf.ones([2, 1]);
    // L_D = 2·ln 2 = 1.386 < 10 at every step: the second consecutive one warns.
    const first = await trainer.step(real);
    const second = await trainer.step(real);
    real.dispose();
    expect(first.warnings).toEqual([]);
    expect(second.warnings.map((w) => w.kind)).toEqual(['discriminator-wins']);
  });
});
