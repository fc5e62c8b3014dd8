import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import {
  DCGAN,
  Trainer,
  gradientPenaltyTerm,
  wassersteinLoss,
  type LatentSampler,
  type UpdateEvent,
} from '../../src';
import { track } from '../helpers/track';

const ones: LatentSampler = (n, d) => tf.ones([n, d]);

/** `G(z) = k·z` and `D(x) = w·x + b` as plain functions over variables, all starting at 0. */
function functionPair() {
  const k = track(tf.variable(tf.zeros([1, 1])));
  const w = track(tf.variable(tf.zeros([1, 1])));
  const b = track(tf.variable(tf.zeros([1])));
  return {
    k,
    w,
    b,
    options: {
      generator: (z: tf.Tensor) => tf.matMul(z as tf.Tensor2D, k),
      generatorVariables: [k],
      discriminator: (x: tf.Tensor) => tf.add(tf.matMul(x as tf.Tensor2D, w), b),
      discriminatorVariables: [w, b],
      latentDim: 1,
      latentSampler: ones,
    },
  };
}

describe('Trainer with function networks', () => {
  it('updates plain variables exactly as it updates layers models', async () => {
    const { k, w, b, options } = functionPair();
    const trainer = track(
      new Trainer({
        ...options,
        generatorOptimizer: tf.train.sgd(0.1),
        discriminatorOptimizer: tf.train.sgd(0.1),
      }),
    );
    const real = tf.ones([1, 1]);
    await trainer.step(real);
    real.dispose();
    // As for the layers pair: dL_D/dw = -sigmoid(0)·1 = -0.5, dL_D/db = 0, so w = 0.05, b = 0;
    // then dL_G/dk = -sigmoid(0)·w·z = -0.025, so k = 0.0025.
    expect(w.dataSync()[0]).toBeCloseTo(0.05, 7);
    expect(b.dataSync()[0]).toBeCloseTo(0, 7);
    expect(k.dataSync()[0]).toBeCloseTo(0.0025, 7);
  });

  it('needs latentDim and the variables of a function network', () => {
    const { options } = functionPair();
    expect(() => new Trainer({ ...options, latentDim: undefined })).toThrow(
      'Trainer: latentDim is required when the generator is a function.',
    );
    expect(() => new Trainer({ ...options, discriminatorVariables: [] })).toThrow(
      'Trainer: discriminatorVariables must be a non-empty array of trainable tf.Variables ' +
        'when discriminator is a function, got [].',
    );
  });
});

describe('Trainer update counts', () => {
  it('makes 50 discriminator and 10 generator updates from 50 real batches for 5 critic steps', async () => {
    const { options } = functionPair();
    const trainer = track(new Trainer({ ...options, discriminatorSteps: 5 }));
    const updates: UpdateEvent[] = [];
    trainer.on('update', (e) => void updates.push(e));
    let drawn = 0;
    function* batches() {
      for (;;) {
        drawn++;
        yield tf.ones([2, 1]);
      }
    }
    await trainer.fit(batches, { steps: 10 });
    // 10 iterations × 5 discriminator updates, 10 × 1 generator update, one batch per
    // discriminator update.
    expect(updates.filter((u) => u.network === 'discriminator')).toHaveLength(50);
    expect(updates.filter((u) => u.network === 'generator')).toHaveLength(10);
    expect(drawn).toBe(50);
    expect(updates.slice(0, 6).map((u) => [u.network, u.step, u.index])).toEqual([
      ['discriminator', 0, 0],
      ['discriminator', 0, 1],
      ['discriminator', 0, 2],
      ['discriminator', 0, 3],
      ['discriminator', 0, 4],
      ['generator', 0, 0],
    ]);
  });

  it('runs generatorSteps generator updates and stops reporting after unsubscribing', async () => {
    const { options } = functionPair();
    const trainer = track(new Trainer({ ...options, generatorSteps: 3 }));
    const seen: string[] = [];
    const off = trainer.on('update', (e) => void seen.push(`${e.network[0]}${e.index}`));
    const real = tf.ones([2, 1]);
    await trainer.step(real);
    off();
    await trainer.step(real);
    real.dispose();
    expect(seen).toEqual(['d0', 'g0', 'g1', 'g2']);
  });
});

