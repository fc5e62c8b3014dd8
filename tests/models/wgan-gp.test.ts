import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';

import {
  Trainer,
  WganGp,
  wassersteinLoss,
  type DCGANOptions,
  type LossTermContext,
  type WganGpOptions,
} from '../../src';
import { expectNoLeaks } from '../helpers/leaks';

const built: WganGp[] = [];
afterEach(() => {
  for (const wgan of built.splice(0)) wgan.dispose();
});

/** 16 = 4·2²: two stages, so the critic's second convolution has a norm (the first never has). */
function tinyDcgan(ganOptions: Partial<DCGANOptions> = {}, options?: WganGpOptions): WganGp {
  const wgan = WganGp.dcgan(
    { imageShape: [16, 16, 1], latentDim: 4, baseFilters: 2, seed: 1, ...ganOptions },
    options,
  );
  built.push(wgan);
  return wgan;
}

const classNames = (model: tf.LayersModel) => model.layers.map((l) => l.getClassName());

describe('WganGp.dcgan', () => {
  it('builds a critic without normalisation and with a linear output by default', () => {
    const { gan } = tinyDcgan();
    const critic = classNames(gan.discriminator);
    expect(gan.options.discriminatorNorm).toBe('none');
    // Conv, leaky ReLU for each of the two stages, then flatten and the dense logit.
    expect(critic).toEqual([
      'InputLayer',
      'Conv2D',
      'LeakyReLU',
      'Conv2D',
      'LeakyReLU',
      'Flatten',
      'Dense',
    ]);
    const activations = gan.discriminator.layers.map((l) => l.getConfig().activation);
    expect(activations).not.toContain('sigmoid');
    const last = gan.discriminator.layers[gan.discriminator.layers.length - 1];
    expect([last.getClassName(), last.getConfig().activation]).toEqual(['Dense', 'linear']);
    expect(gan.discriminator.outputs[0].shape).toEqual([null, 1]);
    // The generator keeps the DCGAN's batch normalisation, as in Gulrajani et al.
    expect(classNames(gan.generator)).toContain('BatchNormalization');
  });

  it.each([
    ['layer', 'LayerNormalization'],
    ['instance', 'InstanceNormalization'],
    ['pixel', 'PixelNormalization'],
  ] as const)('keeps the critic norm %s when asked for it', (norm, className) => {
    const { gan } = tinyDcgan({ discriminatorNorm: norm });
    const critic = classNames(gan.discriminator);
    // One norm: on the second of the two stages (the first never has one).
    expect(critic.filter((name) => name === className)).toHaveLength(1);
    expect(critic).not.toContain('BatchNormalization');
  });

  it('gives the Trainer the Wasserstein loss, a gradient penalty of weight 10, five critic steps and Adam(1e-4, 0, 0.9)', () => {
    const wgan = tinyDcgan();
    const options = wgan.trainerOptions;
    expect(options.generator).toBe(wgan.gan.generator);
    expect(options.discriminator).toBe(wgan.gan.discriminator);
    expect(options.loss).toBe(wassersteinLoss);
    expect(options.discriminatorSteps).toBe(5);
    expect(
      options.discriminatorTerms.map((t) => [t.name, t.every, t.inputGradientPenalty]),
    ).toEqual([['gradient-penalty', 1, true]]);
    // The weight, read through the term's value: a linear critic D(x) = 2·x₂ has ∇D = [0, 2]
    // everywhere, so the penalty is λ·(sqrt(‖∇D‖² + 1e-10) - 1)² = λ·(2 - 1)² = λ = 10.
    const critic = (x: tf.Tensor) => tf.mul(2, tf.slice(x, [0, 1], [-1, 1]));
    const real = tf.tensor2d([[1, 2]]);
    const fake = tf.tensor2d([[-1, 0]]);
    const context = { discriminator: critic, real, fake, seed: 1 } as unknown as LossTermContext;
    const penalty = options.discriminatorTerms[0].compute(context);
    expect(penalty.dataSync()[0]).toBeCloseTo(10, 4);
    tf.dispose([real, fake, penalty]);
    const { generatorOptimizer, discriminatorOptimizer } = options;
    expect(generatorOptimizer).not.toBe(discriminatorOptimizer);
    for (const optimizer of [generatorOptimizer, discriminatorOptimizer]) {
      expect(optimizer.getClassName()).toBe('Adam');
      expect(optimizer.getConfig()).toMatchObject({ learningRate: 1e-4, beta1: 0, beta2: 0.9 });
    }
  });

  it('takes other training settings', () => {
    const wgan = tinyDcgan(
      {},
      { discriminatorSteps: 3, penaltyWeight: 1, learningRate: 2e-4, beta1: 0.5, beta2: 0.99 },
    );
    expect(wgan.options).toEqual({
      discriminatorSteps: 3,
      penaltyWeight: 1,
      learningRate: 2e-4,
      beta1: 0.5,
      beta2: 0.99,
    });
    expect(wgan.trainerOptions.discriminatorSteps).toBe(3);
    expect(wgan.trainerOptions.discriminatorOptimizer.getConfig()).toMatchObject({
      learningRate: 2e-4,
      beta1: 0.5,
      beta2: 0.99,
    });
  });

  it('trains with finite losses, no warnings and no leaked tensors, and frees everything it made', async () => {
    const real = tf.randomUniform([4, 16, 16, 1], -1, 1, 'float32', 5);
    await expectNoLeaks(async () => {
      const wgan = WganGp.dcgan({ imageShape: [16, 16, 1], latentDim: 4, baseFilters: 2, seed: 1 });
      const trainer = new Trainer({ ...wgan.trainerOptions, seed: 1 });
      expect(trainer.configurationWarnings).toEqual([]);
      const first = await trainer.step(real); // creates Adam's moment slots
      const afterFirst = tf.memory().numTensors;
      const second = await trainer.step(real);
      expect(tf.memory().numTensors).toBe(afterFirst);
      for (const result of [first, second]) {
        const numbers = [result.discriminatorLoss, result.generatorLoss];
        numbers.push(result.terms['gradient-penalty']);
        expect(numbers.every(Number.isFinite)).toBe(true);
        expect(result.warnings).toEqual([]);
      }
      trainer.dispose();
      wgan.dispose();
      wgan.dispose(); // a second call does nothing
    });
    real.dispose();
  });

  it('refuses a batch-normalised critic before building anything', async () => {
    await expectNoLeaks(() => {
      expect(() => WganGp.dcgan({ imageShape: [16, 16, 1], discriminatorNorm: 'batch' })).toThrow(
        new RangeError(
          "WganGp.dcgan: discriminatorNorm must be 'none' (the default), 'layer', 'instance' or " +
            "'pixel', got 'batch': batch statistics couple the samples of a batch, and the " +
            "gradient penalty takes each sample's input gradient on its own.",
        ),
      );
    });
  });

  it.each([
    [
      { criticSteps: 5 },
      new RangeError(
        "WganGp.dcgan: option 'criticSteps' is not supported; the supported options are " +
          "'discriminatorSteps', 'penaltyWeight', 'learningRate', 'beta1', 'beta2'.",
      ),
    ],
    [
      { discriminatorSteps: 0 },
      new RangeError('WganGp.dcgan: discriminatorSteps must be an integer >= 1, got 0.'),
    ],
    [{ penaltyWeight: 0 }, new RangeError('WganGp.dcgan: penaltyWeight must be > 0, got 0.')],
    [
      { learningRate: '1e-4' },
      new TypeError("WganGp.dcgan: learningRate must be a finite number, got '1e-4'."),
    ],
    [{ beta1: 1 }, new RangeError('WganGp.dcgan: beta1 must be in [0, 1), got 1.')],
    [{ beta2: -0.1 }, new RangeError('WganGp.dcgan: beta2 must be in [0, 1), got -0.1.')],
  ])('refuses the training settings %j before building anything', async (options, error) => {
    await expectNoLeaks(() => {
      expect(() => WganGp.dcgan({ imageShape: [16, 16, 1] }, options as never)).toThrow(error);
    });
  });

  it('refuses options that are not an object', () => {
    expect(() => WganGp.dcgan(null as never)).toThrow(
      new TypeError('WganGp.dcgan: ganOptions must be an object, got null.'),
    );
  });
});

