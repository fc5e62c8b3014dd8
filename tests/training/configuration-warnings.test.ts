import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  DCGAN,
  draganPenaltyTerm,
  featureMatchingTerm,
  gradientPenaltyTerm,
  r1PenaltyTerm,
  r2PenaltyTerm,
  Trainer,
  wassersteinLoss,
  type LossTerm,
  type TrainingWarning,
} from '../../src';
import { track } from '../helpers/track';

/**
 * `G(z) = W z` from 1 to 2 features, and a critic 2 → 'hidden' (4) → norm 'norm' → 'logit' (1).
 * Names are fixed so the messages can be written out.
 */
function pair(norm: 'batch' | 'layer') {
  const generator = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [1], units: 2, kernelInitializer: 'ones' })],
  });
  const normLayer =
    norm === 'batch'
      ? tf.layers.batchNormalization({ name: 'norm' })
      : tf.layers.layerNormalization({ name: 'norm' });
  const discriminator = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 4, name: 'hidden' }),
      normLayer,
      tf.layers.dense({ units: 1, name: 'logit' }),
    ],
  });
  return { generator: track(generator), discriminator: track(discriminator) };
}

function trainer(norm: 'batch' | 'layer', discriminatorTerms: LossTerm[]): Trainer {
  return track(
    new Trainer({
      ...pair(norm),
      loss: wassersteinLoss,
      discriminatorTerms,
      generatorOptimizer: track(tf.train.sgd(0.01)),
      discriminatorOptimizer: track(tf.train.sgd(0.01)),
      seed: 1,
    }),
  );
}

const ONE_PENALTY: TrainingWarning = {
  kind: 'penalty-with-batch-norm',
  step: 0,
  message:
    "Batch normalisation in the discriminator (layer 'norm') makes each logit depend on the " +
    "whole batch, but the penalty term 'gradient-penalty' assumes each logit depends on its " +
    'own sample only, so it penalises the wrong gradients. Use layer or instance ' +
    "normalisation, or none, in the discriminator (e.g. DCGAN's discriminatorNorm: 'layer').",
};