describe('Trainer options', () => {
  it('clips the discriminator weights after each of its updates', async () => {
    const { w, options } = functionPair();
    const trainer = track(
      new Trainer({
        ...options,
        loss: wassersteinLoss,
        weightClipping: 0.01,
        discriminatorOptimizer: tf.train.sgd(10),
      }),
    );
    const real = tf.ones([2, 1]);
    await trainer.step(real);
    real.dispose();
    // Wasserstein: L_D = mean(D(fake)) - mean(D(real)); dL/dw = 0 - 1 = -1, so SGD 10 moves
    // w to 10, and the clip brings it back to 0.01.
    expect(w.dataSync()[0]).toBeCloseTo(0.01, 7);
  });

  it('samples from the moving average of the generator when emaDecay is set', async () => {
    const { k, options } = functionPair();
    const trainer = track(
      new Trainer({
        ...options,
        emaDecay: 0.5,
        generatorOptimizer: tf.train.sgd(0.1),
        discriminatorOptimizer: tf.train.sgd(0.1),
      }),
    );
    const real = tf.ones([1, 1]);
    await trainer.step(real);
    real.dispose();
    // k goes 0 -> 0.0025 (see above); average = 0.5·0 + 0.5·0.0025 = 0.00125; z = 1.
    const sample = trainer.sample(1);
    expect(sample.dataSync()[0]).toBeCloseTo(0.00125, 7);
    sample.dispose();
    expect(k.dataSync()[0]).toBeCloseTo(0.0025, 7); // the live weight is put back
  });

  it('refuses a latent sampler that returns the wrong shape', async () => {
    const { options } = functionPair();
    const trainer = track(new Trainer({ ...options, latentSampler: (n) => tf.zeros([n, 3]) }));
    const real = tf.ones([2, 1]);
    const before = tf.memory().numTensors;
    await expect(trainer.step(real)).rejects.toThrow(
      'Trainer.step: latentSampler must return a tensor of shape [2,1], got [2,3].',
    );
    expect(tf.memory().numTensors).toBe(before);
    real.dispose();
  });

  it('refuses real batches outside the tanh range, or of the wrong dtype, before any work', async () => {
    const gan = track(new DCGAN({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 2, seed: 1 }));
    const trainer = track(
      new Trainer({ generator: gan.generator, discriminator: gan.discriminator }),
    );
    const before = gan.discriminator.getWeights().map((t) => Array.from(t.dataSync()));
    const pixels = tf.fill([2, 8, 8, 1], 255);
    await expect(trainer.step(pixels)).rejects.toThrow(
      'Trainer.step: real must have values in [-1, 1], got values in [255, 255]; scale 8-bit ' +
        'images with imagesToTensor, or set realRange.',
    );
    const ints = tf.zeros([2, 8, 8, 1], 'int32');
    await expect(trainer.step(ints)).rejects.toThrow(
      'Trainer.step: real must be float32, got int32.',
    );
    tf.dispose([pixels, ints]);
    expect(gan.discriminator.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(before);
    expect(trainer.stepCount).toBe(0);
  });
});

describe('Trainer memory', () => {
  /** A small MLP pair with leaky ReLU, so the gradient penalty takes second-order gradients. */
  function mlpPair() {
    const generator = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [2], units: 8, activation: 'relu' }),
        tf.layers.dense({ units: 2 }),
      ],
    });
    const discriminator = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [2], units: 8 }),
        tf.layers.leakyReLU({ alpha: 0.2 }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    return { generator: track(generator), discriminator: track(discriminator) };
  }

  it.each([
    ['non-saturating', {}],
    [
      'WGAN-GP',
      { loss: wassersteinLoss, discriminatorTerms: [gradientPenaltyTerm({ weight: 10 })] },
    ],
  ])(
    'keeps the tensor count flat from step 1 to step 200 with 5 critic steps (%s)',
    async (_, extra) => {
      const trainer = track(
        new Trainer({ ...mlpPair(), discriminatorSteps: 5, seed: 1, ...extra }),
      );
      const real = tf.randomNormal([8, 2], 0, 1, 'float32', 1);
      await trainer.step(real);
      const afterFirst = tf.memory().numTensors;
      for (let i = 1; i < 200; i++) await trainer.step(real);
      expect(tf.memory().numTensors).toBe(afterFirst);
      real.dispose();
    },
  );
});