describe('WganGp.mlp', () => {
  const small = { dataShape: [2], latentDim: 2, generatorUnits: [8], discriminatorUnits: [8, 8] };

  it('builds a critic without normalisation and the same Trainer options', () => {
    const wgan = WganGp.mlp({ ...small, seed: 1 });
    built.push(wgan);
    const critic = classNames(wgan.gan.discriminator);
    expect(wgan.gan.options.discriminatorNorm).toBe('none');
    expect(critic).not.toContain('BatchNormalization');
    expect(critic).not.toContain('LayerNormalization');
    const options = wgan.trainerOptions;
    expect([options.loss, options.discriminatorSteps]).toEqual([wassersteinLoss, 5]);
    expect(options.discriminatorTerms.map((t) => t.name)).toEqual(['gradient-penalty']);
    expect(options.generatorOptimizer.getConfig()).toMatchObject({
      learningRate: 1e-4,
      beta1: 0,
      beta2: 0.9,
    });
  });

  it('keeps layer normalisation in the critic when asked for it', () => {
    const wgan = WganGp.mlp({ ...small, discriminatorNorm: 'layer', seed: 1 });
    built.push(wgan);
    // Two hidden layers, a norm on all but the first.
    const norms = classNames(wgan.gan.discriminator).filter((n) => n === 'LayerNormalization');
    expect(norms).toHaveLength(1);
  });

  it('refuses a batch-normalised critic', () => {
    expect(() => WganGp.mlp({ ...small, discriminatorNorm: 'batch' })).toThrow(
      new RangeError(
        "WganGp.mlp: discriminatorNorm must be 'none' (the default), 'layer' or 'pixel', got " +
          "'batch': batch statistics couple the samples of a batch, and the gradient penalty " +
          "takes each sample's input gradient on its own.",
      ),
    );
  });
});