describe('Trainer.configurationWarnings', () => {
  it('holds one warning, from construction on, for a gradient penalty on a batch-normalised critic', () => {
    expect(trainer('batch', [gradientPenaltyTerm()]).configurationWarnings).toEqual([ONE_PENALTY]);
  });

  it("delivers it once: in the first step's warnings and 'warning' event, never again", async () => {
    const gan = trainer('batch', [gradientPenaltyTerm()]);
    const events: TrainingWarning[] = [];
    gan.on('warning', (warning) => void events.push(warning));
    const real = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const first = await gan.step(real);
    const second = await gan.step(real);
    real.dispose();
    expect(first.warnings).toEqual([ONE_PENALTY]);
    expect(second.warnings).toEqual([]);
    expect(events).toEqual([ONE_PENALTY]);
    expect(gan.configurationWarnings).toEqual([ONE_PENALTY]);
  });

  it("reaches fit's onWarning exactly once", async () => {
    const gan = trainer('batch', [gradientPenaltyTerm()]);
    const real = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const seen: TrainingWarning[] = [];
    await gan.fit([real, real, real], { onWarning: (warning) => void seen.push(warning) });
    real.dispose();
    expect(seen).toEqual([ONE_PENALTY]);
  });

  it('names every batch-normalisation layer, nested ones by path, and every input-gradient penalty', () => {
    // A nested model holding a batch norm, and a TimeDistributed wrapper around another.
    const inner = tf.sequential({
      name: 'inner',
      layers: [
        tf.layers.dense({ inputShape: [3, 2], units: 2, name: 'innerDense' }),
        tf.layers.batchNormalization({ name: 'innerNorm' }),
      ],
    });
    const input = tf.input({ shape: [3, 2] });
    let x = inner.apply(input) as tf.SymbolicTensor;
    const wrapper = tf.layers.timeDistributed({
      layer: tf.layers.batchNormalization({ name: 'wrappedNorm' }),
      name: 'perStep',
    });
    x = wrapper.apply(x) as tf.SymbolicTensor;
    x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: 'outerNorm' }).apply(x) as tf.SymbolicTensor;
    const logit = tf.layers.dense({ units: 1 }).apply(x) as tf.SymbolicTensor;
    const discriminator = track(tf.model({ inputs: input, outputs: logit }));
    const generator = track(
      tf.sequential({ layers: [tf.layers.reshape({ inputShape: [6], targetShape: [3, 2] })] }),
    );
    const terms = [r1PenaltyTerm(), draganPenaltyTerm(), r2PenaltyTerm({ name: 'fake-r2' })];
    const { configurationWarnings } = track(
      new Trainer({ generator, discriminator, discriminatorTerms: terms }),
    );
    expect(configurationWarnings).toEqual([
      {
        kind: 'penalty-with-batch-norm',
        step: 0,
        message:
          "Batch normalisation in the discriminator (layers 'inner/innerNorm', " +
          "'perStep/wrappedNorm', 'outerNorm') makes each logit depend on the whole batch, but " +
          "the penalty terms 'r1', 'dragan', 'fake-r2' assume each logit depends on its own " +
          'sample only, so they penalise the wrong gradients. Use layer or instance ' +
          "normalisation, or none, in the discriminator (e.g. DCGAN's discriminatorNorm: " +
          "'layer').",
      },
    ]);
  });

  it('warns for a term of its own that declares itself an input-gradient penalty', () => {
    const mine: LossTerm = {
      name: 'mine',
      inputGradientPenalty: true,
      compute: () => tf.scalar(0),
    };
    const [warning] = trainer('batch', [mine]).configurationWarnings;
    expect(warning.message).toContain("the penalty term 'mine' assumes");
  });

  it('does not warn for a gradient penalty on a layer-normalised critic', async () => {
    const gan = trainer('layer', [gradientPenaltyTerm()]);
    expect(gan.configurationWarnings).toEqual([]);
    const real = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const result = await gan.step(real);
    real.dispose();
    expect(result.warnings).toEqual([]);
  });

  it('does not warn for batch normalisation without an input-gradient penalty', async () => {
    // Feature matching is a generator term on the critic's features, not on input gradients.
    const features = featureMatchingTerm({ layer: 'hidden' });
    expect(trainer('batch', []).configurationWarnings).toEqual([]);
    const gan = track(new Trainer({ ...pair('batch'), generatorTerms: [features], seed: 1 }));
    expect(gan.configurationWarnings).toEqual([]);
    const real = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const result = await gan.step(real);
    real.dispose();
    expect(result.warnings).toEqual([]);
  });

  it('does not warn for a DCGAN critic with layer normalisation, nor look into a function critic', () => {
    const gan = track(
      new DCGAN({
        imageShape: [16, 16, 1],
        latentDim: 4,
        baseFilters: 2,
        discriminatorNorm: 'layer',
      }),
    );
    const terms = [gradientPenaltyTerm()];
    const withLayerNorm = track(
      new Trainer({
        generator: gan.generator,
        discriminator: gan.discriminator,
        discriminatorTerms: terms,
      }),
    );
    expect(withLayerNorm.configurationWarnings).toEqual([]);
    const w = track(tf.variable(tf.zeros([256, 1])));
    const critic = (x: tf.Tensor) => tf.matMul(tf.reshape(x, [-1, 256]), w);
    const withFunction = track(
      new Trainer({
        generator: gan.generator,
        discriminator: critic,
        discriminatorVariables: [w],
        discriminatorTerms: terms,
      }),
    );
    expect(withFunction.configurationWarnings).toEqual([]);
  });
});

describe('input-gradient penalty terms', () => {
  it('declare themselves; feature matching does not', () => {
    const terms = [gradientPenaltyTerm(), draganPenaltyTerm(), r1PenaltyTerm(), r2PenaltyTerm()];
    expect(terms.map((term) => term.inputGradientPenalty)).toEqual([true, true, true, true]);
    expect(featureMatchingTerm({ layer: 0 }).inputGradientPenalty).toBeUndefined();
  });
});