describe('Trainer.fit data kinds', () => {
  it('cuts one tensor of samples into shuffled batches every epoch, dropping the remainder', async () => {
    const { options } = functionPair();
    const trainer = track(new Trainer({ ...options, seed: 3 }));
    const seen: number[][] = [];
    const all = tf.tensor2d([[-0.5], [-0.25], [0], [0.25], [0.5]]);
    const original = trainer.step.bind(trainer);
    trainer.step = async (real) => {
      seen.push(Array.from((real as tf.Tensor).dataSync()));
      return original(real);
    };
    const summary = await trainer.fit(all, { batchSize: 2, epochs: 2 });
    all.dispose();
    // 5 samples in batches of 2: two batches an epoch (the fifth sample waits for the next
    // shuffle), two epochs: 4 steps. Each epoch's 4 values are distinct samples.
    expect(summary).toMatchObject({ steps: 4, epochs: 2 });
    for (const epoch of [seen.slice(0, 2).flat(), seen.slice(2, 4).flat()]) {
      expect(new Set(epoch).size).toBe(4);
      for (const v of epoch) expect([-0.5, -0.25, 0, 0.25, 0.5]).toContain(v);
    }
  });

  it('reads a tf.data dataset of batches, one pass per epoch', async () => {
    const { options } = functionPair();
    const trainer = track(new Trainer(options));
    const dataset = tf.data.array([tf.ones([2, 1]), tf.ones([2, 1]), tf.ones([2, 1])]);
    const summary = await trainer.fit(dataset, { epochs: 2 });
    // 3 batches × 2 epochs.
    expect(summary).toMatchObject({ steps: 6, epochs: 2, stoppedBy: 'epochs' });
  });

  it('refuses empty data and a tensor without a batch size', async () => {
    const { options } = functionPair();
    const trainer = track(new Trainer(options));
    await expect(trainer.fit([])).rejects.toThrow(
      'Trainer.fit: data gave no batches (or fewer than discriminatorSteps, 1, for one step).',
    );
    const all = tf.zeros([4, 1]);
    await expect(trainer.fit(all)).rejects.toThrow(
      'Trainer.fit: batchSize is required when data is one tensor of samples.',
    );
    await expect(trainer.fit(all, { batchSize: 8 })).rejects.toThrow(
      'Trainer.fit: data must hold at least batchSize (8) samples, got shape [4,1].',
    );
    all.dispose();
  });
});

describe('Trainer reproducibility', () => {
  /** Three steps with every seeded draw in play: init, shuffles, latents, labels, noise, penalty. */
  async function run(seed: number) {
    const gan = track(new DCGAN({ imageShape: [8, 8, 1], latentDim: 4, baseFilters: 2, seed }));
    const trainer = track(
      new Trainer({
        generator: gan.generator,
        discriminator: gan.discriminator,
        seed,
        labelTricks: { realRange: [0.8, 1], flipProbability: 0.1 },
        instanceNoise: { stddevAt: () => 0.1 },
        discriminatorTerms: [gradientPenaltyTerm({ weight: 1 })],
      }),
    );
    const all = tf.randomUniform([12, 8, 8, 1], -1, 1, 'float32', 99);
    const losses: number[] = [];
    await trainer.fit(all, {
      batchSize: 4,
      steps: 3,
      onStepEnd: (r) => void losses.push(r.discriminatorLoss, r.generatorLoss),
    });
    all.dispose();
    const weights = [...gan.generator.getWeights(), ...gan.discriminator.getWeights()].map((t) =>
      Array.from(t.dataSync()),
    );
    return { losses, weights };
  }

  it('gives bit-identical losses and weights for the same seed on cpu, and others for another', async () => {
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(b.losses).toEqual(a.losses);
    expect(b.weights).toEqual(a.weights);
    expect(c.losses).not.toEqual(a.losses);
    expect(c.weights).not.toEqual(a.weights);
  });
});
